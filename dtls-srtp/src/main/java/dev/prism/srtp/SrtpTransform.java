package dev.prism.srtp;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * The cipher-specific half of SRTP: encrypts/authenticates one packet in place once the
 * context has worked out its SSRC, rollover counter and index. Methods return the new packet
 * length or a negative {@link SrtpContext} error code; the buffer already has room for the tag.
 */
abstract class SrtpTransform {
    /**
     * The copy of the packet being transformed is per thread, not per transform: a media worker's
     * loop protects each packet for hundreds of subscribers in turn, and one array stays in cache
     * where hundreds of 2 KiB arrays, one per subscriber, did not. Grown (rarely) for bigger packets.
     */
    private static final FastThreadLocal<byte[][]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[][] initialValue() {
            return new byte[][] {new byte[2048]};
        }
    };

    /** This thread's scratch copy, set by {@link #load}; valid until the call that loaded it returns. */
    protected byte[] data;

    protected final void load(ByteBuf buf, int start, int length, int extra) {
        byte[][] holder = SCRATCH.get();
        byte[] d = holder[0];
        if (d.length < length + extra + 32) {
            d = new byte[Integer.highestOneBit(length + extra + 32) << 1];
            holder[0] = d;
        }
        data = d;
        buf.getBytes(start, d, 0, length);
    }

    /** Reads the state protecting an RTP packet will read (see {@link SrtpContext#prefetchRtp}); 0 where not done. */
    int prefetchRtp() {
        return 0;
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
