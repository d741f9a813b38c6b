package dev.prism.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * Sender report, PT 200 (RFC 3550 §6.4.1): header (RC = report count), sender SSRC,
 * 64-bit NTP timestamp, RTP timestamp, sender's packet and octet counts, then RC report blocks.
 */
public final class SenderReport {
    private SenderReport() {}

    /** Header, SSRC and the 20-byte sender info. */
    public static final int FIXED_SIZE = 28;
    public static final int MAX_REPORT_BLOCKS = 31;

    public static int reportCount(ByteBuf buf, int offset) {
        return RtcpHeader.countOrFormat(buf, offset);
    }

    public static int ssrc(ByteBuf buf, int offset) {
        return buf.getInt(offset + 4);
    }

    /** 64-bit NTP timestamp: seconds since 1900 in the high word, fraction in the low word. */
    public static long ntpTimestamp(ByteBuf buf, int offset) {
        return buf.getLong(offset + 8);
    }

    public static long rtpTimestamp(ByteBuf buf, int offset) {
        return buf.getUnsignedInt(offset + 16);
    }

    public static long packetCount(ByteBuf buf, int offset) {
        return buf.getUnsignedInt(offset + 20);
    }

    public static long octetCount(ByteBuf buf, int offset) {
        return buf.getUnsignedInt(offset + 24);
    }

    /** Absolute index of report block {@code i} (0-based), for {@link ReportBlock} accessors. */
    public static int reportBlockOffset(int offset, int i) {
        return offset + FIXED_SIZE + i * ReportBlock.SIZE;
    }

    /** 0 when the sender info and all announced report blocks fit in {@code contentLength}. */
    public static int validate(ByteBuf buf, int offset, int contentLength) {
        if (contentLength < FIXED_SIZE) {
            return RtcpError.TRUNCATED_SENDER_INFO;
        }
        if (FIXED_SIZE + reportCount(buf, offset) * ReportBlock.SIZE > contentLength) {
            return RtcpError.TRUNCATED_REPORT_BLOCK;
        }
        return RtcpError.OK;
    }

    /**
     * Appends header, SSRC and sender info announcing {@code reportCount} blocks (0..31); the
     * caller must then append exactly that many with {@link ReportBlock#write}. Building in place
     * this way needs no block objects. Returns 28 (bytes written by this call).
     */
    public static int write(ByteBuf out, int ssrc, long ntpTimestamp, long rtpTimestamp,
                            long packetCount, long octetCount, int reportCount) {
        if (reportCount < 0 || reportCount > MAX_REPORT_BLOCKS) {
            throw new IllegalArgumentException("report count out of range: " + reportCount);
        }
        RtcpHeader.write(out, false, reportCount, RtcpPacketType.SR,
                FIXED_SIZE + reportCount * ReportBlock.SIZE);
        out.writeInt(ssrc);
        out.writeLong(ntpTimestamp);
        out.writeInt((int) rtpTimestamp);
        out.writeInt((int) packetCount);
        out.writeInt((int) octetCount);
        return FIXED_SIZE;
    }
}
