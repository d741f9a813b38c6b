package dev.prism.demux;

import io.netty.buffer.ByteBuf;

/**
 * CONTRACT STUB — replaced by the stun work.
 * RFC 7983 §7 first-byte demultiplexing of one datagram, plus RFC 5761 §4 RTP/RTCP split.
 */
public final class PacketClassifier {
    public static final int OTHER = 0;
    public static final int STUN = 1;
    public static final int DTLS = 2;
    public static final int RTP = 3;
    public static final int RTCP = 4;

    private PacketClassifier() {}

    /** Classifies buffer[readerIndex, writerIndex) without moving indexes. */
    public static int classify(ByteBuf datagram) {
        throw new UnsupportedOperationException("classifier not built yet");
    }
}
