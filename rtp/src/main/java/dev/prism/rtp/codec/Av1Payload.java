package dev.prism.rtp.codec;

import io.netty.buffer.ByteBuf;

/**
 * AV1 RTP payload (the AOM "RTP Payload Format For AV1", §4.4 aggregation header) inspection:
 * <pre>
 *  |Z|Y| W |N|-|-|-|
 * </pre>
 * Z: the first OBU element continues an OBU from the previous packet; Y: the last element
 * continues in the next packet; W: element count when 1..3 (the last element then has no
 * length field), 0 = every element has a LEB128 length; N: the packet is the first of a coded
 * video sequence, i.e. starts a key frame. Key frame detection here requires N=1, Z=0 and a
 * first OBU that is a sequence header (OBU type 1), as the spec requires of such a packet.
 */
public final class Av1Payload {
    public static final int OBU_SEQUENCE_HEADER = 1;

    private Av1Payload() {}

    public static boolean continuesObu(ByteBuf buf, int index) {
        return (buf.getByte(index) & 0x80) != 0;
    }

    public static boolean obuContinues(ByteBuf buf, int index) {
        return (buf.getByte(index) & 0x40) != 0;
    }

    /** W: 0 or the number of OBU elements (1..3). */
    public static int obuCount(ByteBuf buf, int index) {
        return (buf.getByte(index) >>> 4) & 0x03;
    }

    public static boolean newCodedVideoSequence(ByteBuf buf, int index) {
        return (buf.getByte(index) & 0x08) != 0;
    }

    /** True when the packet starts a key frame (see class comment); false when malformed. */
    public static boolean isKeyFrame(ByteBuf buf, int index, int length) {
        if (length < 2) {
            return false;
        }
        int header = buf.getByte(index);
        if ((header & 0x08) == 0 || (header & 0x80) != 0) {
            return false;
        }
        int p = index + 1;
        int end = index + length;
        if (((header >>> 4) & 0x03) != 1) {
            // The first element carries a LEB128 length (§4.3: at most 8 bytes).
            long size = 0;
            int shift = 0;
            int b;
            do {
                if (p >= end || shift >= 56) {
                    return false;
                }
                b = buf.getByte(p++);
                size |= (long) (b & 0x7F) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            if (size < 1 || size > end - p) {
                return false;
            }
        }
        if (p >= end) {
            return false;
        }
        // OBU header (AV1 spec §5.3.2): |F| type(4) |X|S|R|.
        return ((buf.getByte(p) >>> 3) & 0x0F) == OBU_SEQUENCE_HEADER;
    }
}
