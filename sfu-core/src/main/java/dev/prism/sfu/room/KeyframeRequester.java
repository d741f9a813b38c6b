package dev.prism.sfu.room;

/**
 * Decides when a published track's layer may be asked for a key frame (PLI), however many
 * subscribers want one. A request stays outstanding until a key frame of that layer arrives, and
 * that key frame serves every subscriber waiting by then, so requests in between are absorbed;
 * an unanswered request (a lost PLI, a slow encoder) is repeated after {@link #RETRY_MILLIS}.
 * After a key frame, or any request, the layer is left alone for {@link #MIN_INTERVAL_MILLIS}:
 * a burst of joins then costs the publisher a key frame every ~0.6 s (interval plus the
 * encoder's answer time), not one per viewer, while a late joiner waits at most about that long.
 * With many receivers the interval grows ({@link #intervalMillis}): every receiver of the track
 * gets each key frame (three times a frame's packets from the load tool's publisher, often more
 * from a browser's), so its cost grows with them while its benefit, a joiner or a broken decoder
 * waiting, does not. At 600 viewers joining 8 at a time, key frames every ~0.6 s added ~11 % to
 * every viewer's packets for as long as the joins went on.
 * Loop thread only; the clock is passed in.
 */
final class KeyframeRequester {
    /** At most one request per layer per this interval, and none this soon after a key frame. */
    static final long MIN_INTERVAL_MILLIS = 500;
    /** The interval for many receivers: this much per receiver, from {@link #MIN_INTERVAL_MILLIS} at 100 ... */
    static final long MILLIS_PER_RECEIVER = 5;
    /** ... to this at 400 and more. */
    static final long MAX_INTERVAL_MILLIS = 2000;
    /** An outstanding request not answered by a key frame within this time is sent again. */
    static final long RETRY_MILLIS = 1000;

    private final boolean[] outstanding;
    private final long[] requestedAt;
    private final long[] keyFrameAt;

    KeyframeRequester(int layers) {
        outstanding = new boolean[layers];
        requestedAt = new long[layers];
        keyFrameAt = new long[layers];
        java.util.Arrays.fill(requestedAt, Long.MIN_VALUE / 2);
        java.util.Arrays.fill(keyFrameAt, Long.MIN_VALUE / 2);
    }

    /** The least time between key frame requests for a track that {@code receivers} subscribers receive. */
    static long intervalMillis(int receivers) {
        return Math.min(MAX_INTERVAL_MILLIS, Math.max(MIN_INTERVAL_MILLIS, receivers * MILLIS_PER_RECEIVER));
    }

    /** {@link #tryRequest(int, long, int)} for a track with few receivers. */
    boolean tryRequest(int layer, long nowMillis) {
        return tryRequest(layer, nowMillis, 0);
    }

    /**
     * True when a request for {@code layer} of a track that {@code receivers} subscribers receive
     * should go to the publisher now; it is then recorded as sent.
     */
    boolean tryRequest(int layer, long nowMillis, int receivers) {
        long sinceRequest = nowMillis - requestedAt[layer];
        long interval = intervalMillis(receivers);
        if (outstanding[layer] ? sinceRequest < RETRY_MILLIS
                : sinceRequest < interval || nowMillis - keyFrameAt[layer] < interval) {
            return false;
        }
        outstanding[layer] = true;
        requestedAt[layer] = nowMillis;
        return true;
    }

    /** A key frame (any of its packets) of {@code layer} arrived: the outstanding request is answered. */
    void onKeyFrame(int layer, long nowMillis) {
        outstanding[layer] = false;
        keyFrameAt[layer] = nowMillis;
    }

    /** Whether a request for {@code layer} is waiting for its key frame. */
    boolean isOutstanding(int layer) {
        return outstanding[layer];
    }
}
