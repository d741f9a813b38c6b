package dev.prism.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * Reusable, allocation-free iterator over the packets reported by one TWCC feedback
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1): for each packet status, its
 * sequence number, status symbol and receive delta.
 * <pre>
 * if (reader.reset(buf, offset) == RtcpError.OK) {
 *     while (reader.next()) { reader.sequenceNumber(); reader.status(); reader.arrivalMicros(); }
 * }
 * </pre>
 */
public final class TransportLayerCcReader {
    private ByteBuf buf;
    private int chunkPos;
    private int deltaPos;
    private int left;
    private int chunk;
    private int chunkIndex;
    private int chunkLeft;
    private int nextSeq;
    private int seq;
    private int status;
    private int deltaMicros;
    private long arrivalMicros;

    /** Validates the TWCC packet at {@code offset} and positions before its first status. */
    public int reset(ByteBuf buf, int offset) {
        this.buf = buf;
        left = 0;
        chunkLeft = 0;
        if (offset < 0 || offset + RtcpHeader.SIZE > buf.writerIndex()) {
            return RtcpError.TRUNCATED_HEADER;
        }
        int packetEnd = offset + RtcpHeader.packetLength(buf, offset);
        if (packetEnd > buf.writerIndex()) {
            return RtcpError.LENGTH_OVERSHOOTS;
        }
        int deltas = TransportLayerCc.deltasOffset(buf, offset, RtcpHeader.contentLength(buf, offset));
        if (deltas < 0) {
            return deltas;
        }
        chunkPos = offset + TransportLayerCc.FIXED_SIZE;
        deltaPos = deltas;
        left = TransportLayerCc.packetStatusCount(buf, offset);
        nextSeq = TransportLayerCc.baseSequenceNumber(buf, offset);
        arrivalMicros = (long) TransportLayerCc.referenceTime(buf, offset) * TransportLayerCc.REFERENCE_TICK_MICROS;
        return RtcpError.OK;
    }

    /** Advances to the next reported packet; false after the last. */
    public boolean next() {
        if (left == 0) {
            return false;
        }
        while (chunkLeft == 0) {
            chunk = buf.getUnsignedShort(chunkPos);
            chunkPos += 2;
            chunkIndex = 0;
            chunkLeft = TransportLayerCc.symbolsIn(chunk);
        }
        status = TransportLayerCc.symbolAt(chunk, chunkIndex);
        chunkIndex++;
        chunkLeft--;
        left--;
        seq = nextSeq;
        nextSeq = (nextSeq + 1) & 0xFFFF;
        if (status == TransportLayerCc.RECEIVED_SMALL_DELTA) {
            deltaMicros = buf.getUnsignedByte(deltaPos) * TransportLayerCc.DELTA_TICK_MICROS;
            deltaPos += 1;
        } else if (status == TransportLayerCc.RECEIVED_LARGE_DELTA) {
            deltaMicros = buf.getShort(deltaPos) * TransportLayerCc.DELTA_TICK_MICROS;
            deltaPos += 2;
        } else {
            deltaMicros = 0;
        }
        arrivalMicros += deltaMicros;
        return true;
    }

    public int sequenceNumber() {
        return seq;
    }

    /** {@link TransportLayerCc#NOT_RECEIVED}, {@code RECEIVED_SMALL_DELTA} or {@code RECEIVED_LARGE_DELTA}. */
    public int status() {
        return status;
    }

    public boolean received() {
        return status != TransportLayerCc.NOT_RECEIVED;
    }

    /** Receive delta of this packet from the previous received one (or the reference time), in µs; 0 if lost. */
    public int deltaMicros() {
        return deltaMicros;
    }

    /**
     * Arrival time in µs on the feedback sender's clock (reference time × 64 ms plus the deltas
     * so far); for a lost packet, the last arrival before it.
     */
    public long arrivalMicros() {
        return arrivalMicros;
    }
}
