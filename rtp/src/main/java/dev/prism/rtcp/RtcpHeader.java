package dev.prism.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * The 4-byte common header of every RTCP packet (RFC 3550 §6.4.1):
 * V(2) P(1) count-or-FMT(5) | PT(8) | length(16) in 32-bit words minus one.
 * Accessors take the absolute index of the header and never move reader/writer indexes.
 */
public final class RtcpHeader {
    private RtcpHeader() {}

    public static final int SIZE = 4;
    public static final int VERSION = 2;

    public static int version(ByteBuf buf, int offset) {
        return buf.getUnsignedByte(offset) >>> 6;
    }

    public static boolean padding(ByteBuf buf, int offset) {
        return (buf.getByte(offset) & 0x20) != 0;
    }

    /** Reception report / source count, or FMT for feedback packets (RFC 4585 §6.1). */
    public static int countOrFormat(ByteBuf buf, int offset) {
        return buf.getByte(offset) & 0x1F;
    }

    public static int packetType(ByteBuf buf, int offset) {
        return buf.getUnsignedByte(offset + 1);
    }

    public static int lengthWords(ByteBuf buf, int offset) {
        return buf.getUnsignedShort(offset + 2);
    }

    /** Whole packet size in bytes, header and padding included. */
    public static int packetLength(ByteBuf buf, int offset) {
        return (lengthWords(buf, offset) + 1) * 4;
    }

    /** Number of padding bytes at the end (the last byte counts them, itself included), or 0. */
    public static int paddingLength(ByteBuf buf, int offset) {
        return padding(buf, offset) ? buf.getUnsignedByte(offset + packetLength(buf, offset) - 1) : 0;
    }

    /** Packet size without trailing padding: the bytes the type-specific layout may use. */
    public static int contentLength(ByteBuf buf, int offset) {
        return packetLength(buf, offset) - paddingLength(buf, offset);
    }

    /**
     * Appends a header. {@code packetLength} is the whole packet size in bytes and must be a
     * positive multiple of 4. Returns 4.
     */
    public static int write(ByteBuf out, boolean padding, int countOrFormat, int packetType, int packetLength) {
        out.writeByte((VERSION << 6) | (padding ? 0x20 : 0) | (countOrFormat & 0x1F));
        out.writeByte(packetType);
        out.writeShort(packetLength / 4 - 1);
        return SIZE;
    }

    /** Rewrites the length field of the header at {@code offset}; {@code packetLength} in bytes. */
    public static void setPacketLength(ByteBuf buf, int offset, int packetLength) {
        buf.setShort(offset + 2, packetLength / 4 - 1);
    }

    /** Sets the padding bit of the header at {@code offset}. */
    public static void setPadding(ByteBuf buf, int offset, boolean padding) {
        int b = buf.getUnsignedByte(offset);
        buf.setByte(offset, padding ? b | 0x20 : b & ~0x20);
    }
}
