package dev.prism.rtp.codec;

import io.netty.buffer.ByteBuf;

/**
 * H.264 RTP payload (RFC 6184) inspection for forwarding: does this packet start a key frame?
 * Handles single NAL unit packets (types 1-23), STAP-A (24, §5.7.1) and FU-A (28, §5.8);
 * packetization-mode 1 uses no other aggregation. A key frame is signalled by an IDR slice
 * (NAL type 5) or a sequence parameter set (7), which senders put in front of an IDR.
 */
public final class H264Payload {
    public static final int NAL_IDR = 5;
    public static final int NAL_SPS = 7;
    public static final int NAL_PPS = 8;
    public static final int STAP_A = 24;
    public static final int FU_A = 28;

    private H264Payload() {}

    /** NAL unit type (low 5 bits of the NAL header, RFC 6184 §5.3) of the first byte, or -1. */
    public static int nalType(ByteBuf buf, int index, int length) {
        return length <= 0 ? -1 : buf.getByte(index) & 0x1F;
    }

    /** True when the payload carries (the start of) an IDR slice or an SPS; false when malformed. */
    public static boolean isKeyFrame(ByteBuf buf, int index, int length) {
        if (length <= 0) {
            return false;
        }
        int type = buf.getByte(index) & 0x1F;
        if (type == STAP_A) {
            // §5.7.1: after the STAP-A header, repeated 16-bit NALU size + NAL unit.
            int p = index + 1;
            int end = index + length;
            while (p + 2 < end) {
                int size = buf.getUnsignedShort(p);
                p += 2;
                if (size == 0 || p + size > end) {
                    return false;
                }
                if (isKeyNal(buf.getByte(p) & 0x1F)) {
                    return true;
                }
                p += size;
            }
            return false;
        }
        if (type == FU_A) {
            // §5.8: FU indicator, then FU header |S|E|R|Type|; only the start fragment counts.
            if (length < 2) {
                return false;
            }
            int header = buf.getByte(index + 1);
            return (header & 0x80) != 0 && isKeyNal(header & 0x1F);
        }
        return isKeyNal(type);
    }

    private static boolean isKeyNal(int type) {
        return type == NAL_IDR || type == NAL_SPS;
    }
}
