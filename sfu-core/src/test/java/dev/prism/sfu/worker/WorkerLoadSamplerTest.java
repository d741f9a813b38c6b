package dev.prism.sfu.worker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.sfu.transport.TransportCounters;
import java.net.InetAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A worker's load is sampled off its loop: a loop stuck in one long task is still seen busy while it is stuck. */
class WorkerLoadSamplerTest {
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
