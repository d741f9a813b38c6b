package dev.prism.sfu.worker;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Samples each media worker's {@link WorkerLoad} once a second on one shared daemon thread, not on
 * the worker's loop: the socket's queue and drops come from /proc/self/net/udp, which lists every
 * UDP socket of the network namespace, and reading it took 1.2 ms with 600 sockets open (the
 * load tool's, in the benchmark's namespace; a busy host has more). On the loop that was a stall
 * of every packet behind it once a second. A loop thread's CPU time is readable from any thread,
 * and a sample taken while the loop is stuck still counts its time (the loop cannot sample itself
 * then).
 */
final class WorkerLoadSampler {
    private static final Logger LOG = Logger.getLogger(WorkerLoadSampler.class.getName());
    private static final ScheduledExecutorService SAMPLER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "prism-worker-load");
        t.setDaemon(true);
        return t;
    });

    private WorkerLoadSampler() {}

    /** Samples {@code load} every second from now on; cancel the returned future when the worker closes. */
    static ScheduledFuture<?> start(WorkerLoad load, long loopThreadId, int port) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        boolean cpuTime = threads.isThreadCpuTimeSupported();
        return SAMPLER.scheduleAtFixedRate(() -> {
            try {
                UdpSocketStats socket = UdpSocketStats.read(port);
                load.sample(System.nanoTime(), cpuTime ? threads.getThreadCpuTime(loopThreadId) : -1,
                        socket == null ? -1 : socket.drops(), socket == null ? -1 : socket.queuedBytes());
            } catch (RuntimeException e) {
                // A failed sample must not end the schedule (a scheduled task that throws is never run again).
                LOG.log(Level.WARNING, "media worker load sample failed (port " + port + ")", e);
            }
        }, 1, 1, TimeUnit.SECONDS);
    }
}
