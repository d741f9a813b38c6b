package dev.prism.rtp;

import io.netty.buffer.ByteBuf;

/**
 * RTP (RFC 3550 §5.1) header accessors over a ByteBuf; the packet starts at readerIndex
 * and ends at writerIndex. Static and allocation-free.
 *
 * <p>Call {@link #validate} once per packet: only after it returns a non-negative header
 * length are the other accessors meaningful (they do not re-check bounds beyond what Netty
 * itself checks). Header extensions (RFC 8285) are handled by {@link RtpHeaderExtensions};
 * the extension methods here delegate to it.
 */
public final class RtpPacket {
    /** Length of the fixed header (RFC 3550 §5.1). */
    public static final int FIXED_HEADER_LENGTH = 12;
    public static final int VERSION = 2;

    /** Fewer than 12 bytes. */
    public static final int ERR_TOO_SHORT = -1;
    /** Version field is not 2. */
    public static final int ERR_VERSION = -2;
    /** The CSRC list (CC × 4 bytes) runs past the end of the packet. */
    public static final int ERR_CSRC_OVERRUN = -3;
    /** The X bit is set but the extension header or its declared length runs past the end. */
    public static final int ERR_EXTENSION_OVERRUN = -4;
    /** The P bit is set but the padding count is 0 or longer than what follows the header. */
    public static final int ERR_PADDING = -5;

    private RtpPacket() {}

    /** Header length (fixed + CSRC + extension) when well formed, else a negative ERR_ code. */
    public static int validate(ByteBuf buf) {
        int start = buf.readerIndex();
        int length = buf.writerIndex() - start;
        if (length < FIXED_HEADER_LENGTH) {
            return ERR_TOO_SHORT;
        }
        int b0 = buf.getUnsignedByte(start);
        if ((b0 >>> 6) != VERSION) {
            return ERR_VERSION;
        }
        int headerLength = FIXED_HEADER_LENGTH + 4 * (b0 & 0x0F);
        if (headerLength > length) {
            return ERR_CSRC_OVERRUN;
        }
        if ((b0 & 0x10) != 0) {
            // RFC 3550 §5.3.1: 16-bit profile, 16-bit length in 32-bit words, then the data.
            if (headerLength + 4 > length) {
                return ERR_EXTENSION_OVERRUN;
            }
            headerLength += 4 + 4 * buf.getUnsignedShort(start + headerLength + 2);
            if (headerLength > length) {
                return ERR_EXTENSION_OVERRUN;
            }
        }
        if ((b0 & 0x20) != 0) {
            // RFC 3550 §5.1: the last octet counts the padding, itself included, so it is >= 1.
            int padding = buf.getUnsignedByte(start + length - 1);
            if (padding == 0 || headerLength + padding > length) {
                return ERR_PADDING;
            }
        }
        return headerLength;
    }

    public static int version(ByteBuf buf) {
        return buf.getUnsignedByte(buf.readerIndex()) >>> 6;
    }

    public static boolean hasPadding(ByteBuf buf) {
        return (buf.getByte(buf.readerIndex()) & 0x20) != 0;
    }

    public static boolean hasExtension(ByteBuf buf) {
        return (buf.getByte(buf.readerIndex()) & 0x10) != 0;
    }

    public static int csrcCount(ByteBuf buf) {
        return buf.getByte(buf.readerIndex()) & 0x0F;
    }

    /** The i-th contributing source, 0 <= i < csrcCount. */
    public static int csrc(ByteBuf buf, int i) {
        return buf.getInt(buf.readerIndex() + FIXED_HEADER_LENGTH + 4 * i);
    }

    public static boolean marker(ByteBuf buf) {
        return (buf.getByte(buf.readerIndex() + 1) & 0x80) != 0;
    }

    public static void setMarker(ByteBuf buf, boolean marker) {
        int i = buf.readerIndex() + 1;
        int b = buf.getByte(i);
        buf.setByte(i, marker ? b | 0x80 : b & 0x7F);
    }

    public static int payloadType(ByteBuf buf) {
        return buf.getByte(buf.readerIndex() + 1) & 0x7F;
    }

    public static void setPayloadType(ByteBuf buf, int pt) {
        int i = buf.readerIndex() + 1;
        buf.setByte(i, (buf.getByte(i) & 0x80) | (pt & 0x7F));
    }

    public static int sequenceNumber(ByteBuf buf) {
        return buf.getUnsignedShort(buf.readerIndex() + 2);
    }

    public static void setSequenceNumber(ByteBuf buf, int seq) {
        buf.setShort(buf.readerIndex() + 2, seq);
    }

    /** The 32-bit timestamp, unsigned, in a long. */
    public static long timestamp(ByteBuf buf) {
        return buf.getUnsignedInt(buf.readerIndex() + 4);
    }

    public static void setTimestamp(ByteBuf buf, long ts) {
        buf.setInt(buf.readerIndex() + 4, (int) ts);
    }

    public static int ssrc(ByteBuf buf) {
        return buf.getInt(buf.readerIndex() + 8);
    }

    public static void setSsrc(ByteBuf buf, int ssrc) {
        buf.setInt(buf.readerIndex() + 8, ssrc);
    }

    /** Fixed header + CSRC list + extension block, without checks (see {@link #validate}). */
    public static int headerLength(ByteBuf buf) {
        int start = buf.readerIndex();
        int b0 = buf.getByte(start);
        int length = FIXED_HEADER_LENGTH + 4 * (b0 & 0x0F);
        if ((b0 & 0x10) != 0) {
            length += 4 + 4 * buf.getUnsignedShort(start + length + 2);
        }
        return length;
    }

    /** Number of padding octets at the end (RFC 3550 §5.1), 0 when the P bit is clear. */
    public static int paddingLength(ByteBuf buf) {
        if (!hasPadding(buf)) {
            return 0;
        }
        return buf.getUnsignedByte(buf.writerIndex() - 1);
    }

    /** Absolute index of the payload, after header and extension; padding excluded by payloadLength. */
    public static int payloadOffset(ByteBuf buf) {
        return buf.readerIndex() + headerLength(buf);
    }

    public static int payloadLength(ByteBuf buf) {
        return buf.writerIndex() - payloadOffset(buf) - paddingLength(buf);
    }

    /**
     * Absolute index of the data of header extension {@code id} (one- or two-byte form), or -1;
     * its length is {@link #extensionLength} at that index.
     */
    public static int findExtension(ByteBuf buf, int id) {
        long found = RtpHeaderExtensions.find(buf, id);
        return found < 0 ? -1 : RtpHeaderExtensions.dataIndex(found);
    }

    /** Length of the data of header extension {@code id}, or -1 when absent. */
    public static int extensionLength(ByteBuf buf, int id) {
        long found = RtpHeaderExtensions.find(buf, id);
        return found < 0 ? -1 : RtpHeaderExtensions.dataLength(found);
    }
}
