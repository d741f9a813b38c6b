package dev.prism.rtp;

/**
 * 32-bit RTP timestamp arithmetic (RFC 3550 §5.1) modulo 2^32; timestamps are passed as longs
 * holding the unsigned value (as {@link RtpPacket#timestamp} returns) or any long whose low
 * 32 bits are the timestamp.
 */
public final class RtpTimestamps {
    public static final long MODULUS = 1L << 32;
    public static final long MASK = 0xFFFF_FFFFL;

    private RtpTimestamps() {}

    /** Signed distance a - b in [-2^31, 2^31 - 1]. */
    public static long diff(long a, long b) {
        return (int) (a - b);
    }

    /** True when {@code a} comes after {@code b}; at exactly half the space the larger wins. */
    public static boolean isNewer(long a, long b) {
        long d = (a - b) & MASK;
        if (d == MODULUS / 2) {
            return (a & MASK) > (b & MASK);
        }
        return d != 0 && d < MODULUS / 2;
    }

    public static int compare(long a, long b) {
        if (((a - b) & MASK) == 0) {
            return 0;
        }
        return isNewer(a, b) ? 1 : -1;
    }

    /** {@code ts + delta} modulo 2^32. */
    public static long add(long ts, long delta) {
        return (ts + delta) & MASK;
    }
}
