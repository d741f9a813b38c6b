package dev.prism.rtp;

import io.netty.buffer.ByteBuf;

/**
 * Transport-wide sequence number header extension
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2): 16 bits, big-endian, counting every
 * packet a sender puts on the transport, whatever its SSRC.
 */
public final class TransportSequenceNumber {
    public static final int LENGTH = 2;

    private TransportSequenceNumber() {}

    public static int read(ByteBuf buf, int index) {
        return buf.getUnsignedShort(index);
    }

    public static void write(ByteBuf buf, int index, int seq) {
        buf.setShort(index, seq);
    }

    /**
     * Writes {@code seq} into element {@code id} of the packet if present; true when written.
     * The forwarding path uses this on packets whose publisher already carried the element.
     */
    public static boolean rewrite(ByteBuf packet, int id, int seq) {
        long found = RtpHeaderExtensions.find(packet, id);
        if (found < 0 || RtpHeaderExtensions.dataLength(found) != LENGTH) {
            return false;
        }
        packet.setShort(RtpHeaderExtensions.dataIndex(found), seq);
        return true;
    }
}
