package dev.prism.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * Full intra request, PSFB FMT 4 (RFC 5104 §4.3.1): the media-source SSRC field is unused
 * (zero); each 8-byte FCI entry names the target SSRC and a command sequence number
 * (8 bits, then 24 reserved bits) that the sender increments per new request.
 */
public final class FullIntraRequest {
    private FullIntraRequest() {}

    public static final int ENTRY_SIZE = 8;

    public static int senderSsrc(ByteBuf buf, int offset) {
        return RtcpFeedback.senderSsrc(buf, offset);
    }

    public static int entryCount(ByteBuf buf, int offset) {
        return RtcpFeedback.fciLength(buf, offset) / ENTRY_SIZE;
    }

    public static int entrySsrc(ByteBuf buf, int offset, int i) {
        return buf.getInt(offset + RtcpFeedback.FIXED_SIZE + ENTRY_SIZE * i);
    }

    public static int entrySequenceNumber(ByteBuf buf, int offset, int i) {
        return buf.getUnsignedByte(offset + RtcpFeedback.FIXED_SIZE + ENTRY_SIZE * i + 4);
    }

    public static int validate(int contentLength) {
        if (contentLength < RtcpFeedback.FIXED_SIZE) {
            return RtcpError.FEEDBACK_TOO_SHORT;
        }
        return contentLength < RtcpFeedback.FIXED_SIZE + ENTRY_SIZE ? RtcpError.FIR_WITHOUT_ENTRIES : RtcpError.OK;
    }

    /** Appends a FIR with one entry. Returns 20. */
    public static int write(ByteBuf out, int senderSsrc, int targetSsrc, int sequenceNumber) {
        int length = RtcpFeedback.FIXED_SIZE + ENTRY_SIZE;
        RtcpFeedback.writeFixed(out, RtcpPacketType.PSFB, RtcpPacketType.FMT_FIR, length, senderSsrc, 0);
        writeEntry(out, targetSsrc, sequenceNumber);
        return length;
    }

    /** Appends a FIR with entries {@code (ssrcs[i], sequenceNumbers[i])} for i in [0, count). */
    public static int write(ByteBuf out, int senderSsrc, int[] ssrcs, int[] sequenceNumbers, int count) {
        if (count <= 0 || count > ssrcs.length || count > sequenceNumbers.length) {
            throw new IllegalArgumentException("need at least one FIR entry, got " + count);
        }
        int length = RtcpFeedback.FIXED_SIZE + ENTRY_SIZE * count;
        RtcpFeedback.writeFixed(out, RtcpPacketType.PSFB, RtcpPacketType.FMT_FIR, length, senderSsrc, 0);
        for (int i = 0; i < count; i++) {
            writeEntry(out, ssrcs[i], sequenceNumbers[i]);
        }
        return length;
    }

    private static void writeEntry(ByteBuf out, int ssrc, int sequenceNumber) {
        out.writeInt(ssrc);
        out.writeByte(sequenceNumber);
        out.writeMedium(0);
    }
}
