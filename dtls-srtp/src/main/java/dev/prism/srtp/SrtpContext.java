package dev.prism.srtp;

import io.netty.buffer.ByteBuf;

/**
 * CONTRACT STUB — the srtp work replaces this file with the implementation.
 *
 * SRTP/SRTCP (RFC 3711, RFC 7714) for one direction of one transport: all SSRCs
 * sent (or received) with one master key. Owned by one event loop; not thread-safe.
 * Protect/unprotect work in place on the readable bytes of the buffer.
 */
public final class SrtpContext {
    public static final int OK = 0;
    public static final int ERR_MALFORMED = -1;
    public static final int ERR_AUTH = -2;
    public static final int ERR_REPLAY = -3;
    /** The buffer cannot grow by the tag (protect only). */
    public static final int ERR_NO_ROOM = -4;

    private SrtpContext() {}

    public static SrtpContext create(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        throw new UnsupportedOperationException("SRTP not built yet");
    }

    public SrtpProfile profile() { throw new UnsupportedOperationException("SRTP not built yet"); }

    /** Encrypts and appends the tag; the RTP packet is buffer[readerIndex, writerIndex). */
    public int protectRtp(ByteBuf packet) { throw new UnsupportedOperationException("SRTP not built yet"); }

    /** Authenticates, checks replay, decrypts and strips the tag; on error the buffer content is unspecified. */
    public int unprotectRtp(ByteBuf packet) { throw new UnsupportedOperationException("SRTP not built yet"); }

    public int protectRtcp(ByteBuf packet) { throw new UnsupportedOperationException("SRTP not built yet"); }

    public int unprotectRtcp(ByteBuf packet) { throw new UnsupportedOperationException("SRTP not built yet"); }
}
