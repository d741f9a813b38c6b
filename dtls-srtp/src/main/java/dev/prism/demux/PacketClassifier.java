package dev.prism.demux;

import dev.prism.stun.StunMessage;
import io.netty.buffer.ByteBuf;

/**
 * RFC 7983 §7 first-byte demultiplexing of one datagram on a bundled, rtcp-muxed transport,
 * plus the RFC 5761 §4 RTP/RTCP split by the second byte (RTCP packet types 192..223 give
 * 64..95 after masking the marker bit).
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
        int readable = datagram.readableBytes();
        if (readable == 0) {
            return OTHER;
        }
        int start = datagram.readerIndex();
        int first = datagram.getUnsignedByte(start);
        if (first <= 3) {
            // STUN also needs a whole header and the magic cookie (RFC 8489 §6).
            return readable >= StunMessage.HEADER_LENGTH
                    && datagram.getInt(start + 4) == StunMessage.MAGIC_COOKIE ? STUN : OTHER;
        }
        if (first >= 20 && first <= 63) {
            return DTLS;
        }
        if (first >= 128 && first <= 191) {
            if (readable < 2) {
                return OTHER;
            }
            int pt = datagram.getUnsignedByte(start + 1) & 0x7F;
            return pt >= 64 && pt <= 95 ? RTCP : RTP;
        }
        return OTHER; // 16..19 ZRTP, 64..79 TURN channels, and everything unassigned
    }
}
