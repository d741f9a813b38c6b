package dev.prism.sfu.room;

/**
 * Decides when a published track's layer may be asked for a key frame (PLI), however many
 * subscribers want one. A request stays outstanding until a key frame of that layer arrives, and
 * that key frame serves every subscriber waiting by then, so requests in between are absorbed;
 * an unanswered request (a lost PLI, a slow encoder) is repeated after {@link #RETRY_MILLIS}.
 * After a key frame, or any request, the layer is left alone for {@link #MIN_INTERVAL_MILLIS}:
 * a burst of joins then costs the publisher a key frame every ~0.6 s (interval plus the
 * encoder's answer time), not one per viewer, while a late joiner waits at most about that long.
 * Loop thread only; the clock is passed in.
 */
final class KeyframeRequester {
    /** At most one request per layer per this interval, and none this soon after a key frame. */
    static final long MIN_INTERVAL_MILLIS = 500;
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

    /** True when a request for {@code layer} should go to the publisher now; it is then recorded as sent. */
    boolean tryRequest(int layer, long nowMillis) {
        long sinceRequest = nowMillis - requestedAt[layer];
        if (outstanding[layer] ? sinceRequest < RETRY_MILLIS
                : sinceRequest < MIN_INTERVAL_MILLIS || nowMillis - keyFrameAt[layer] < MIN_INTERVAL_MILLIS) {
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
