package dev.prism.rtp;

/**
 * 16-bit RTP sequence number arithmetic (RFC 3550 §A.1) modulo 2^16. A number is newer than
 * another when it is less than half the space ahead; at exactly half, the numerically larger
 * one is taken as newer so that isNewer(a, b) and isNewer(b, a) are never both true.
 */
public final class SequenceNumbers {
    public static final int MODULUS = 1 << 16;
    public static final int MASK = 0xFFFF;

    private SequenceNumbers() {}

    /** Signed distance a - b in [-32768, 32767]. */
    public static int diff(int a, int b) {
        return (short) (a - b);
    }

    /** True when {@code a} comes after {@code b}. */
    public static boolean isNewer(int a, int b) {
        int d = (a - b) & MASK;
        if (d == MODULUS / 2) {
            return (a & MASK) > (b & MASK);
        }
        return d != 0 && d < MODULUS / 2;
    }

    /** Negative, zero or positive as {@code a} is older than, equal to or newer than {@code b}. */
    public static int compare(int a, int b) {
        if (((a - b) & MASK) == 0) {
            return 0;
        }
        return isNewer(a, b) ? 1 : -1;
    }

    /** {@code seq + delta} modulo 2^16. */
    public static int add(int seq, int delta) {
        return (seq + delta) & MASK;
    }
}
