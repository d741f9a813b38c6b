package dev.prism.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * REMB, an application-layer PSFB (FMT 15, RFC 4585 §6.4) defined by
 * draft-alvestrand-rmcat-remb-03 §2.2: media SSRC 0, the ASCII identifier 'REMB', num SSRC (8),
 * bitrate as 6-bit exponent + 18-bit mantissa (bps = mantissa << exp), then the SSRC list.
 */
public final class ReceiverEstimatedMaximumBitrate {
    private ReceiverEstimatedMaximumBitrate() {}

    /** 'R' 'E' 'M' 'B'. */
    public static final int IDENTIFIER = 0x52454D42;
    public static final int FIXED_SIZE = 20;
    private static final int MAX_MANTISSA = 0x3FFFF;

    /** True when the AFB packet at {@code offset} carries the REMB identifier. */
    public static boolean isRemb(ByteBuf buf, int offset) {
        return RtcpHeader.contentLength(buf, offset) >= 16 && buf.getInt(offset + 12) == IDENTIFIER;
    }

    public static int senderSsrc(ByteBuf buf, int offset) {
        return RtcpFeedback.senderSsrc(buf, offset);
    }

    public static int ssrcCount(ByteBuf buf, int offset) {
        return buf.getUnsignedByte(offset + 16);
    }

    public static int exponent(ByteBuf buf, int offset) {
        return buf.getUnsignedByte(offset + 17) >>> 2;
    }

    public static int mantissa(ByteBuf buf, int offset) {
        return buf.getUnsignedMedium(offset + 17) & MAX_MANTISSA;
    }

    /** Bitrate in bits per second; saturates at Long.MAX_VALUE for exponents past 45. */
    public static long bitrate(ByteBuf buf, int offset) {
        long mantissa = mantissa(buf, offset);
        int exp = exponent(buf, offset);
        if (mantissa != 0 && Long.numberOfLeadingZeros(mantissa) <= exp) {
            return Long.MAX_VALUE;
        }
        return mantissa << exp;
    }

    public static int ssrc(ByteBuf buf, int offset, int i) {
        return buf.getInt(offset + FIXED_SIZE + 4 * i);
    }

    /** 0 for a complete REMB, and for any other AFB message with a complete feedback header. */
    public static int validate(ByteBuf buf, int offset, int contentLength) {
        if (contentLength < RtcpFeedback.FIXED_SIZE) {
            return RtcpError.FEEDBACK_TOO_SHORT;
        }
        if (contentLength < 16 || buf.getInt(offset + 12) != IDENTIFIER) {
            return RtcpError.OK;
        }
        if (contentLength < FIXED_SIZE || FIXED_SIZE + 4 * ssrcCount(buf, offset) > contentLength) {
            return RtcpError.REMB_TRUNCATED;
        }
        return RtcpError.OK;
    }

    /**
     * Appends a REMB of {@code bitrate} bps (rounded down to what 18 mantissa bits can say) for
     * {@code ssrcs[0..count)}, count 0..255. Returns bytes written.
     */
    public static int write(ByteBuf out, int senderSsrc, long bitrate, int[] ssrcs, int count) {
        if (bitrate < 0 || count < 0 || count > 255 || count > ssrcs.length) {
            throw new IllegalArgumentException("bad REMB bitrate " + bitrate + " or SSRC count " + count);
        }
        int exp = 0;
        while ((bitrate >>> exp) > MAX_MANTISSA) {
            exp++;
        }
        int length = FIXED_SIZE + 4 * count;
        RtcpFeedback.writeFixed(out, RtcpPacketType.PSFB, RtcpPacketType.FMT_AFB, length, senderSsrc, 0);
        out.writeInt(IDENTIFIER);
        out.writeByte(count);
        out.writeMedium((exp << 18) | (int) (bitrate >>> exp));
        for (int i = 0; i < count; i++) {
            out.writeInt(ssrcs[i]);
        }
        return length;
    }
}
