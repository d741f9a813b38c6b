package dev.prism.rtcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * Goodbye, PT 203 (RFC 3550 §6.6): header (SC = source count), SC SSRC/CSRCs, then an
 * optional reason (length octet + text) zero-padded to a 32-bit boundary.
 */
public final class Goodbye {
    private Goodbye() {}

    public static final int MAX_SOURCES = 31;

    public static int sourceCount(ByteBuf buf, int offset) {
        return RtcpHeader.countOrFormat(buf, offset);
    }

    public static int ssrc(ByteBuf buf, int offset, int i) {
        return buf.getInt(offset + RtcpHeader.SIZE + 4 * i);
    }

    /** Absolute index of the reason text, or -1 when the packet carries none. */
    public static int reasonOffset(ByteBuf buf, int offset) {
        int at = offset + RtcpHeader.SIZE + 4 * sourceCount(buf, offset);
        return at < offset + RtcpHeader.contentLength(buf, offset) ? at + 1 : -1;
    }

    /** Length of the reason text in bytes, 0 when there is none. */
    public static int reasonLength(ByteBuf buf, int offset) {
        int at = reasonOffset(buf, offset);
        return at < 0 ? 0 : buf.getUnsignedByte(at - 1);
    }

    /** 0 when the sources and any reason fit in {@code contentLength}. */
    public static int validate(ByteBuf buf, int offset, int contentLength) {
        int at = RtcpHeader.SIZE + 4 * sourceCount(buf, offset);
        if (at > contentLength) {
            return RtcpError.BYE_TRUNCATED;
        }
        if (at < contentLength && at + 1 + buf.getUnsignedByte(offset + at) > contentLength) {
            return RtcpError.BYE_TRUNCATED;
        }
        return RtcpError.OK;
    }

    /**
     * Appends a BYE for {@code ssrcs[0..count)} with an optional UTF-8 {@code reason} (null for
     * none, at most 255 bytes). Returns bytes written.
     */
    public static int write(ByteBuf out, int[] ssrcs, int count, CharSequence reason) {
        if (count < 0 || count > MAX_SOURCES || count > ssrcs.length) {
            throw new IllegalArgumentException("source count out of range: " + count);
        }
        int reasonBytes = reason == null ? 0 : ByteBufUtil.utf8Bytes(reason);
        if (reasonBytes > 255) {
            throw new IllegalArgumentException("reason longer than 255 bytes");
        }
        int body = RtcpHeader.SIZE + 4 * count + (reason == null ? 0 : 1 + reasonBytes);
        int length = (body + 3) & ~3;
        RtcpHeader.write(out, false, count, RtcpPacketType.BYE, length);
        for (int i = 0; i < count; i++) {
            out.writeInt(ssrcs[i]);
        }
        if (reason != null) {
            out.writeByte(reasonBytes);
            ByteBufUtil.writeUtf8(out, reason);
        }
        out.writeZero(length - body);
        return length;
    }
}
