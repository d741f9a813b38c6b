package dev.prism.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * The part common to all feedback messages (RFC 4585 §6.1): header with FMT, SSRC of packet
 * sender, SSRC of media source, then feedback control information (FCI).
 */
public final class RtcpFeedback {
    private RtcpFeedback() {}

    /** Header and both SSRCs: where the FCI starts. */
    public static final int FIXED_SIZE = 12;

    public static int format(ByteBuf buf, int offset) {
        return RtcpHeader.countOrFormat(buf, offset);
    }

    public static int senderSsrc(ByteBuf buf, int offset) {
        return buf.getInt(offset + 4);
    }

    public static int mediaSsrc(ByteBuf buf, int offset) {
        return buf.getInt(offset + 8);
    }

    /** FCI bytes (padding excluded). */
    public static int fciLength(ByteBuf buf, int offset) {
        return RtcpHeader.contentLength(buf, offset) - FIXED_SIZE;
    }

    public static int validate(int contentLength) {
        return contentLength < FIXED_SIZE ? RtcpError.FEEDBACK_TOO_SHORT : RtcpError.OK;
    }

    /** Appends header and both SSRCs of a feedback packet of {@code packetLength} bytes. Returns 12. */
    static int writeFixed(ByteBuf out, int packetType, int format, int packetLength, int senderSsrc, int mediaSsrc) {
        RtcpHeader.write(out, false, format, packetType, packetLength);
        out.writeInt(senderSsrc);
        out.writeInt(mediaSsrc);
        return FIXED_SIZE;
    }
}
