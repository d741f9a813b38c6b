package dev.prism.sfu.room;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.prism.sfu.cc.BandwidthAllocator;
import dev.prism.sfu.transport.TransportCounters;
import io.netty.buffer.ByteBuf;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-layer, per-TID rates measured in a published track, and the allocator steps made of them. */
class TemporalLayerRatesTest {
    private static final int ALL = BandwidthAllocator.ALL_TEMPORAL;

    @Test
    void cumulativeRatesPerTidWithPeaksOverRecentWindows() {
        TemporalLayerRates rates = new TemporalLayerRates(2);
        rates.onPacket(0, 0, 1000);
        rates.onPacket(0, 1, 500);
        rates.onPacket(0, 2, 250);
        rates.onPacket(0, -1, 250); // no TID: counts as TID 0
        rates.onPacket(1, 3, 100);
        rates.update(1000);
        assertEquals(1250 * 8, rates.peakBitrate(0, 0));
        assertEquals(1750 * 8, rates.peakBitrate(0, 1));
        assertEquals(2000 * 8, rates.peakBitrate(0, 2));
        assertEquals(2000 * 8, rates.peakBitrate(0, 3));
        assertEquals(0, rates.peakBitrate(1, 2));
        assertEquals(800, rates.peakBitrate(1, 3));
        rates.onPacket(0, 0, 100);
        rates.update(500);
        assertEquals(1250 * 8, rates.peakBitrate(0, 0), "the peak of the recent windows");
        for (int i = 0; i < TemporalLayerRates.WINDOWS; i++) {
            rates.update(1000);
        }
        assertEquals(0, rates.peakBitrate(0, 0), "old windows forgotten");
    }

    @Test
    void stepsAreOrderedByRateAndSkipWhatSavesNothingOrUndercutsTheLayerBelow() {
        TemporalLayerRates rates = new TemporalLayerRates(3);
        rates.onPacket(0, 0, 500);
        rates.onPacket(0, 2, 500);
        rates.onPacket(1, 0, 600);
        rates.onPacket(1, 1, 600);
        rates.onPacket(1, 2, 1200);
        rates.update(1000);
        BandwidthAllocator.Subscription s = rates.subscription(new long[] {8000, 19_200, -1}, 1, 2);
        // (0, TID ≤ 1) costs what (0, TID 0) does; (1, TID 0) at 4800 is below all of layer 0.
        assertArrayEquals(new long[] {4000, 8000, 9600, 19_200, -1}, s.stepBitrates());
        assertArrayEquals(new int[] {0, 0, 1, 1, 2}, s.stepLayers());
        assertArrayEquals(new int[] {0, ALL, 1, ALL, ALL}, s.stepTemporals());
    }

    @Test
    void reducedFrameRatesAreOfferedOnTheLowestLayerOnly() {
        TemporalLayerRates rates = new TemporalLayerRates(3);
        rates.onPacket(0, 0, 500);
        rates.onPacket(0, 2, 500);
        rates.onPacket(1, 0, 1200);
        rates.onPacket(1, 2, 1200);
        rates.update(1000);
        long[] whole = {8000, 19_200, -1};
        // For the allocator: layer 0's reduced rate, then whole layers only (switching to layer 1 at
        // TID 0 would cost layer 1's key frame like the whole layer).
        BandwidthAllocator.Subscription onLowest = rates.subscription(whole, 1, 2, false);
        assertArrayEquals(new long[] {4000, 8000, 19_200, -1}, onLowest.stepBitrates());
        assertArrayEquals(new long[] {4000, 8000, 9600, 19_200, -1}, rates.subscription(whole, 1, 2, true).stepBitrates(),
                "offered everywhere, layer 1 at TID 0 comes in between");
    }

    private static PublishedTrack track(String codec) {
        PublishedTrackSpec spec = new PublishedTrackSpec("t", "s", "video", 0, 0, 96, -1, codec, 90_000, 0, "",
                List.of(), -1, "0", List.of("q", "h"), 1, 2, -1, -1);
        PublishedTrack track = new PublishedTrack(spec, null, 1, new TransportCounters());
        track.learnLayer(0, 10);
        track.learnLayer(1, 11);
        return track;
    }

    /** Whole-layer rates as Downlink prices them for a measured track. */
    private static long[] whole(PublishedTrack track) {
        return new long[] {track.layerPeakBitrate(0), track.layerPeakBitrate(1)};
    }

    /** One second of L1T3 on each layer, layer 1 ten times the bytes (padded payloads). */
    private static void feed(PublishedTrack track) {
        Vp8TemporalForwardingTest.Publisher[] publishers = {
            new Vp8TemporalForwardingTest.Publisher(0, 0, 0, true, 0),
            new Vp8TemporalForwardingTest.Publisher(0, 0, 0, true, 0)};
        long now = 1000;
        track.updateLayers(now);
        for (int frame = 0; frame < 30; frame++, now += 33) {
            for (int layer = 0; layer < 2; layer++) {
                for (ByteBuf p : publishers[layer].nextFrame()) {
                    try {
                        p.writeZero(layer == 0 ? 0 : 9 * p.readableBytes());
                        track.onPacket(p, layer, false, now);
                    } finally {
                        p.release();
                    }
                }
            }
        }
        track.updateLayers(2000);
    }

    @Test
    void aVp8TrackOffersTemporalStepsBelowEachWholeLayer() {
        PublishedTrack track = track("VP8");
        try {
            feed(track);
            assertEquals(track.layerPeakBitrate(0), track.temporalPeakBitrate(0, ALL));
            long tid0 = track.temporalPeakBitrate(0, 0);
            long tid1 = track.temporalPeakBitrate(0, 1);
            assertEquals(track.layerPeakBitrate(0), track.temporalPeakBitrate(0, 2));
            // 30 frames: 8 of TID 0, 7 of TID 1, 15 of TID 2, all packets the same size.
            assertEquals(track.layerPeakBitrate(0) * 8 / 30, tid0, 50);
            assertEquals(track.layerPeakBitrate(0) * 15 / 30, tid1, 50);
            BandwidthAllocator.Subscription s = track.subscription(whole(track), BandwidthAllocator.PRIORITY_NORMAL, 1);
            assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1}, s.stepLayers());
            assertArrayEquals(new int[] {0, 1, ALL, 0, 1, ALL}, s.stepTemporals());
            assertEquals(tid0, s.stepBitrates()[0]);
            assertEquals(track.layerPeakBitrate(1), s.stepBitrates()[5]);
            BandwidthAllocator.Subscription bottomOff = track.subscription(new long[] {-1, track.layerPeakBitrate(1)},
                    BandwidthAllocator.PRIORITY_NORMAL, 1);
            assertArrayEquals(new int[] {0, 1, 1, 1}, bottomOff.stepLayers(), "a layer not sent: one unusable step");
            assertEquals(-1, bottomOff.stepBitrates()[0]);
        } finally {
            track.release();
        }
    }

    @Test
    void otherCodecsOfferWholeLayersOnly() {
        PublishedTrack track = track("H264");
        try {
            feed(track); // the VP8-looking payload is not read as VP8
            BandwidthAllocator.Subscription s = track.subscription(whole(track), BandwidthAllocator.PRIORITY_NORMAL, 1);
            assertArrayEquals(new int[] {0, 1}, s.stepLayers());
            assertArrayEquals(new int[] {ALL, ALL}, s.stepTemporals());
            assertArrayEquals(new long[] {track.layerPeakBitrate(0), track.layerPeakBitrate(1)}, s.stepBitrates());
        } finally {
            track.release();
        }
    }
}
