package dev.prism.srtp;

import io.netty.buffer.ByteBuf;

/**
 * The cipher-specific half of SRTP: encrypts/authenticates one packet in place once the
 * context has worked out its SSRC, rollover counter and index. Methods return the new packet
 * length or a negative {@link SrtpContext} error code; the buffer already has room for the tag.
 */
abstract class SrtpTransform {
    /** Reused copy of the packet being transformed; grown (rarely) for bigger packets. */
    protected byte[] data = new byte[2048];

    protected final void load(ByteBuf buf, int start, int length, int extra) {
        if (data.length < length + extra + 32) {
            data = new byte[Integer.highestOneBit(length + extra + 32) << 1];
        }
        buf.getBytes(start, data, 0, length);
    }

    abstract int protectRtp(ByteBuf buf, int start, int length, int headerLength, int ssrc, int roc, int seq);

    abstract int unprotectRtp(ByteBuf buf, int start, int length, int headerLength, int ssrc, int roc, int seq);

    /** Encrypts from octet 8 and appends the E flag (set) with {@code index}, and the tag. */
    abstract int protectRtcp(ByteBuf buf, int start, int length, int ssrc, int index);

    /** Verifies and (when the E flag of {@code eIndexWord} is set) decrypts; returns the RTCP length. */
    abstract int unprotectRtcp(ByteBuf buf, int start, int length, int ssrc, int eIndexWord);

    static boolean constantTimeEquals(byte[] a, int aOffset, byte[] b, int bOffset, int length) {
        int diff = 0;
        for (int i = 0; i < length; i++) {
            diff |= a[aOffset + i] ^ b[bOffset + i];
        }
        return diff == 0;
    }

    static void putInt(byte[] b, int offset, int value) {
        b[offset] = (byte) (value >>> 24);
        b[offset + 1] = (byte) (value >>> 16);
        b[offset + 2] = (byte) (value >>> 8);
        b[offset + 3] = (byte) value;
    }
}
