package dev.prism.sfu.cc;

/**
 * The rate the receiver saw, from acknowledged packets: bytes per arrival-time bucket over the
 * last {@link #WINDOW_MICROS}, on the receiver's clock (so feedback batching does not make it
 * bursty). This is R_hat of draft-ietf-rmcat-gcc-02 §5.5. Preallocated ring; loop thread only.
 */
final class AckedBitrate {
    static final long BUCKET_MICROS = 25_000;
    static final int BUCKETS = 20;
    static final long WINDOW_MICROS = BUCKET_MICROS * BUCKETS;
    /** Below this much history the rate is too noisy to act on. */
    static final long MIN_SPAN_MICROS = 100_000;

    private final long[] bucketIds = new long[BUCKETS];
    private final long[] bytes = new long[BUCKETS];
    private boolean started;
    private long firstArrival;
    private long newestArrival;
    private long newestBucket;

    AckedBitrate() {
        java.util.Arrays.fill(bucketIds, Long.MIN_VALUE);
    }

    void add(long arrivalMicros, int sizeBytes) {
        long id = Math.floorDiv(arrivalMicros, BUCKET_MICROS);
        if (!started) {
            started = true;
            firstArrival = arrivalMicros;
            newestArrival = arrivalMicros;
            newestBucket = id;
        }
        if (id <= newestBucket - BUCKETS) {
            return; // older than the window
        }
        if (arrivalMicros > newestArrival) {
            newestArrival = arrivalMicros;
            newestBucket = Math.max(newestBucket, id);
        }
        int slot = (int) Math.floorMod(id, (long) BUCKETS);
        if (bucketIds[slot] != id) {
            bucketIds[slot] = id;
            bytes[slot] = 0;
        }
        bytes[slot] += sizeBytes;
    }

    /** Bits per second over the window ending at the newest arrival, 0 while unknown. */
    long bps() {
        if (!started) {
            return 0;
        }
        long oldest = newestBucket - BUCKETS + 1;
        long sum = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (bucketIds[i] >= oldest && bucketIds[i] <= newestBucket) {
                sum += bytes[i];
            }
        }
        long windowStart = Math.max(firstArrival, oldest * BUCKET_MICROS);
        long span = newestArrival - windowStart;
        if (span < MIN_SPAN_MICROS) {
            return 0;
        }
        return sum * 8 * 1_000_000 / span;
    }
}
