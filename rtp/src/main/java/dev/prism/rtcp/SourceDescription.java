package dev.prism.rtcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * Source description, PT 202 (RFC 3550 §6.5): header (SC = chunk count), then SC chunks of
 * SSRC + items (type, length, text), each chunk ended by at least one null octet up to the
 * next 32-bit boundary. Read items with {@link SourceDescriptionReader}.
 */
public final class SourceDescription {
    private SourceDescription() {}

    public static final int MAX_ITEM_LENGTH = 255;

    public static int chunkCount(ByteBuf buf, int offset) {
        return RtcpHeader.countOrFormat(buf, offset);
    }

    /** 0 when every announced chunk and item lies within {@code contentLength}. */
    public static int validate(ByteBuf buf, int offset, int contentLength) {
        int end = offset + contentLength;
        int pos = offset + RtcpHeader.SIZE;
        for (int c = chunkCount(buf, offset); c > 0; c--) {
            if (pos + 4 > end) {
                return RtcpError.SDES_TRUNCATED;
            }
            pos += 4;
            while (true) {
                if (pos >= end) {
                    return RtcpError.SDES_TRUNCATED;
                }
                if (buf.getUnsignedByte(pos) == RtcpPacketType.SDES_END) {
                    pos = nextChunk(offset, pos, end);
                    break;
                }
                if (pos + 2 > end || pos + 2 + buf.getUnsignedByte(pos + 1) > end) {
                    return RtcpError.SDES_TRUNCATED;
                }
                pos += 2 + buf.getUnsignedByte(pos + 1);
            }
        }
        return RtcpError.OK;
    }

    /** Start of the next chunk after the null item at {@code nullAt}: the next 32-bit boundary. */
    static int nextChunk(int offset, int nullAt, int end) {
        int aligned = offset + ((nullAt + 1 - offset + 3) & ~3);
        return Math.min(aligned, end);
    }

    /**
     * Appends an SDES with one chunk holding one CNAME item (what RFC 3550 §6.5.1 requires in
     * every compound packet). The CNAME is written as UTF-8, at most 255 bytes. Returns bytes written.
     */
    public static int writeCname(ByteBuf out, int ssrc, CharSequence cname) {
        int n = ByteBufUtil.utf8Bytes(cname);
        if (n > MAX_ITEM_LENGTH) {
            throw new IllegalArgumentException("CNAME longer than 255 bytes");
        }
        int chunk = 4 + 2 + n;
        int nulls = 4 - (chunk & 3); // 1..4: the item list always ends with a null octet
        int length = RtcpHeader.SIZE + chunk + nulls;
        RtcpHeader.write(out, false, 1, RtcpPacketType.SDES, length);
        out.writeInt(ssrc);
        out.writeByte(RtcpPacketType.SDES_CNAME);
        out.writeByte(n);
        ByteBufUtil.writeUtf8(out, cname);
        out.writeZero(nulls);
        return length;
    }
}
