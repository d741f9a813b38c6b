package dev.prism.sfu.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.sfu.transport.TransportCounters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.IllegalReferenceCountException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The worker's reused datagram envelopes: back on the pool once Netty has sent and released them, never sooner. */
class OutboundDatagramTest {
    private static final InetSocketAddress SOMEWHERE = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);

    @Test
    void anEnvelopeReturnsToThePoolWhenItsBufferIsReleasedToZero() {
        OutboundDatagram.Pool pool = new OutboundDatagram.Pool();
        ByteBuf data = Unpooled.directBuffer(16).writeInt(42);
        DatagramPacket packet = pool.take(data, SOMEWHERE);
        assertSame(data, packet.content());
        assertSame(SOMEWHERE, packet.recipient());
        assertNull(packet.sender());

        packet.retain();
        assertEquals(2, packet.refCnt(), "the buffer's count");
        assertFalse(packet.release(), "still held once");
        assertEquals(0, pool.free(), "not back while a reference is out");

        assertTrue(packet.release());
        assertEquals(0, data.refCnt(), "the buffer was released with it");
        assertEquals(0, packet.refCnt());
        assertThrows(IllegalReferenceCountException.class, packet::content, "a stale use fails");
        assertEquals(1, pool.free());

        ByteBuf next = Unpooled.directBuffer(16);
        InetSocketAddress elsewhere = new InetSocketAddress(InetAddress.getLoopbackAddress(), 10);
        DatagramPacket again = pool.take(next, elsewhere);
        assertSame(packet, again, "the next take reuses it");
        assertSame(next, again.content());
        assertSame(elsewhere, again.recipient());
        assertEquals(1, pool.made());
        again.release();
    }

    @Test
    void aWorkerSendsThousandsOfDatagramsIntactThroughAFewEnvelopes() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        // Through Netty's channel, as on Java 21 (on 22+ the loop's direct buffers skip the envelopes: SendmmsgBatchTest).
        MediaWorker worker = new MediaWorker(0, loopback, 0, new TransportCounters(), false);
        try (DatagramSocket receiver = new DatagramSocket(0, loopback)) {
            receiver.setReceiveBufferSize(1 << 20);
            receiver.setSoTimeout(200);
            InetSocketAddress to = new InetSocketAddress(loopback, receiver.getLocalPort());
            int rounds = 50, perRound = 2 * DatagramSender.FLUSH_BATCH + 8;
            int next = 0;
            for (int r = 0; r < rounds; r++) {
                int first = r * perRound;
                worker.eventLoop().submit(() -> {
                    for (int i = first; i < first + perRound; i++) {
                        worker.send(numbered(worker.alloc().directBuffer(100), i), to);
                    }
                    worker.flush();
                }).get(5, TimeUnit.SECONDS);
                next = receive(receiver, next, first + perRound);
            }
            assertEquals(rounds * perRound, next, "every datagram arrived, in order");
            long made = worker.eventLoop().submit(() -> worker.sender().envelopes().made()).get(5, TimeUnit.SECONDS);
            assertTrue(made >= 1 && made <= DatagramSender.FLUSH_BATCH,
                    "envelopes made for " + rounds * perRound + " datagrams: " + made);
        } finally {
            worker.close();
        }
    }

    @Test
    void aHeapBufferIsCopiedAndSentToItsAddress() throws Exception {
        // DTLS records come in heap buffers: the epoll channel copies them into a direct buffer,
        // releasing the envelope before it reads the recipient.
        InetAddress loopback = InetAddress.getLoopbackAddress();
        MediaWorker worker = new MediaWorker(0, loopback, 0, new TransportCounters());
        try (DatagramSocket receiver = new DatagramSocket(0, loopback)) {
            receiver.setSoTimeout(2_000);
            InetSocketAddress to = new InetSocketAddress(loopback, receiver.getLocalPort());
            ByteBuf heap = numbered(Unpooled.buffer(100), 0);
            worker.eventLoop().submit(() -> {
                worker.send(heap, to);
                worker.flush();
            }).get(5, TimeUnit.SECONDS);
            assertEquals(1, receive(receiver, 0, 1), "the copied datagram arrived");
            assertEquals(0, heap.refCnt(), "the heap buffer was released after the copy");
        } finally {
            worker.close();
        }
    }

    @Test
    void datagramsStillQueuedWhenTheWorkerClosesAreReleased() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        MediaWorker worker = new MediaWorker(0, loopback, 0, new TransportCounters(), false);
        List<ByteBuf> queued = new ArrayList<>();
        try {
            worker.eventLoop().submit(() -> {
                for (int i = 0; i < DatagramSender.FLUSH_BATCH / 2; i++) {
                    ByteBuf b = worker.alloc().directBuffer(64).writeLong(i);
                    queued.add(b);
                    worker.send(b, SOMEWHERE);
                }
            }).get(5, TimeUnit.SECONDS);
        } finally {
            worker.close();
        }
        for (ByteBuf b : queued) {
            assertEquals(0, b.refCnt(), "released by Netty's outbound buffer when the socket closed");
        }
        assertEquals(worker.sender().envelopes().made(), worker.sender().envelopes().free(), "every envelope is back");
    }

    /** Datagram {@code n}: its number, then a body derived from it (100 bytes), which {@link #receive} checks. */
    private static ByteBuf numbered(ByteBuf b, int n) {
        b.writeInt(n);
        for (int k = 0; k < 24; k++) {
            b.writeInt(n * 31 + k);
        }
        return b;
    }

    /** Receives up to {@code end}, checking each datagram's number and body; returns how far it got. */
    private static int receive(DatagramSocket socket, int next, int end) throws Exception {
        byte[] data = new byte[200];
        while (next < end) {
            java.net.DatagramPacket p = new java.net.DatagramPacket(data, data.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                return next;
            }
            assertEquals(100, p.getLength());
            java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(data, 0, p.getLength());
            assertEquals(next, in.getInt(), "datagrams arrive in the order written");
            for (int k = 0; k < 24; k++) {
                assertEquals(next * 31 + k, in.getInt(), "body of datagram " + next);
            }
            next++;
        }
        return next;
    }
}
