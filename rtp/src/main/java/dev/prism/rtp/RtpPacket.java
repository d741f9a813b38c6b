package dev.prism.rtp;

import io.netty.buffer.ByteBuf;

/**
 * CONTRACT STUB — replaced by the rtp work.
 * RTP (RFC 3550 §5.1) header accessors over a ByteBuf; the packet starts at readerIndex
 * and ends at writerIndex. Static, allocation-free; callers validate once with {@link #validate}.
 */
public final class RtpPacket {
    private RtpPacket() {}

    /** Header length (fixed + CSRC + extension) when well formed, else a negative error code. */
    public static int validate(ByteBuf buf) { throw new UnsupportedOperationException("RTP not built yet"); }

    public static int payloadType(ByteBuf buf) { throw new UnsupportedOperationException("RTP not built yet"); }

    public static boolean marker(ByteBuf buf) { throw new UnsupportedOperationException("RTP not built yet"); }

    public static int sequenceNumber(ByteBuf buf) { throw new UnsupportedOperationException("RTP not built yet"); }

    public static long timestamp(ByteBuf buf) { throw new UnsupportedOperationException("RTP not built yet"); }

    public static int ssrc(ByteBuf buf) { throw new UnsupportedOperationException("RTP not built yet"); }

    public static void setSequenceNumber(ByteBuf buf, int seq) { throw new UnsupportedOperationException("RTP not built yet"); }

    public static void setTimestamp(ByteBuf buf, long ts) { throw new UnsupportedOperationException("RTP not built yet"); }

    public static void setSsrc(ByteBuf buf, int ssrc) { throw new UnsupportedOperationException("RTP not built yet"); }

    public static void setPayloadType(ByteBuf buf, int pt) { throw new UnsupportedOperationException("RTP not built yet"); }

    /** Offset (absolute index) of the payload, after header and extension; padding excluded by payloadLength. */
    public static int payloadOffset(ByteBuf buf) { throw new UnsupportedOperationException("RTP not built yet"); }

    public static int payloadLength(ByteBuf buf) { throw new UnsupportedOperationException("RTP not built yet"); }

    /**
     * Absolute index of the data of header extension {@code id} (one- or two-byte form), or -1;
     * its length is {@link #extensionLength} at that index.
     */
    public static int findExtension(ByteBuf buf, int id) { throw new UnsupportedOperationException("RTP not built yet"); }

    public static int extensionLength(ByteBuf buf, int id) { throw new UnsupportedOperationException("RTP not built yet"); }
}
