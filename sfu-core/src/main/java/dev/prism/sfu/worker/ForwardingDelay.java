package dev.prism.sfu.worker;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How long datagrams spend in a media worker: from a datagram's arrival at the worker's socket
 * (the kernel's receive timestamp) to the return of the {@code sendmmsg} that sent what handling
 * it produced — mostly its forwarded copies, also the replies it caused (STUN responses, RTCP,
 * retransmissions a NACK asked for). It includes the time the datagram waited in the socket
 * while the loop was busy, and each copy's wait behind the copies sent before it: the part of a
 * viewer's latency the server adds. A copy a subscriber's pacer holds back is timed from the
 * arrival of the datagram that caused it to its later send, so the pacing wait counts too; what
 * a timer sends of its own accord (a sender report, probe padding) is not in it.
 *
 * <p>A fixed-bucket histogram, as Prometheus exposes it: one writer, the worker's loop, stores
 * each count with a release store (no atomic read-modify-write on the path of every copy); the
 * scrape reads them with acquire loads, and may see one copy more in a bucket than in the sum.
 */
public final class ForwardingDelay {
    /** Bucket upper bounds, nanoseconds: fine below 2 ms, where the targets are. */
    private static final long[] BOUNDS_NANOS = {
        50_000, 100_000, 200_000, 300_000, 500_000, 750_000, 1_000_000, 1_500_000, 2_000_000, 3_000_000,
        5_000_000, 7_500_000, 10_000_000, 15_000_000, 20_000_000, 30_000_000, 50_000_000, 100_000_000,
        250_000_000, 1_000_000_000,
    };

    /** Counts per bucket (the last is above every bound), then the sum of the delays in nanoseconds. */
    private final AtomicLongArray cells = new AtomicLongArray(BOUNDS_NANOS.length + 2);

    /** Records one datagram that arrived at {@code arrivalNanos} and left at {@code sentNanos} (System.nanoTime). Loop thread. */
    void record(long arrivalNanos, long sentNanos) {
        long delay = sentNanos - arrivalNanos;
        if (delay < 0) {
            delay = 0; // the realtime clock stepped between arrival and conversion: count it, as nothing
        }
        int i = 0;
        while (i < BOUNDS_NANOS.length && delay > BOUNDS_NANOS[i]) {
            i++;
        }
        cells.setRelease(i, cells.getPlain(i) + 1);
        int sum = BOUNDS_NANOS.length + 1;
        cells.setRelease(sum, cells.getPlain(sum) + delay);
    }

    /** The buckets' upper bounds in seconds, without +Inf. */
    public static double[] upperBoundsSeconds() {
        double[] b = new double[BOUNDS_NANOS.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = BOUNDS_NANOS[i] / 1e9;
        }
        return b;
    }

    /** What is recorded so far; any thread. */
    public Snapshot snapshot() {
        long[] counts = new long[BOUNDS_NANOS.length + 1];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = cells.getAcquire(i);
        }
        return new Snapshot(counts, cells.getAcquire(BOUNDS_NANOS.length + 1) / 1e9);
    }

    /**
     * Counts per bucket, not cumulative: {@code counts[i]} for {@link #upperBoundsSeconds()}[i],
     * the last one above every bound; {@code sumSeconds} over all of them.
     */
    public record Snapshot(long[] counts, double sumSeconds) {
        public long count() {
            long n = 0;
            for (long c : counts) {
                n += c;
            }
            return n;
        }
    }
}
