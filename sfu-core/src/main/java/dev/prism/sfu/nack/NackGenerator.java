package dev.prism.sfu.nack;

/**
 * Decides which RTP sequence numbers of one received stream to ask for again (generic NACK,
 * RFC 4585 §6.2.1), in the manner of mediasoup's NackGenerator and libwebrtc's NackRequester.
 *
 * <p>{@link #onPacket} is fed every received packet; gaps are recorded as missing. A timer
 * calls {@link #collect} which hands out the sequence numbers due now: a missing packet is
 * asked for at once, then again every max(minRetry, RTT × retryRttPercent / 100) until it
 * arrives, {@code maxRetries} requests were sent, or it is older than the age limits. When
 * more is missing than the list holds, the list is emptied and a keyframe is asked for
 * instead.
 *
 * <p>Sequence numbers are unwrapped to 64 bits internally, so wrap-around is transparent.
 * Single-threaded, allocation-free after construction; time is passed in.
 */
public final class NackGenerator {
    /** {@link #onPacket} result bit: new sequence numbers became missing; a NACK is due. */
    public static final int MISSING_ADDED = 1;
    /** {@link #onPacket} result bit: too much is missing to repair; request a keyframe. */
    public static final int REQUEST_KEYFRAME = 2;

    private static final long NEVER = Long.MIN_VALUE;
    private static final int RECOVERED_CAPACITY = 64;

    private final NackConfig config;
    // Missing packets, sorted ascending by extended sequence number (parallel arrays).
    private final long[] missingSeq;
    private final long[] firstMissedAt;
    private final long[] lastSentAt;
    private final int[] retries;
    private int missing;
    // Recent packets that arrived as retransmissions ahead of the newest: never NACK them.
    private final long[] recovered = new long[RECOVERED_CAPACITY];
    private int recoveredNext;
    private int recoveredCount;

    private boolean started;
    private long newestSeq;
    private long newestKeyFrameSeq = NEVER;
    private long rttMillis;
    private long keyFrameRequests;
    private long nacksSent;

    public NackGenerator(NackConfig config) {
        this.config = config;
        missingSeq = new long[config.maxMissing()];
        firstMissedAt = new long[config.maxMissing()];
        lastSentAt = new long[config.maxMissing()];
        retries = new int[config.maxMissing()];
        rttMillis = config.defaultRttMillis();
    }

    public NackGenerator() {
        this(NackConfig.DEFAULT);
    }

    /**
     * Accounts for one received packet.
     *
     * @param seq            its 16-bit sequence number (the original one, after RTX unwrapping)
     * @param keyFrame       whether it starts a keyframe (older losses need no repair past it)
     * @param retransmission whether it arrived as a retransmission (RTX)
     * @return a combination of {@link #MISSING_ADDED} and {@link #REQUEST_KEYFRAME}, or 0
     */
    public int onPacket(int seq, boolean keyFrame, boolean retransmission, long nowMillis) {
        seq &= 0xFFFF;
        if (!started) {
            started = true;
            newestSeq = seq;
            if (keyFrame) {
                newestKeyFrameSeq = seq;
            }
            return 0;
        }
        long ext = newestSeq + (short) (seq - (int) (newestSeq & 0xFFFF));
        if (ext == newestSeq) {
            return 0;
        }
        if (keyFrame && ext > newestKeyFrameSeq) {
            newestKeyFrameSeq = ext;
        }
        if (ext < newestSeq) {
            remove(ext); // late or repaired: no longer missing
            return 0;
        }
        if (retransmission) {
            // Ahead of the newest yet retransmitted (e.g. RTX padding): remember, do not advance.
            recovered[recoveredNext] = ext;
            recoveredNext = (recoveredNext + 1) % RECOVERED_CAPACITY;
            recoveredCount = Math.min(RECOVERED_CAPACITY, recoveredCount + 1);
            return 0;
        }
        int result = addMissing(newestSeq + 1, ext - 1, nowMillis);
        newestSeq = ext;
        removeBefore(newestSeq - config.maxSequenceAge());
        return result;
    }

    private int addMissing(long from, long to, long nowMillis) {
        long gap = to - from + 1;
        if (gap <= 0) {
            return 0;
        }
        int capacity = missingSeq.length;
        if (missing + gap > capacity && newestKeyFrameSeq != NEVER) {
            removeBefore(newestKeyFrameSeq); // losses before the latest keyframe can be forgotten
        }
        if (missing + gap > capacity) {
            clear();
            keyFrameRequests++;
            return REQUEST_KEYFRAME;
        }
        int added = 0;
        for (long s = from; s <= to; s++) {
            if (recoveredCount > 0 && isRecovered(s)) {
                continue;
            }
            missingSeq[missing] = s;
            firstMissedAt[missing] = nowMillis;
            lastSentAt[missing] = NEVER;
            retries[missing] = 0;
            missing++;
            added++;
        }
        return added > 0 ? MISSING_ADDED : 0;
    }

    private boolean isRecovered(long ext) {
        for (int i = 0; i < recoveredCount; i++) {
            if (recovered[i] == ext) {
                return true;
            }
        }
        return false;
    }

    /**
     * Writes the 16-bit sequence numbers to NACK now into {@code out} (ascending, oldest first)
     * and returns how many; at most {@code out.length}, the rest stay due for the next call.
     * Also forgets entries past their retry or age limits.
     */
    public int collect(long nowMillis, int[] out) {
        long interval = Math.max(config.minRetryMillis(), rttMillis * config.retryRttPercent() / 100);
        int n = 0;
        int kept = 0;
        for (int i = 0; i < missing; i++) {
            if (retries[i] >= config.maxRetries() || nowMillis - firstMissedAt[i] > config.maxAgeMillis()) {
                continue; // given up: drop
            }
            if (n < out.length && (lastSentAt[i] == NEVER || nowMillis - lastSentAt[i] >= interval)) {
                out[n++] = (int) (missingSeq[i] & 0xFFFF);
                lastSentAt[i] = nowMillis;
                retries[i]++;
            }
            if (kept != i) {
                missingSeq[kept] = missingSeq[i];
                firstMissedAt[kept] = firstMissedAt[i];
                lastSentAt[kept] = lastSentAt[i];
                retries[kept] = retries[i];
            }
            kept++;
        }
        missing = kept;
        nacksSent += n;
        return n;
    }

    /** Latest round-trip time to the sender, which paces the retries. */
    public void setRttMillis(long rttMillis) {
        this.rttMillis = Math.max(0, rttMillis);
    }

    /** Number of sequence numbers currently considered missing. */
    public int missingCount() {
        return missing;
    }

    /** Whether the given 16-bit sequence number is currently considered missing. */
    public boolean isMissing(int seq) {
        if (!started) {
            return false;
        }
        long ext = newestSeq + (short) ((seq & 0xFFFF) - (int) (newestSeq & 0xFFFF));
        return indexOf(ext) >= 0;
    }

    public long keyFrameRequests() {
        return keyFrameRequests;
    }

    public long nacksSent() {
        return nacksSent;
    }

    /** Forgets everything, e.g. when the stream restarts. */
    public void reset() {
        clear();
        started = false;
        newestKeyFrameSeq = NEVER;
        recoveredCount = 0;
        recoveredNext = 0;
    }

    private void clear() {
        missing = 0;
    }

    private int indexOf(long ext) {
        int lo = 0;
        int hi = missing - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long v = missingSeq[mid];
            if (v < ext) {
                lo = mid + 1;
            } else if (v > ext) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    private void remove(long ext) {
        int i = indexOf(ext);
        if (i < 0) {
            return;
        }
        int tail = missing - i - 1;
        System.arraycopy(missingSeq, i + 1, missingSeq, i, tail);
        System.arraycopy(firstMissedAt, i + 1, firstMissedAt, i, tail);
        System.arraycopy(lastSentAt, i + 1, lastSentAt, i, tail);
        System.arraycopy(retries, i + 1, retries, i, tail);
        missing--;
    }

    /** Drops every entry below {@code ext}. */
    private void removeBefore(long ext) {
        int i = indexOf(ext);
        int first = i >= 0 ? i : -(i + 1);
        if (first == 0) {
            return;
        }
        int tail = missing - first;
        System.arraycopy(missingSeq, first, missingSeq, 0, tail);
        System.arraycopy(firstMissedAt, first, firstMissedAt, 0, tail);
        System.arraycopy(lastSentAt, first, lastSentAt, 0, tail);
        System.arraycopy(retries, first, retries, 0, tail);
        missing = tail;
    }
}
