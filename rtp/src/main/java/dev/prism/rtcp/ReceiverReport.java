package dev.prism.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * Receiver report, PT 201 (RFC 3550 §6.4.2): header (RC = report count), reporter SSRC,
 * then RC report blocks.
 */
public final class ReceiverReport {
    private ReceiverReport() {}

    public static final int FIXED_SIZE = 8;
    public static final int MAX_REPORT_BLOCKS = 31;

    public static int reportCount(ByteBuf buf, int offset) {
        return RtcpHeader.countOrFormat(buf, offset);
    }

    public static int ssrc(ByteBuf buf, int offset) {
        return buf.getInt(offset + 4);
    }

    /** Absolute index of report block {@code i} (0-based), for {@link ReportBlock} accessors. */
    public static int reportBlockOffset(int offset, int i) {
        return offset + FIXED_SIZE + i * ReportBlock.SIZE;
    }

    /** 0 when the reporter SSRC and all announced report blocks fit in {@code contentLength}. */
    public static int validate(ByteBuf buf, int offset, int contentLength) {
        if (FIXED_SIZE + reportCount(buf, offset) * ReportBlock.SIZE > contentLength) {
            return RtcpError.TRUNCATED_REPORT_BLOCK;
        }
        return RtcpError.OK;
    }

    /**
     * Appends header and SSRC announcing {@code reportCount} blocks (0..31); the caller must then
     * append exactly that many with {@link ReportBlock#write}. Returns 8.
     */
    public static int write(ByteBuf out, int ssrc, int reportCount) {
        if (reportCount < 0 || reportCount > MAX_REPORT_BLOCKS) {
            throw new IllegalArgumentException("report count out of range: " + reportCount);
        }
        RtcpHeader.write(out, false, reportCount, RtcpPacketType.RR,
                FIXED_SIZE + reportCount * ReportBlock.SIZE);
        out.writeInt(ssrc);
        return FIXED_SIZE;
    }
}
