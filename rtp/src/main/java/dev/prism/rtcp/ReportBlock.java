package dev.prism.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * One 24-byte reception report block of an SR or RR (RFC 3550 §6.4.1). Accessors take the
 * absolute index of the block, e.g. from {@link SenderReport#reportBlockOffset}.
 */
public final class ReportBlock {
    private ReportBlock() {}

    public static final int SIZE = 24;
    private static final int MAX_LOST = 0x7FFFFF;
    private static final int MIN_LOST = -0x800000;

    public static int ssrc(ByteBuf buf, int block) {
        return buf.getInt(block);
    }

    /** Fraction lost since the last report, fixed point with 8 fractional bits (0..255). */
    public static int fractionLost(ByteBuf buf, int block) {
        return buf.getUnsignedByte(block + 4);
    }

    /** Cumulative number of packets lost: 24-bit signed, negative when duplicates arrived. */
    public static int cumulativeLost(ByteBuf buf, int block) {
        return buf.getMedium(block + 5);
    }

    /** Extended highest sequence number received (cycles in the top 16 bits). */
    public static long extendedHighestSequence(ByteBuf buf, int block) {
        return buf.getUnsignedInt(block + 8);
    }

    /** Interarrival jitter in RTP timestamp units. */
    public static long jitter(ByteBuf buf, int block) {
        return buf.getUnsignedInt(block + 12);
    }

    /** Middle 32 bits of the NTP timestamp of the last SR received (LSR). */
    public static long lastSenderReport(ByteBuf buf, int block) {
        return buf.getUnsignedInt(block + 16);
    }

    /** Delay since that SR, in units of 1/65536 s (DLSR). */
    public static long delaySinceLastSenderReport(ByteBuf buf, int block) {
        return buf.getUnsignedInt(block + 20);
    }

    /**
     * Appends one block. {@code cumulativeLost} is clamped to the 24-bit signed range as
     * RFC 3550 §6.4.1 asks (saturate, do not wrap). Returns 24.
     */
    public static int write(ByteBuf out, int ssrc, int fractionLost, int cumulativeLost,
                            long extendedHighestSequence, long jitter, long lastSenderReport,
                            long delaySinceLastSenderReport) {
        out.writeInt(ssrc);
        out.writeByte(fractionLost);
        out.writeMedium(Math.max(MIN_LOST, Math.min(MAX_LOST, cumulativeLost)));
        out.writeInt((int) extendedHighestSequence);
        out.writeInt((int) jitter);
        out.writeInt((int) lastSenderReport);
        out.writeInt((int) delaySinceLastSenderReport);
        return SIZE;
    }
}
