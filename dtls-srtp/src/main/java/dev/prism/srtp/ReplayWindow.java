package dev.prism.srtp;

/**
 * A sliding replay window of 128 packet indexes (RFC 3711 §3.3.2 asks for at least 64).
 * Bit k of the window says whether index {@code highest - k} was accepted.
 */
final class ReplayWindow {
    static final int SIZE = 128;

    private long highest = -1;
    private long low;   // bits 0..63: highest .. highest-63
    private long high;  // bits 64..127

    /** True when {@code index} is neither older than the window nor seen before. */
    boolean check(long index) {
        if (highest < 0 || index > highest) {
            return true;
        }
        long delta = highest - index;
        if (delta >= SIZE) {
            return false;
        }
        return delta < 64 ? (low & (1L << delta)) == 0 : (high & (1L << (delta - 64))) == 0;
    }

    /** Marks {@code index} as accepted; call only after authentication succeeded. */
    void update(long index) {
        if (highest < 0) {
            highest = index;
            low = 1;
            high = 0;
            return;
        }
        if (index > highest) {
            shift(index - highest);
            highest = index;
            low |= 1;
            return;
        }
        long delta = highest - index;
        if (delta < 64) {
            low |= 1L << delta;
        } else if (delta < SIZE) {
            high |= 1L << (delta - 64);
        }
    }

    long highest() {
        return highest;
    }

    private void shift(long by) {
        if (by >= SIZE) {
            low = 0;
            high = 0;
        } else if (by >= 64) {
            high = low << (by - 64);
            low = 0;
        } else {
            high = (high << by) | (low >>> (64 - by));
            low <<= by;
        }
    }
}
