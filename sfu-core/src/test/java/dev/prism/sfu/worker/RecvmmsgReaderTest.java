package dev.prism.sfu.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.prism.sfu.transport.TransportCounters;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The media loop's own reads: datagrams from real sockets reach the worker's routing through
 * {@code recvmmsg}, not Netty's channel, with each sender's address read right.
 */
class RecvmmsgReaderTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void datagramsFromManySendersAreReadAndRoutedByTheLoopsOwnReads() throws Exception {
        assumeTrue(LinuxSyscalls.available(), "FFM system calls bound");
        TransportCounters counters = new TransportCounters();
        MediaWorker worker = new MediaWorker(0, LOOPBACK, 0, counters);
        try (DatagramSocket a = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
                DatagramSocket b = new DatagramSocket(0, InetAddress.getByName("127.0.0.3"))) {
            InetSocketAddress to = new InetSocketAddress(LOOPBACK, worker.port());
            int each = 3 * MediaWorker.READS_PER_PASS + 5; // more than one pass and one recvmmsg
            byte[] rtp = new byte[100];
            rtp[0] = (byte) 0x80; // RTP version 2 (RFC 7983: 128-191), from no known peer
            rtp[1] = 96;
            for (int i = 0; i < each; i++) {
                a.send(new DatagramPacket(rtp, rtp.length, to));
                b.send(new DatagramPacket(rtp, rtp.length, to));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (counters.datagramsIn.sum() < 2L * each && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(2L * each, counters.datagramsIn.sum(), "every datagram read");
            assertEquals(2L * each, counters.unknownSource.sum(), "routed by sender: no transport knows these");
            assertEquals(2L * 100 * each, counters.bytesIn.sum(), "each datagram's length as the kernel gave it");
            long read = worker.eventLoop().submit(worker::datagramsReadDirectly).get(5, TimeUnit.SECONDS);
            assertEquals(2L * each, read, "read by recvmmsg, none by Netty's channel");
        } finally {
            worker.close();
        }
    }

    @Test
    void aSendersKeyIsItsIpv4AddressAndPort() throws Exception {
        InetSocketAddress peer = new InetSocketAddress(InetAddress.getByName("192.168.1.200"), 50_123);
        long key = PeerKey.of(peer);
        assertEquals((0xC0A801C8L << 16) | 50_123, key);
        assertEquals(peer, PeerKey.address(key), "the address STUN is answered at");
        assertEquals(-1, PeerKey.of(new InetSocketAddress(InetAddress.getByName("::1"), 9)), "IPv6 has none");
        assertTrue(PeerKey.of(new InetSocketAddress(InetAddress.getByName("255.255.255.255"), 65_535)) > 0);
    }
}
