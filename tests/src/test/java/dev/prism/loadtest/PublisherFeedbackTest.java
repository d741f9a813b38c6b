package dev.prism.loadtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.rtcp.FullIntraRequest;
import dev.prism.rtcp.PictureLossIndication;
import dev.prism.rtcp.TransportLayerNack;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SFU's feedback as a compound packet reaches the publisher; only resending needs a transport,
 * and gets a real one to a loopback stand-in for the SFU.
 */
class PublisherFeedbackTest {
    private final VideoLayer[] layers = {new VideoLayer(0, 3, 1_800_000, 30, 1100),
            new VideoLayer(1, 3, 1_800_000, 30, 1100), new VideoLayer(2, 3, 1_800_000, 30, 1100)};
    private final PublisherFeedback feedback = new PublisherFeedback(layers, null);

    // Resending needs a transport: a real SecurePeer on the load tool's loop, sending to a loopback
    // socket that stands in for the SFU (it never answers the ICE checks, so no DTLS starts and the
    // history's datagrams go out as they are).
    private EventLoopGroup group;
    private SecurePeer peer;
    private DatagramSocket sfu;
    private PublisherFeedback resender;

    PublisherFeedbackTest() {
        for (VideoLayer l : layers) {
            l.keyRequested = false; // a layer starts wanting a key frame; these tests ask for one
        }
    }

    @AfterEach
    void stop() {
        if (peer != null) {
            peer.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        if (sfu != null) {
            sfu.close();
        }
    }

    @Test
    void aPliOrFirAsksOnlyTheLayersItNames() {
        ByteBuf compound = Unpooled.buffer();
        PictureLossIndication.write(compound, 7, layers[1].ssrc);
        FullIntraRequest.write(compound, 7, layers[2].ssrc, 1);
        PictureLossIndication.write(compound, 7, 12345); // not ours
        feedback.onRtcp(compound);
        assertFalse(layers[0].keyRequested);
        assertTrue(layers[1].keyRequested);
        assertTrue(layers[2].keyRequested);
        assertEquals(2, feedback.keyFrameRequests);
    }

    @Test
    void aNackForAStreamNotOursResendsNothing() {
        ByteBuf nack = Unpooled.buffer();
        TransportLayerNack.write(nack, 7, 12345, new int[] {10, 11}, 2);
        feedback.onRtcp(nack); // a transport is needed only to resend; none is touched here
        assertEquals(0, feedback.retransmitted);
        assertEquals(0, feedback.keyFrameRequests);
    }

    @Test
    void aNackedPacketStillInTheHistoryIsResentAsSentOnTheLayerItNames() throws Exception {
        startPeer();
        long now = System.nanoTime();
        // Two layers sent sequence number 500: the NACK's media SSRC picks which one goes again.
        byte[] low = datagram(layers[0], 500);
        byte[] middle = datagram(layers[1], 500);
        remember(layers[0], 500, low, now);
        remember(layers[1], 500, middle, now - 500_000_000L); // half a second ago: still within 1 s
        onRtcp(nack(layers[1], 500));
        assertArrayEquals(middle, nextResent(), "the protected datagram as sent, same sequence number, no RTX");
        onRtcp(nack(layers[0], 500));
        assertArrayEquals(low, nextResent(), "the other layer's, and nothing in between");
        assertEquals(2, resender.retransmitted);
    }

    @Test
    void aNackForAPacketNoLongerOrNeverInTheHistoryResendsNothing() throws Exception {
        startPeer();
        long now = System.nanoTime();
        VideoLayer layer = layers[0];
        remember(layer, 100, datagram(layer, 100), now - 1_500_000_000L); // sent 1.5 s ago
        remember(layer, 200, datagram(layer, 200), now - 10_000_000L);
        byte[] later = datagram(layer, 1224); // 1224 takes 200's slot in the 1024-packet ring
        remember(layer, 1224, later, now);
        onRtcp(nack(layer, 7, 100, 200)); // 7 was never sent
        assertEquals(0, resender.retransmitted);
        // Loopback keeps order: had anything gone out for 7, 100 or 200 it would arrive before this.
        onRtcp(nack(layer, 1224));
        assertArrayEquals(later, nextResent());
        assertEquals(1, resender.retransmitted);
    }

    @Test
    void everyPacketABitmaskNamesIsResentInOrder() throws Exception {
        startPeer();
        long now = System.nanoTime();
        VideoLayer layer = layers[2];
        int[] sent = {65534, 0, 3, 14};
        byte[][] datagrams = new byte[sent.length][];
        for (int i = 0; i < sent.length; i++) {
            datagrams[i] = datagram(layer, sent[i]);
            remember(layer, sent[i], datagrams[i], now);
        }
        // One FCI entry written by hand (RFC 4585 §6.2.1): PID 65534, BLP bits 0, 1, 4 and 15 name
        // 65535, 0, 3 and 14 across the wrap; 65535 was never sent.
        ByteBuf nack = Unpooled.buffer().writeByte(0x81).writeByte(205).writeShort(3).writeInt(7).writeInt(layer.ssrc)
                .writeShort(65534).writeShort(0b1000_0000_0001_0011);
        onRtcp(nack);
        for (byte[] d : datagrams) {
            assertArrayEquals(d, nextResent());
        }
        assertEquals(4, resender.retransmitted);
    }

    private void startPeer() throws Exception {
        sfu = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        sfu.setSoTimeout(5_000);
        group = LoadTransport.newGroup(1);
        peer = new SecurePeer(group.next(), null, null, null, "local", "local-password-0123456789");
        peer.bind();
        peer.connect((InetSocketAddress) sfu.getLocalSocketAddress(), "remote", "remote-password-0123456789",
                "unused");
        resender = new PublisherFeedback(layers, peer);
    }

    /** Feedback is handled on the peer's loop, as {@link WhipPublisher#onRtcp} is. */
    private void onRtcp(ByteBuf packet) throws Exception {
        peer.loop().submit(() -> resender.onRtcp(packet)).get(5, TimeUnit.SECONDS);
    }

    private static ByteBuf nack(VideoLayer layer, int... seqs) {
        ByteBuf b = Unpooled.buffer();
        TransportLayerNack.write(b, 7, layer.ssrc, seqs, seqs.length);
        return b;
    }

    /** Stands in for a protected datagram: an RTP header with the layer's SSRC, a payload unique to it. */
    private static byte[] datagram(VideoLayer layer, int seq) {
        ByteBuffer b = ByteBuffer.allocate(12 + 200 + seq % 50);
        b.put((byte) 0x80).put((byte) 96).putShort((short) seq).putInt(seq * 3000).putInt(layer.ssrc);
        while (b.hasRemaining()) {
            b.put((byte) (layer.index * 31 + b.position()));
        }
        return b.array();
    }

    private static void remember(VideoLayer layer, int seq, byte[] datagram, long sentNanos) {
        layer.remember(Unpooled.wrappedBuffer(datagram), seq, sentNanos);
    }

    /** The next datagram the stand-in SFU receives that is not an ICE check (STUN starts with bits 00). */
    private byte[] nextResent() throws Exception {
        byte[] buf = new byte[2048];
        while (true) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            sfu.receive(p);
            if ((buf[0] & 0xC0) == 0x80) {
                return Arrays.copyOf(buf, p.getLength());
            }
        }
    }
}
