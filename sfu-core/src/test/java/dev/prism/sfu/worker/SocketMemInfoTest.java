package dev.prism.sfu.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Socket;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A socket's queue and drops read with {@code getsockopt(SO_MEMINFO)} are the figures the kernel's
 * /proc/self/net/udp table shows for it (parsed by {@link UdpSocketStats}): a socket nobody reads
 * fills up, then drops.
 */
class SocketMemInfoTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void aSocketsQueueAndDropsAreTheKernelTablesFigures() throws Exception {
        assumeTrue(LinuxSyscalls.available(), "FFM system calls bound");
        Epoll.ensureAvailability(); // loads the native library the unix Socket needs
        Socket socket = Socket.newSocketDgram();
        try {
            socket.setReceiveBufferSize(32 * 1024);
            socket.bind(new InetSocketAddress(LOOPBACK, 0));
            int port = ((InetSocketAddress) socket.localAddress()).getPort();
            SocketMemInfo info = SocketMemInfo.open(socket.intValue());
            assertNotNull(info, "SO_MEMINFO readable");
            assertEquals(new UdpSocketStats(0, 0), info.read(), "nothing sent yet");
            try (DatagramSocket sender = new DatagramSocket(0, LOOPBACK)) {
                InetSocketAddress to = new InetSocketAddress(LOOPBACK, port);
                byte[] payload = new byte[500];
                for (int i = 0; i < 5; i++) {
                    sender.send(new DatagramPacket(payload, payload.length, to));
                }
                UdpSocketStats queued = awaitQueued(info, 5);
                assertTrue(queued.queuedBytes() >= 5 * 500, "five datagrams wait: " + queued);
                assertEquals(0, queued.drops());
                assertEquals(UdpSocketStats.read(port), queued, "the table's rx_queue and drops for the port");

                for (int i = 0; i < 2_000; i++) { // far beyond a 64 KiB buffer: the kernel drops the rest
                    sender.send(new DatagramPacket(payload, payload.length, to));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                UdpSocketStats full = info.read();
                while (full.drops() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                    full = info.read();
                }
                assertTrue(full.drops() > 0, "a full queue drops: " + full);
                assertEquals(UdpSocketStats.read(port), info.read(), "the table's figures for the full socket");
            } finally {
                info.close();
            }
            assertNull(info.read(), "closed: nothing to read");
            info.close(); // twice is harmless
        } finally {
            socket.close();
        }
    }

    @Test
    void noDescriptorNoReader() {
        assertNull(SocketMemInfo.open(-1));
    }

    /** The kernel queues loopback datagrams at once, but give it a moment. */
    private static UdpSocketStats awaitQueued(SocketMemInfo info, int datagrams) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        UdpSocketStats s = info.read();
        while (s.queuedBytes() < datagrams * 500L && System.nanoTime() < deadline) {
            Thread.sleep(10);
            s = info.read();
        }
        return s;
    }
}
