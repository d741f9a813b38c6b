package dev.prism.rtp;

import io.netty.buffer.ByteBuf;

/**
 * abs-send-time header extension ("http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"):
 * a 24-bit unsigned 6.18 fixed-point number of seconds, wrapping every 64 s.
 */
public final class AbsSendTime {
    public static final int LENGTH = 3;
    /** Fraction bits of the 6.18 format. */
    public static final int FRACTION_BITS = 18;
    public static final int MASK = 0xFFFFFF;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private AbsSendTime() {}

    public static int read(ByteBuf buf, int index) {
        return buf.getUnsignedMedium(index);
    }

    public static void write(ByteBuf buf, int index, int value) {
        buf.setMedium(index, value & MASK);
    }

    /** The 6.18 value of a time in nanoseconds (any epoch), modulo 64 s. */
    public static int fromNanos(long nanos) {
        long seconds = Math.floorDiv(nanos, NANOS_PER_SECOND);
        long fraction = Math.floorMod(nanos, NANOS_PER_SECOND);
        // Split so that the shift cannot overflow for any long input.
        return (int) (((seconds << FRACTION_BITS) + ((fraction << FRACTION_BITS) / NANOS_PER_SECOND)) & MASK);
    }

    /** Nanoseconds in [0, 64 s) that a 6.18 value stands for. */
    public static long toNanos(int value) {
        return ((value & MASK) * NANOS_PER_SECOND) >>> FRACTION_BITS;
    }

    /** Signed difference a - b in 6.18 units, taking the 64 s wrap into account. */
    public static int diff(int a, int b) {
        return ((a - b) << 8) >> 8;
    }
}
