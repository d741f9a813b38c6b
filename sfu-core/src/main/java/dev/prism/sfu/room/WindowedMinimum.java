package dev.prism.sfu.room;

/**
 * The minimum of a sampled value over the last one to two windows (two alternating windows, no
 * history kept): what a round trip is without queueing, forgetting a path that has changed.
 */
final class WindowedMinimum {
    private final long windowMillis;
    private long windowStart = Long.MIN_VALUE;
    private long current = Long.MAX_VALUE;
    private long previous = Long.MAX_VALUE;

    WindowedMinimum(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    void add(long value, long nowMillis) {
        if (windowStart == Long.MIN_VALUE) {
            windowStart = nowMillis;
        } else if (nowMillis - windowStart >= windowMillis) {
            previous = nowMillis - windowStart >= 2 * windowMillis ? Long.MAX_VALUE : current;
            current = Long.MAX_VALUE;
            windowStart = nowMillis;
        }
        current = Math.min(current, value);
    }

    /** The minimum, Long.MAX_VALUE before any sample. */
    long min() {
        return Math.min(current, previous);
    }
}
