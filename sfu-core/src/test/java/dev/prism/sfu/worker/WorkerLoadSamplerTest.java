package dev.prism.sfu.worker;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.prism.sfu.transport.TransportCounters;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Socket;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A worker's load is sampled off its loop: a loop stuck in one long task is still seen busy while it
 * is stuck, and a socket nobody reads is seen filling up.
 */
class WorkerLoadSamplerTest {
    @Test
    void aSocketNobodyReadsIsSeenQueuingThroughItsOwnDescriptor() throws Exception {
        assumeTrue(LinuxSyscalls.available(), "FFM system calls bound");
        Epoll.ensureAvailability();
        Socket socket = Socket.newSocketDgram();
        WorkerLoad load = new WorkerLoad();
        WorkerLoadSampler sampler = null;
        try {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = ((InetSocketAddress) socket.localAddress()).getPort();
            // Port 9 (discard) is nobody's here: only the descriptor can give this socket's figures.
            sampler = WorkerLoadSampler.start(load, Thread.currentThread().threadId(), 9, socket.intValue());
            assertTrue(sampler.readsSocketDirectly());
            try (DatagramSocket sender = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                byte[] payload = new byte[1000];
                for (int i = 0; i < 20; i++) {
                    sender.send(new DatagramPacket(payload, payload.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (load.queuedBytes() < 20_000 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(load.queuedBytes() >= 20_000, "twenty datagrams seen waiting: " + load.describe());
        } finally {
            if (sampler != null) {
                sampler.stop();
            }
            socket.close();
        }
    }

    @Test
    void aStuckLoopIsSeenBusyWhileItIsStuck() throws Exception {
        MediaWorker worker = new MediaWorker(0, InetAddress.getLoopbackAddress(), 0, new TransportCounters());
        AtomicBoolean spin = new AtomicBoolean(true);
        CountDownLatch spinning = new CountDownLatch(1);
        try {
            // One task that keeps the loop thread on the CPU until released (at most 20 s): a sampler on the
            // loop itself could not run before it ends.
            worker.eventLoop().execute(() -> {
                spinning.countDown();
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (spin.get() && System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
            });
            assertTrue(spinning.await(5, TimeUnit.SECONDS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            // An idle loop samples near 0 %; the spinning one near 100 % of a core on a quiet machine, and still
            // a good share of one on a loaded 2-core machine.
            while (worker.load().cpu() < 0.2 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(worker.load().cpu() >= 0.2, "the stuck loop was sampled busy: " + worker.load().describe());
        } finally {
            spin.set(false);
            worker.close();
        }
    }
}
