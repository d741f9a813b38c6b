package dev.prism.rtp;

/**
 * Extends 16-bit sequence numbers to 64 bits by counting wrap-arounds. The first value is
 * taken as is; each later value is placed at the extended number nearest to the highest seen
 * (within ±2^15), so reordered and late packets unwrap correctly. A late packet from before
 * the first one can unwrap to a negative value. One instance per stream; not thread-safe.
 */
public final class SequenceUnwrapper {
    private long highest;
    private boolean started;

    /** The extended value of {@code seq}; moves the reference forward when it is newer. */
    public long unwrap(int seq) {
        int s = seq & SequenceNumbers.MASK;
        if (!started) {
            started = true;
            highest = s;
            return s;
        }
        int delta = SequenceNumbers.diff(s, (int) highest);
        if (delta == -SequenceNumbers.MODULUS / 2 && SequenceNumbers.isNewer(s, (int) highest)) {
            delta = SequenceNumbers.MODULUS / 2; // exactly half: same tie-break as isNewer
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
