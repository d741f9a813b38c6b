package dev.prism.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.channel.EventLoopGroup;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SRTP and SRTCP that reach a peer before DTLS gave it keys are dropped and counted. A real
 * SecurePeer on the load tool's loop, towards a loopback socket that stands in for the server and
 * never answers the ICE checks: no DTLS starts, so the peer never has keys.
 */
class SecurePeerTest {
    private EventLoopGroup group;
    private SecurePeer peer;
    private DatagramSocket server;
    private DatagramSocket stranger;

    @AfterEach
    void stop() {
        if (peer != null) {
            peer.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
        if (stranger != null) {
            stranger.close();
        }
    }

    @Test
    void mediaFromTheServerBeforeKeysIsCountedAsEarly() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        server = new DatagramSocket(new InetSocketAddress(loopback, 0));
        server.setSoTimeout(5_000);
        group = LoadTransport.newGroup(1);
        peer = new SecurePeer(group.next(), null, null, null, "local", "local-password-0123456789");
        peer.bind();
        peer.connect((InetSocketAddress) server.getLocalSocketAddress(), "remote", "remote-password-0123456789",
                "unused");
        // Its first ICE check says the peer knows its server: what the server sends is no stranger's.
        server.receive(new DatagramPacket(new byte[2048], 2048));
        InetSocketAddress to = new InetSocketAddress(loopback, peer.localPort());
        for (int i = 0; i < 3; i++) {
            server.send(new DatagramPacket(rtp(i), rtp(i).length, to));
        }
        server.send(new DatagramPacket(rtcp(), rtcp().length, to));
        server.send(new DatagramPacket(rtcp(), rtcp().length, to));
        // The same packet from elsewhere is a stranger's, not early media.
        stranger = new DatagramSocket(new InetSocketAddress(loopback, 0));
        stranger.send(new DatagramPacket(rtp(9), rtp(9).length, to));

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((peer.earlyMedia < 5 || peer.strangers < 1) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(5, peer.earlyMedia, "3 SRTP and 2 SRTCP packets before keys");
        assertEquals(1, peer.strangers);
        assertEquals(0, peer.rtpAuthFailures + peer.rtcpAuthFailures + peer.replays + peer.malformed,
                "nothing was tried without keys");
        assertFalse(peer.isReady());
    }

    /** An RTP header and a payload: what SRTP looks like to the first-byte demultiplexer. */
    private static byte[] rtp(int seq) {
        byte[] b = new byte[12 + 100];
        b[0] = (byte) 0x80;
        b[1] = 96;
        b[3] = (byte) seq;
        b[11] = 7; // SSRC 7
        return b;
    }

    /** A sender report's first bytes and an SRTCP trailer's worth of zeros. */
    private static byte[] rtcp() {
        byte[] b = new byte[28 + 4 + 16];
        b[0] = (byte) 0x80;
        b[1] = (byte) 200;
        b[3] = 6;
        b[7] = 7;
        return b;
    }
}
