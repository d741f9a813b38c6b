package dev.prism.sfu.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.prism.sfu.transport.TransportCounters;
import io.netty.buffer.ByteBuf;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A long fan-out leaves in batches: datagrams written on the loop go out every FLUSH_BATCH, the rest at a flush. */
class MediaWorkerFlushTest {
    @ParameterizedTest(name = "sendmmsg called directly where it can be: {0}")
    @ValueSource(booleans = {true, false})
    void datagramsLeaveEveryFlushBatchWithoutWaitingForTheLoopPass(boolean directSend) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        MediaWorker worker = new MediaWorker(0, loopback, 0, new TransportCounters(), directSend);
        try (DatagramSocket receiver = new DatagramSocket(0, loopback)) {
            receiver.setReceiveBufferSize(1 << 20);
            receiver.setSoTimeout(50);
            InetSocketAddress to = new InetSocketAddress(loopback, receiver.getLocalPort());
            int total = 2 * DatagramSender.FLUSH_BATCH + DatagramSender.FLUSH_BATCH / 2;
            // All on the loop, in one task (so neither a read's end nor the worker's tick flushes in between):
            // loopback delivers during the send call, so what the receiver holds is what was sent.
            int beforeFlush = worker.eventLoop().submit(() -> {
                for (int i = 0; i < total; i++) {
                    ByteBuf b = worker.alloc().directBuffer(100);
                    b.writeInt(i).writeZero(96);
                    worker.send(b, to);
                }
                return drain(receiver, 0);
            }).get(5, TimeUnit.SECONDS);
            assertEquals(2 * DatagramSender.FLUSH_BATCH, beforeFlush, "whole batches left while the task still ran");
            worker.eventLoop().submit(worker::flush).get(5, TimeUnit.SECONDS);
            assertEquals(total, drain(receiver, beforeFlush), "the flush sent the rest, in order");
        } finally {
            worker.close();
        }
    }

    /** Reads what waits in the socket (in order, numbered from {@code next}); returns how far it got. */
    private static int drain(DatagramSocket socket, int next) throws Exception {
        byte[] data = new byte[200];
        while (true) {
            DatagramPacket p = new DatagramPacket(data, data.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                return next;
            }
            int n = ((data[0] & 0xFF) << 24) | ((data[1] & 0xFF) << 16) | ((data[2] & 0xFF) << 8) | (data[3] & 0xFF);
            assertEquals(next, n, "datagrams arrive in the order written");
            next++;
        }
    }
}
