package dev.prism.sfu.room;

import dev.prism.rtp.RtpPacket;
import io.netty.buffer.ByteBuf;

/**
 * Maps one source stream into a subscriber's own RTP space (DESIGN.md step 6): its SSRC and
 * payload type, and sequence numbers and timestamps shifted by offsets fixed at the first
 * forwarded packet, so the subscriber sees a continuous stream starting at random values
 * (RFC 3550 §5.1). The output carries the fixed header and the payload (with any padding)
 * unchanged; the publisher's CSRCs and header extensions are dropped, since their ids were
 * negotiated with the publisher, not with this subscriber.
 */
final class StreamRewriter {
    private final int ssrc;
    private final int payloadType;
    private boolean started;
    private int seqOffset;
    private long timestampOffset;
    private int lastOutputSeq;
    private boolean reanchor;

    StreamRewriter(int ssrc, int payloadType) {
        this.ssrc = ssrc;
        this.payloadType = payloadType;
    }

    boolean started() {
        return started;
    }

    /** Fixes the offsets so that ({@code seq}, {@code timestamp}) maps to ({@code firstSeq}, {@code firstTimestamp}). */
    void start(int seq, long timestamp, int firstSeq, long firstTimestamp) {
        seqOffset = firstSeq - seq;
        timestampOffset = (firstTimestamp - timestamp) & 0xFFFFFFFFL;
        started = true;
    }

    /**
     * After a pause (packets deliberately not forwarded), makes the next written packet follow
     * the last one written, so the subscriber sees no sequence gap to NACK. Timestamps keep
     * their offset: the source clock ran on, and so should the subscriber's.
     */
    void reanchor() {
        reanchor = started;
    }

    /** Bytes {@link #write} appends for {@code packet}. */
    static int outputLength(ByteBuf packet) {
        return RtpPacket.FIXED_HEADER_LENGTH + packet.writerIndex() - RtpPacket.payloadOffset(packet);
    }

    /** Appends the rewritten copy of a validated RTP packet to {@code out}. Call after {@link #start}. */
    void write(ByteBuf packet, ByteBuf out) {
        int payloadOffset = RtpPacket.payloadOffset(packet);
        int payloadBytes = packet.writerIndex() - payloadOffset;
        int seq = RtpPacket.sequenceNumber(packet);
        if (reanchor) {
            seqOffset = lastOutputSeq + 1 - seq;
            reanchor = false;
        }
        lastOutputSeq = (seq + seqOffset) & 0xFFFF;
        int b0 = 0x80 | (packet.getByte(packet.readerIndex()) & 0x20); // V=2, P kept, X=0, CC=0
        int b1 = (RtpPacket.marker(packet) ? 0x80 : 0) | payloadType;
        out.writeByte(b0).writeByte(b1)
                .writeShort(lastOutputSeq)
                .writeInt((int) translateTimestamp(RtpPacket.timestamp(packet)))
                .writeInt(ssrc);
        out.writeBytes(packet, payloadOffset, payloadBytes);
    }

    /** A source RTP timestamp in the subscriber's space (for sender reports). */
    long translateTimestamp(long timestamp) {
        return (timestamp + timestampOffset) & 0xFFFFFFFFL;
    }
}
