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
 * the worker's loop: a loop thread's CPU time is readable from any thread, and a sample taken while
 * the loop is stuck still counts its time (the loop cannot sample itself then). The socket's queue
 * and drops come from the kernel for that socket alone ({@link SocketMemInfo}) where the worker has
 * its own descriptor, else from /proc/self/net/udp, which lists every UDP socket of the network
 * namespace: reading it took 1.2 ms with 600 sockets open (the load tool's, in the benchmark's
 * namespace; a busy host has more), which on the loop had been a stall of every packet behind it
 * once a second.
 */
final class WorkerLoadSampler {
    private static final Logger LOG = Logger.getLogger(WorkerLoadSampler.class.getName());
    private static final ScheduledExecutorService SAMPLER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "prism-worker-load");
        t.setDaemon(true);
        return t;
    });

    private final ScheduledFuture<?> schedule;
    private final SocketMemInfo socket;

    private WorkerLoadSampler(ScheduledFuture<?> schedule, SocketMemInfo socket) {
        this.schedule = schedule;
        this.socket = socket;
    }

    /**
     * Samples {@code load} every second from now on; {@code socketFd} is the worker's socket
     * (read through a duplicate of it), or -1 to find the socket by {@code port} in /proc.
     */
    static WorkerLoadSampler start(WorkerLoad load, long loopThreadId, int port, int socketFd) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        boolean cpuTime = threads.isThreadCpuTimeSupported();
        SocketMemInfo socket = SocketMemInfo.open(socketFd);
        ScheduledFuture<?> schedule = SAMPLER.scheduleAtFixedRate(() -> {
            try {
                UdpSocketStats stats = socket != null ? socket.read() : UdpSocketStats.read(port);
                load.sample(System.nanoTime(), cpuTime ? threads.getThreadCpuTime(loopThreadId) : -1,
                        stats == null ? -1 : stats.drops(), stats == null ? -1 : stats.queuedBytes());
            } catch (RuntimeException e) {
                // A failed sample must not end the schedule (a scheduled task that throws is never run again).
                LOG.log(Level.WARNING, "media worker load sample failed (port " + port + ")", e);
            }
        }, 1, 1, TimeUnit.SECONDS);
        return new WorkerLoadSampler(schedule, socket);
    }

    /** True when the socket's figures come from its own descriptor, not /proc. */
    boolean readsSocketDirectly() {
        return socket != null;
    }

    /** No more samples; the duplicate descriptor closes on the sampler's thread, after any sample under way. */
    void stop() {
        schedule.cancel(false);
        if (socket != null) {
            SAMPLER.execute(socket::close);
        }
    }
}
