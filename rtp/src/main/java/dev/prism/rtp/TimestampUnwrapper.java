package dev.prism.rtp;

/**
 * Extends 32-bit RTP timestamps to 64 bits by counting wrap-arounds, relative to the highest
 * timestamp seen (within ±2^31), like {@link SequenceUnwrapper}. Not thread-safe.
 */
public final class TimestampUnwrapper {
    private long highest;
    private boolean started;

    public long unwrap(long timestamp) {
        long t = timestamp & RtpTimestamps.MASK;
        if (!started) {
            started = true;
            highest = t;
            return t;
        }
        long delta = RtpTimestamps.diff(t, highest);
        if (delta == -RtpTimestamps.MODULUS / 2 && RtpTimestamps.isNewer(t, highest)) {
            delta = RtpTimestamps.MODULUS / 2; // exactly half: same tie-break as isNewer
        }
        long extended = highest + delta;
        if (extended > highest) {
            highest = extended;
        }
        return extended;
    }

    /** Highest extended value seen, or -1 before the first. */
    public long highest() {
        return started ? highest : -1;
    }

    public void reset() {
        started = false;
        highest = 0;
    }
}
