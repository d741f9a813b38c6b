package dev.prism.rtp;

import io.netty.buffer.ByteBuf;

/**
 * RTP retransmission payload format (RFC 4588 §4): an RTX packet carries the original sequence
 * number (OSN) in its first two payload bytes, then the original payload, on its own SSRC,
 * payload type and sequence space. Unwrapping restores the original packet in place.
 */
public final class RtxPacket {
    private RtxPacket() {}

    /** Whether a validated RTP packet carries an OSN, i.e. is a retransmission rather than padding only. */
    public static boolean hasOriginalSequenceNumber(ByteBuf packet) {
        return RtpPacket.payloadLength(packet) >= 2;
    }

    /**
     * Turns a validated RTX packet back into the original one, in place and without copying the
     * payload: the header moves two bytes forward over the OSN (the reader index advances by two)
     * and takes the OSN, {@code mediaSsrc} and {@code mediaPayloadType}. Returns false, leaving the
     * packet untouched, when it has no OSN (padding-only RTX, RFC 4588 §4 and probing).
     */
    public static boolean unwrap(ByteBuf packet, int mediaSsrc, int mediaPayloadType) {
        if (!hasOriginalSequenceNumber(packet)) {
            return false;
        }
        int start = packet.readerIndex();
        int headerLength = RtpPacket.payloadOffset(packet) - start;
        int osn = packet.getUnsignedShort(start + headerLength);
        for (int i = headerLength - 1; i >= 0; i--) { // backwards: the ranges overlap
            packet.setByte(start + 2 + i, packet.getByte(start + i));
        }
        packet.readerIndex(start + 2);
        RtpPacket.setSequenceNumber(packet, osn);
        RtpPacket.setSsrc(packet, mediaSsrc);
        RtpPacket.setPayloadType(packet, mediaPayloadType);
        return true;
    }
}
