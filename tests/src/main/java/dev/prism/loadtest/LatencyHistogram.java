package dev.prism.loadtest;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies in microseconds in fixed log-linear buckets (the HdrHistogram layout with 2 significant
 * digits): exact below 128 µs, then 64 buckets per power of two, so a bucket is at most 1/64 (1.6 %)
 * wide; values up to 2^31 µs (35 min), larger ones land in the last bucket. The exact maximum is kept.
 * One writer thread per instance (a viewer's event loop); readers on other threads see counts that
 * are at most a few records behind. No allocation per record.
 */
public final class LatencyHistogram {
    private static final int LINEAR = 128;
    private static final int HALF = 64;
    private static final int MAX_SHIFT = 24;
    static final int BUCKETS = LINEAR + MAX_SHIFT * HALF;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private volatile long total;
    private volatile long maxMicros;

    /** Records one latency; negative values (clock misuse) count as 0. */
    public void record(long micros) {
        long v = Math.max(0, micros);
        int i = bucket(v);
        counts.lazySet(i, counts.get(i) + 1);
        total = total + 1;
        if (v > maxMicros) {
            maxMicros = v;
        }
    }

    static int bucket(long v) {
        if (v < LINEAR) {
            return (int) v;
        }
        int log2 = 63 - Long.numberOfLeadingZeros(v);
        int shift = log2 - 6;
        if (shift > MAX_SHIFT) {
            return BUCKETS - 1;
        }
        return LINEAR + (shift - 1) * HALF + (int) ((v >>> shift) - HALF);
    }

    /** The smallest value that falls in bucket {@code i}. */
    static long lowerBound(int i) {
        if (i < LINEAR) {
            return i;
        }
        int shift = (i - LINEAR) / HALF + 1;
        long sub = (i - LINEAR) % HALF + HALF;
        return sub << shift;
    }

    /** The middle of bucket {@code i} (its value when reporting a percentile). */
    static long representative(int i) {
        if (i < LINEAR) {
            return i;
        }
        int shift = (i - LINEAR) / HALF + 1;
        return lowerBound(i) + ((1L << shift) >>> 1);
    }

    public long count() {
        return total;
    }

    public long maxMicros() {
        return maxMicros;
    }

    /** Adds {@code other}'s counts into this one (for a merged report; call from one thread). */
    public void add(LatencyHistogram other) {
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            long c = other.counts.get(i);
            if (c != 0) {
                counts.lazySet(i, counts.get(i) + c);
                n += c;
            }
        }
        total = total + n;
        maxMicros = Math.max(maxMicros, other.maxMicros);
    }

    /** The value at {@code percentile} (0..100) in microseconds, the exact maximum for 100; 0 when empty. */
    public long percentileMicros(double percentile) {
        long n = 0;
        long[] snapshot = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            snapshot[i] = counts.get(i);
            n += snapshot[i];
        }
        if (n == 0) {
            return 0;
        }
        if (percentile >= 100) {
            return maxMicros;
        }
        long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * n));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += snapshot[i];
            if (seen >= rank) {
                return Math.min(representative(i), maxMicros);
            }
        }
        return maxMicros;
    }
}
