package dev.prism.sfu.room;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.sfu.transport.IgnoringListener;
import dev.prism.sfu.transport.PeerTransport;
import dev.prism.sfu.transport.RecordingHost;
import dev.prism.sfu.transport.TransportCounters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One subscriber's {@link Downlink} allocating its REMB estimate over real published tracks
 * (fed RTP so their layers have measured rates): a screen share is served before the active
 * speaker, and a layer paused at the publisher stays choosable so it can be asked back.
 */
class DownlinkAllocationTest {
    private static final List<String> RIDS = List.of("q", "h", "f");
    /** Packets of 1250 bytes per second per layer: 150 kbit/s, 500 kbit/s, 1.5 Mbit/s. */
    private static final int[] PACKETS_PER_SECOND = {15, 50, 150};
    private static final int PACKET_BYTES = 1250;

    private final RecordingHost host = RecordingHost.releasing();
    private final TransportCounters counters = new TransportCounters();
    private final List<PublishedTrack> tracks = new ArrayList<>();
    private final PeerTransport alice = transport("alice");
    private final PeerTransport bob = transport("bob");
    private final PeerTransport viewer = transport("viewer");
    private final Downlink downlink = new Downlink(viewer, 0);
    private int seq;

    @AfterEach
    void release() {
        tracks.forEach(PublishedTrack::release);
    }

    @Test
    void aScreenShareGetsItsTopLayerBeforeTheSpeakersCamera() {
        PublishedTrack screen = track("alice-1", alice, TrackSource.SCREEN);
        PublishedTrack speakerCamera = track("bob-1", bob, null);
        DownTrack screenDown = subscribe(screen);
        DownTrack cameraDown = subscribe(speakerCamera);
        sendLayers(1000, 0b111, screen, speakerCamera);
        // 0.9 × 2.3 M = 2.07 M, and an upgrade must fit 1.2 times (1.725 M): both lowest layers
        // (0.3 M), then 1.35 M more lifts one track to its top; the rest pays for no other upgrade.
        downlink.onRemb(2_300_000);
        downlink.allocate(List.of(cameraDown, screenDown), bob, 2000);
        assertEquals(2, screenDown.allocatedLayer(), "the screen share goes first");
        assertEquals(0, cameraDown.allocatedLayer(), "the speaker gets what is left");
    }

    @Test
    void withoutAScreenShareTheSpeakerGoesFirst() {
        PublishedTrack other = track("alice-1", alice, TrackSource.CAMERA);
        PublishedTrack speakerCamera = track("bob-1", bob, null);
        DownTrack otherDown = subscribe(other);
        DownTrack cameraDown = subscribe(speakerCamera);
        sendLayers(1000, 0b111, other, speakerCamera);
        downlink.onRemb(2_300_000);
        downlink.allocate(List.of(otherDown, cameraDown), bob, 2000);
        assertEquals(2, cameraDown.allocatedLayer());
        assertEquals(0, otherDown.allocatedLayer());
    }

    @Test
    void aPausedLayerStaysAllocatableAndIsResumedWhenAnAllocationWantsIt() {
        PublishedTrack camera = track("alice-1", alice, null);
        camera.enableLayerPausing(0);
        DownTrack down = subscribe(camera);
        downlink.onRemb(300_000); // pays for the lowest layer only
        long now = 0;
        for (int second = 1; second <= 6; second++) {
            now = second * 1000L;
            sendLayers(now - 1000, 0b111, camera);
            downlink.allocate(List.of(down), null, now);
            assertEquals(0, down.allocatedLayer());
            boolean changed = camera.updateLayerDemand(now);
            assertEquals(now >= LayerDemand.PAUSE_AFTER_MILLIS, changed, "told at 5 s, not before: " + now);
            if (changed) {
                break;
            }
        }
        assertArrayEquals(new boolean[] {true, false, false}, camera.activeLayers());
        assertEquals(2, counters.layersPaused.sum());
        // The publisher stops sending h and f: after the layer timeout they are no longer active.
        for (int second = 1; second <= 3; second++) {
            sendLayers(now, 0b001, camera);
            now += 1000;
        }
        camera.updateLayers(now);
        assertFalse(camera.layerActive(2), "f is not being sent");
        assertEquals(1_500_000, camera.allocatableBitrate(2, now), "but is offered at the rate it had");

        downlink.onRemb(3_000_000);
        downlink.allocate(List.of(down), null, now);
        assertEquals(2, down.allocatedLayer(), "the allocator asks for the paused top layer");
        assertEquals(0, down.wantedLayer(), "meanwhile the subscriber stays on what is sent");
        assertTrue(camera.updateLayerDemand(now), "resumed at once, without waiting");
        assertArrayEquals(new boolean[] {true, false, true}, camera.activeLayers(), "h stays paused: nobody wants it");
        assertEquals(1, counters.layersResumed.sum());

        // f comes back: it is active again and the subscriber moves to it.
        sendLayers(now, 0b101, camera);
        now += 1000;
        camera.updateLayers(now);
        assertTrue(camera.layerActive(2));
        assertEquals(2, down.wantedLayer());
    }

    @Test
    void aResumedLayerThatNeverComesBackIsNoLongerOffered() {
        PublishedTrack camera = track("alice-1", alice, null);
        camera.enableLayerPausing(0);
        DownTrack down = subscribe(camera);
        downlink.onRemb(300_000);
        sendLayers(0, 0b111, camera);
        downlink.allocate(List.of(down), null, 1000);
        assertTrue(camera.updateLayerDemand(6000));
        long now = 6000;
        for (int second = 0; second < 3; second++) {
            sendLayers(now, 0b001, camera);
            now += 1000;
        }
        camera.updateLayers(now);
        downlink.onRemb(3_000_000);
        downlink.allocate(List.of(down), null, now);
        assertTrue(camera.updateLayerDemand(now));
        long graceOver = now + PausedLayerRates.RESUME_GRACE_MILLIS;
        sendLayers(graceOver - 1000, 0b001, camera);
        camera.updateLayers(graceOver);
        assertEquals(-1, camera.allocatableBitrate(2, graceOver), "the publisher did not resume it (its own uplink)");
        for (int i = 0; i < Downlink.DOWNGRADE_AFTER_ALLOCATIONS; i++) {
            downlink.allocate(List.of(down), null, graceOver + i * 200L);
        }
        assertEquals(1, down.allocatedLayer(), "the allocator stops counting on f; h, still paused, is asked for next");
    }

    @Test
    void pausingIsOnlyForSimulcastVideoWhoseTransportEnabledIt() {
        PublishedTrack camera = track("alice-1", alice, null);
        DownTrack down = subscribe(camera);
        downlink.onRemb(300_000);
        sendLayers(0, 0b111, camera);
        downlink.allocate(List.of(down), null, 1000);
        assertFalse(camera.updateLayerDemand(60_000), "not enabled (e.g. a WHIP publisher)");
        assertArrayEquals(new boolean[] {true, true, true}, camera.activeLayers());
    }

    @Test
    void aSubscriberWithoutAnAllocationKeepsTheTopLayer() {
        PublishedTrack camera = track("alice-1", alice, null);
        camera.enableLayerPausing(0);
        subscribe(camera); // no estimate and no size limit yet: it follows the best layer
        sendLayers(0, 0b111, camera);
        assertTrue(camera.updateLayerDemand(60_000));
        assertArrayEquals(new boolean[] {true, false, true}, camera.activeLayers(), "only the middle layer is unused");
    }

    @Test
    void aLayerNeverSeenIsTakenToDoubleTheSizeOfTheOneBelow() {
        PublishedTrack camera = track("alice-1", alice, null);
        ByteBuf key = keyFrame(camera.layerSsrc[0], 320, 180);
        try {
            camera.onPacket(key, 0, false, 0);
        } finally {
            key.release();
        }
        assertEquals(320, camera.layerWidth(0));
        assertEquals(0, camera.highestLayerFitting(320, 180), "h and f (unseen) are taken as 640 and 1280 wide");
        assertEquals(1, camera.highestLayerFitting(640, 360));
        assertEquals(2, camera.highestLayerFitting(0, 0));
        PublishedTrack unknown = track("bob-1", bob, null);
        assertEquals(2, unknown.highestLayerFitting(320, 180), "no size known at all: nothing is ruled out");
    }

    @Test
    void aPinnedSubscriberGetsItsLayerWhateverTheEstimateAndTheHighestSentBelowIt() {
        PublishedTrack camera = track("alice-1", alice, null);
        DownTrack down = subscribe(camera);
        sendLayers(1000, 0b111, camera);
        downlink.onRemb(200_000); // pays for the lowest layer only
        downlink.allocate(List.of(down), null, 2000);
        assertEquals(0, down.allocatedLayer(), "unpinned: the estimate decides");

        downlink.pinVideoLayer(new VideoLayerPin(VideoLayerPin.TOP));
        downlink.allocate(List.of(down), null, 2200);
        assertEquals(2, down.allocatedLayer(), "pinned to the top layer on a 200 kbit/s estimate");
        assertTrue(downlink.allocatedBps() >= 1_500_000, "allocated what the pin sends: " + downlink.allocatedBps());
        downlink.pinVideoLayer(new VideoLayerPin(1));
        downlink.allocate(List.of(down), null, 2400);
        assertEquals(1, down.allocatedLayer());

        // The publisher stops sending f: a pin on the top layer falls back to h while f is gone.
        long now = 2000;
        for (int second = 0; second < 3; second++) {
            sendLayers(now, 0b011, camera);
            now += 1000;
        }
        camera.updateLayers(now);
        downlink.pinVideoLayer(new VideoLayerPin(VideoLayerPin.TOP));
        downlink.allocate(List.of(down), null, now);
        assertEquals(1, down.allocatedLayer(), "the highest layer being sent");

        downlink.pinVideoLayer(null);
        for (int i = 0; i <= Downlink.DOWNGRADE_AFTER_ALLOCATIONS; i++) {
            downlink.allocate(List.of(down), null, now + 200L * (i + 1));
        }
        assertEquals(0, down.allocatedLayer(), "unpinned again: back to what the estimate pays for");
    }

    @Test
    void aPinIsANonNegativeLayer() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new VideoLayerPin(-1));
    }

    /** A VP8 key frame's first packet (RFC 6386 §9.1 frame tag, start code, 14-bit sizes). */
    private ByteBuf keyFrame(int ssrc, int width, int height) {
        ByteBuf b = UnpooledByteBufAllocator.DEFAULT.buffer(64);
        b.writeByte(0x80).writeByte(96).writeShort(seq++ & 0xFFFF).writeInt(seq * 3000).writeInt(ssrc);
        b.writeByte(0x10).writeByte(0x10).writeByte(0x00).writeByte(0x00).writeByte(0x9d).writeByte(0x01).writeByte(0x2a);
        b.writeShortLE(width).writeShortLE(height).writeZero(20);
        return b;
    }

    // --- fixtures ---

    private PublishedTrack track(String id, PeerTransport owner, TrackSource source) {
        PublishedTrackSpec spec = new PublishedTrackSpec(id, "s-" + id, "video", 0, 0, 96, 97, "VP8", 90000, 0, "",
                List.of("ccm fir"), -1, "1", RIDS, 1, 2, 3, -1, source);
        PublishedTrack t = new PublishedTrack(spec, owner, 1, counters);
        for (int l = 0; l < RIDS.size(); l++) {
            t.learnLayer(l, 1000 * (tracks.size() + 1) + l);
        }
        tracks.add(t);
        return t;
    }

    private DownTrack subscribe(PublishedTrack t) {
        return t.addDownTrack(viewer, downlink, new DownTrackSpec(t.spec.trackId(), 5000 + tracks.indexOf(t), 96));
    }

    /** One second of packets from {@code startMillis} on the layers in {@code mask}, then a rate update. */
    private void sendLayers(long startMillis, int mask, PublishedTrack... ts) {
        for (PublishedTrack t : ts) {
            t.updateLayers(startMillis);
            for (int l = 0; l < 3; l++) {
                if ((mask & (1 << l)) == 0) {
                    continue;
                }
                for (int i = 0; i < PACKETS_PER_SECOND[l]; i++) {
                    ByteBuf p = packet(t.layerSsrc[l]);
                    try {
                        t.onPacket(p, l, false, startMillis + i * 1000L / PACKETS_PER_SECOND[l]);
                    } finally {
                        p.release();
                    }
                }
            }
            t.updateLayers(startMillis + 1000);
        }
    }

    /** A VP8 RTP packet (RFC 7741 descriptor with S set, an inter frame) of {@link #PACKET_BYTES}. */
    private ByteBuf packet(int ssrc) {
        ByteBuf b = UnpooledByteBufAllocator.DEFAULT.buffer(PACKET_BYTES);
        b.writeByte(0x80).writeByte(96).writeShort(seq++ & 0xFFFF).writeInt(seq * 3000).writeInt(ssrc);
        b.writeByte(0x10).writeByte(0x01);
        b.writeZero(PACKET_BYTES - b.writerIndex());
        return b;
    }

    private PeerTransport transport(String id) {
        return new PeerTransport(id, id + "u", id + "-password-0123456789", null, null, host, new IgnoringListener(),
                counters, Runnable::run, 10_000);
    }
}
