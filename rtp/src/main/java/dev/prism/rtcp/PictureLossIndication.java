package dev.prism.rtcp;

import io.netty.buffer.ByteBuf;

/** Picture loss indication, PSFB FMT 1 (RFC 4585 §6.3.1): no FCI, just the two SSRCs. */
public final class PictureLossIndication {
    private PictureLossIndication() {}

    public static final int SIZE = RtcpFeedback.FIXED_SIZE;

    public static int senderSsrc(ByteBuf buf, int offset) {
        return RtcpFeedback.senderSsrc(buf, offset);
    }

    public static int mediaSsrc(ByteBuf buf, int offset) {
        return RtcpFeedback.mediaSsrc(buf, offset);
    }

    public static int validate(int contentLength) {
        return RtcpFeedback.validate(contentLength);
    }

    /** Appends a PLI asking {@code mediaSsrc} for a keyframe. Returns 12. */
    public static int write(ByteBuf out, int senderSsrc, int mediaSsrc) {
        return RtcpFeedback.writeFixed(out, RtcpPacketType.PSFB, RtcpPacketType.FMT_PLI, SIZE, senderSsrc, mediaSsrc);
    }
}
