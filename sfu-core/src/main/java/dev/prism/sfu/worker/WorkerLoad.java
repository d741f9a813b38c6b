package dev.prism.sfu.worker;

/**
 * How busy one media worker is, sampled once a second: the share of a core its loop
 * thread used (smoothed over a few seconds), the bytes waiting in its socket's receive queue and
 * the datagrams the kernel dropped in the last interval because that queue was full. Past
 * saturation every session on the worker degrades at once (the queue grows, latency reaches
 * seconds, then input is lost), so signaling refuses new sessions on an overloaded worker instead
 * (as LiveKit's node selector skips nodes over their CPU limit). The queue tells even when the loop
 * thread's own CPU share does not: on a core shared with DTLS handshakes and the control plane the
 * loop fell behind (p50 latency 0.2-0.9 s) at 70-85 % of a core. Written by one sampling thread
 * ({@link WorkerLoadSampler}), read from any thread.
 */
public final class WorkerLoad {
    /** Weight of the newest one-second sample: about three seconds of memory. */
    private static final double SMOOTHING = 0.4;
    /**
     * A loop that keeps up drains its queue at every wake; 1 MiB waiting when the once-a-second
     * sample runs is hundreds of datagrams, milliseconds of work behind.
     */
    public static final long BACKLOG_BYTES = 1 << 20;
    /**
     * A worker seen behind stays overloaded for this many samples: its queue swings from empty to
     * megabytes between two samples, and sessions admitted in a lucky sample load it seconds later.
     */
    static final int HOLD_SAMPLES = 5;

    private long lastWallNanos = -1;
    private long lastCpuNanos;
    private long lastDrops = -1;
    private volatile double cpu;
    private volatile long recentDrops;
    private volatile long queuedBytes;
    private volatile int samplesSinceBehind = HOLD_SAMPLES;

    /**
     * One sample. {@code cpuNanos} is the loop thread's CPU time, {@code drops} the socket's drop
     * counter since it opened, {@code queued} the bytes in its receive queue; each negative when
     * unknown. One thread (the sampler's).
     */
    public void sample(long wallNanos, long cpuNanos, long drops, long queued) {
        if (lastWallNanos >= 0 && wallNanos > lastWallNanos && cpuNanos >= 0 && lastCpuNanos >= 0) {
            double share = Math.min(1.0, (double) (cpuNanos - lastCpuNanos) / (wallNanos - lastWallNanos));
            cpu = cpu == 0 ? share : cpu + SMOOTHING * (share - cpu);
        }
        recentDrops = drops >= 0 && lastDrops >= 0 ? Math.max(0, drops - lastDrops) : 0;
        queuedBytes = Math.max(0, queued);
        boolean behind = queuedBytes >= BACKLOG_BYTES || recentDrops > 0;
        samplesSinceBehind = behind ? 0 : Math.min(HOLD_SAMPLES, samplesSinceBehind + 1);
        lastWallNanos = wallNanos;
        lastCpuNanos = cpuNanos;
        lastDrops = drops;
    }

    /** The loop thread's smoothed share of one core, 0 to 1. */
    public double cpu() {
        return cpu;
    }

    /** Datagrams the kernel dropped for a full receive queue in the last interval. */
    public long recentDrops() {
        return recentDrops;
    }

    /** Bytes waiting in the socket's receive queue at the last sample. */
    public long queuedBytes() {
        return queuedBytes;
    }

    /**
     * True when the loop uses at least {@code maxPercent} % of a core, or it did not keep up (a
     * backlog of {@link #BACKLOG_BYTES} or input dropped) in one of the last {@link #HOLD_SAMPLES}
     * samples; never when {@code maxPercent} is 0.
     */
    public boolean overloaded(int maxPercent) {
        return maxPercent > 0 && (cpu * 100 >= maxPercent || samplesSinceBehind < HOLD_SAMPLES);
    }

    /** For errors and logs: "loop at 93 % of a core, 2048 KiB queued, 1200 datagrams dropped in the last second". */
    public String describe() {
        return "loop at " + Math.round(cpu * 100) + " % of a core, " + queuedBytes / 1024 + " KiB queued, "
                + recentDrops + " datagrams dropped in the last second";
    }
}
