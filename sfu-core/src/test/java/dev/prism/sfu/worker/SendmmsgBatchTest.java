package dev.prism.sfu.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.prism.sfu.transport.TransportCounters;
import io.netty.buffer.ByteBuf;
import io.netty.channel.epoll.Epoll;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The media loop's own {@code sendmmsg}: each datagram reaches its own address with its own
 * bytes, in order, and what the kernel refuses goes through Netty without holding up the rest.
 */
class SendmmsgBatchTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void bindsWhereFfmIsFinalOnLinux() {
        assumeTrue(Epoll.isAvailable() && Runtime.version().feature() >= 22, "Java 22+ with epoll");
        assertTrue(SendmmsgBatch.available(), "sendmmsg bound through java.lang.foreign");
    }

    @Test
    void eachDatagramReachesItsOwnAddressWithItsOwnBytes() throws Exception {
        assumeTrue(SendmmsgBatch.available(), "sendmmsg bound");
        MediaWorker worker = new MediaWorker(0, LOOPBACK, 0, new TransportCounters());
        // Two receivers on different addresses of 127/8 and ports: the sockaddr_in's address and port both count.
        try (DatagramSocket a = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
                DatagramSocket b = new DatagramSocket(0, InetAddress.getByName("127.0.0.2"))) {
            a.setSoTimeout(2_000);
            b.setSoTimeout(2_000);
            InetSocketAddress toA = new InetSocketAddress(a.getLocalAddress(), a.getLocalPort());
            InetSocketAddress toB = new InetSocketAddress(b.getLocalAddress(), b.getLocalPort());
            int count = DatagramSender.FLUSH_BATCH + 5; // one full batch and a partial one
            List<ByteBuf> sent = new ArrayList<>();
            worker.eventLoop().submit(() -> {
                for (int i = 0; i < count; i++) {
                    ByteBuf d = worker.alloc().directBuffer(64);
                    d.writeZero(3).readerIndex(3); // a datagram starting past the buffer's start
                    d.writeInt(i).writeBytes(body(i));
                    sent.add(d);
                    worker.send(d, i % 2 == 0 ? toA : toB);
                }
                worker.flush();
            }).get(5, TimeUnit.SECONDS);
            for (int i = 0; i < count; i++) {
                byte[] got = receive(i % 2 == 0 ? a : b);
                assertEquals(4 + body(i).length, got.length, "datagram " + i + "'s length");
                assertEquals(i, (got[0] & 0xFF) << 24 | (got[1] & 0xFF) << 16 | (got[2] & 0xFF) << 8 | (got[3] & 0xFF),
                        "datagrams arrive at their own address, in order");
                assertArrayEquals(body(i), Arrays.copyOfRange(got, 4, got.length), "datagram " + i + "'s bytes");
            }
            long calls = worker.eventLoop().submit(worker::directSendCalls).get(5, TimeUnit.SECONDS);
            assertEquals(2, calls, "one sendmmsg per batch: the full one and the flushed rest");
            for (ByteBuf d : sent) {
                assertEquals(0, d.refCnt(), "released once the kernel took it");
            }
        } finally {
            worker.close();
        }
    }

    @Test
    void aDatagramTheKernelRefusesGoesToNettyAndTheOthersStillLeave() throws Exception {
        assumeTrue(SendmmsgBatch.available(), "sendmmsg bound");
        TransportCounters counters = new TransportCounters();
        MediaWorker worker = new MediaWorker(0, LOOPBACK, 0, counters);
        try (DatagramSocket receiver = new DatagramSocket(0, LOOPBACK)) {
            receiver.setSoTimeout(2_000);
            InetSocketAddress to = new InetSocketAddress(LOOPBACK, receiver.getLocalPort());
            // Port 0 is no destination: Linux's udp_sendmsg refuses it (EINVAL) and sendmmsg stops there.
            InetSocketAddress refused = new InetSocketAddress(LOOPBACK, 0);
            List<ByteBuf> sent = new ArrayList<>();
            worker.eventLoop().submit(() -> {
                for (int i = 0; i < 4; i++) {
                    ByteBuf d = worker.alloc().directBuffer(16).writeInt(i);
                    sent.add(d);
                    worker.send(d, i == 1 ? refused : to);
                }
                worker.flush();
            }).get(5, TimeUnit.SECONDS);
            for (int expected : new int[] {0, 2, 3}) {
                byte[] got = receive(receiver);
                assertEquals(expected, got[3], "the datagrams around the refused one arrive, in order");
            }
            for (ByteBuf d : sent) {
                assertEquals(0, d.refCnt(), "every datagram released, the refused one too");
            }
            // Netty has sent what it was given: the next batch goes straight to the kernel again.
            long before = worker.eventLoop().submit(worker::directSendCalls).get(5, TimeUnit.SECONDS);
            worker.eventLoop().submit(() -> {
                worker.send(worker.alloc().directBuffer(16).writeInt(9), to);
                worker.flush();
            }).get(5, TimeUnit.SECONDS);
            assertEquals(9, receive(receiver)[3]);
            long after = worker.eventLoop().submit(worker::directSendCalls).get(5, TimeUnit.SECONDS);
            assertEquals(before + 1, after, "sent by the loop's own sendmmsg");
        } finally {
            worker.close();
        }
    }

    @Test
    void datagramsTheKernelRefusesAreCountedAndLoggedAtMostOncePerTenSeconds() throws Exception {
        TransportCounters counters = new TransportCounters();
        MediaWorker worker = new MediaWorker(0, LOOPBACK, 0, counters);
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(MediaWorker.class.getName());
        List<java.util.logging.LogRecord> records = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(capture);
        try (DatagramSocket receiver = new DatagramSocket(0, LOOPBACK)) {
            receiver.setSoTimeout(2_000);
            InetSocketAddress refused = new InetSocketAddress(LOOPBACK, 0); // EINVAL, as in the test above
            int refusedCount = 3 * DatagramSender.FLUSH_BATCH;
            worker.eventLoop().submit(() -> {
                for (int i = 0; i < refusedCount; i++) {
                    worker.send(worker.alloc().directBuffer(16).writeInt(i), refused);
                }
                worker.send(worker.alloc().directBuffer(16).writeInt(7), new InetSocketAddress(LOOPBACK, receiver.getLocalPort()));
                worker.flush();
            }).get(5, TimeUnit.SECONDS);
            assertEquals(7, receive(receiver)[3], "the worker still sends");
            assertEquals(refusedCount, counters.socketErrors.sum(), "each refused datagram counted");
            assertEquals(1, records.size(), "one log line for them: " + records.size());
        } finally {
            log.removeHandler(capture);
            worker.close();
        }
    }

    private static byte[] body(int i) {
        byte[] b = new byte[20 + i];
        for (int k = 0; k < b.length; k++) {
            b[k] = (byte) (i * 7 + k);
        }
        return b;
    }

    private static byte[] receive(DatagramSocket socket) throws Exception {
        byte[] data = new byte[200];
        DatagramPacket p = new DatagramPacket(data, data.length);
        socket.receive(p);
        return Arrays.copyOf(data, p.getLength());
    }
}
