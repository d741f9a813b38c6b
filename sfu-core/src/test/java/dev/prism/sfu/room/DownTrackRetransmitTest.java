package dev.prism.sfu.room;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.prism.dtls.DtlsSrtpKeys;
import dev.prism.sfu.transport.IgnoringListener;
import dev.prism.sfu.transport.PeerTransport;
import dev.prism.sfu.transport.RecordingHost;
import dev.prism.sfu.transport.TransportCounters;
import dev.prism.srtp.SrtpProfile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A subscriber's NACKs served by its {@link DownTrack} from the publisher's cache (RFC 4585
 * §6.2.1): a NACK that waited in the socket's queue while the packet it names went out asks for
 * a copy already on its way and resends nothing; one that arrived after the packet left is served.
 */
class DownTrackRetransmitTest {
    private static final long SSRC = 0x1111;

    private final RecordingHost host = new RecordingHost();
    private final TransportCounters counters = new TransportCounters();
    private final PeerTransport publisher = transport("alice");
    private final PeerTransport viewer = transport("viewer");
    private final PublishedTrack track = new PublishedTrack(new PublishedTrackSpec("cam", "s", "video", SSRC, 0, 96, -1,
            "VP8", 90000, 0, "", List.of("nack", "nack pli"), -1), publisher, 1, counters);
    private int seq = 100;

    @AfterEach
    void release() {
        track.release();
        host.releaseAll();
        viewer.close("done");
        publisher.close("done");
    }

    @Test
    void aNackThatWaitedWhileItsPacketWentOutResendsNothing() {
        DownTrack down = connectedDownTrack();
        forward(false, 1010);
        int sentAt1020 = forward(false, 1020);

        // Handled at 1030 after 20 ms in the queue: the NACK arrived at 1010, before the packet left.
        host.handlingAge = 20;
        down.retransmit(sentAt1020, 1030);
        assertEquals(1, counters.retransmissionsStale.sum());
        assertEquals(0, counters.retransmissionsSent.sum(), "nothing resent");

        // Within the margin of the two clocks (the packet left 10 ms ago, the NACK came 12 ms ago): served.
        host.handlingAge = 10 + DownTrack.STALE_NACK_MARGIN_MILLIS;
        down.retransmit(sentAt1020, 1030);
        assertEquals(1, counters.retransmissionsSent.sum());
        assertEquals(1, counters.retransmissionsStale.sum());
    }

    @Test
    void aNackThatArrivedAfterThePacketLeftOrUntimedIsServed() {
        DownTrack down = connectedDownTrack();
        int first = forward(false, 1010);
        int second = forward(false, 1020);

        host.handlingAge = 3; // it arrived at 1027, 17 ms after the packet left
        down.retransmit(first, 1030);
        host.handlingAge = 0; // not timed (a datagram without a kernel stamp)
        down.retransmit(second, 1030);
        assertEquals(2, counters.retransmissionsSent.sum());
        assertEquals(0, counters.retransmissionsStale.sum());
    }

    /** The viewer connected (keys agreed elsewhere), subscribed, and sent a key frame at 1000 ms. */
    private DownTrack connectedDownTrack() {
        viewer.connectWithoutHandshake(new DtlsSrtpKeys(SrtpProfile.AEAD_AES_128_GCM, new byte[16], new byte[12],
                new byte[16], new byte[12]), true, new InetSocketAddress("127.0.0.1", 40_000));
        DownTrack down = track.addDownTrack(viewer, new Downlink(viewer, 0), new DownTrackSpec("cam", 5000, 96));
        forward(true, 1000);
        return down;
    }

    /** Hands the track one VP8 packet at {@code nowMillis}; returns its sequence number on the viewer's stream. */
    private int forward(boolean keyFrame, long nowMillis) {
        int before = host.sent.size();
        ByteBuf p = Unpooled.buffer(200);
        p.writeByte(0x80).writeByte(96).writeShort(seq++).writeInt(seq * 3000).writeInt((int) SSRC);
        if (keyFrame) { // RFC 7741: descriptor with S set, then a key frame's header (P = 0, start code, 320x180)
            p.writeByte(0x10).writeByte(0x10).writeByte(0x00).writeByte(0x00).writeByte(0x9d).writeByte(0x01)
                    .writeByte(0x2a).writeShortLE(320).writeShortLE(180);
        } else {
            p.writeByte(0x10).writeByte(0x01);
        }
        p.writeZero(200 - p.writerIndex());
        try {
            track.onPacket(p, 0, false, nowMillis);
        } finally {
            p.release();
        }
        assertEquals(before + 1, host.sent.size(), "forwarded to the viewer");
        ByteBuf out = host.sent.get(before);
        return out.getUnsignedShort(out.readerIndex() + 2);
    }

    private PeerTransport transport(String id) {
        return new PeerTransport(id, id + "u", id + "-password-0123456789", null, null, host, new IgnoringListener(),
                counters, Runnable::run, 10_000);
    }
}
