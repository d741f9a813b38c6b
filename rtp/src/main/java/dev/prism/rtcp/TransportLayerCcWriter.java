package dev.prism.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * Builds TWCC feedback packets (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1).
 * One instance is reused for every feedback of a transport: {@link #reset}, {@link #add} the
 * arrivals in sequence order, {@link #write}. Holds preallocated arrays; allocates nothing after
 * construction.
 *
 * <p>Times: arrivals are µs on the same clock as {@code referenceTime × 64 ms}; deltas are
 * rounded to 250 µs ticks against the running tick sum, so rounding never accumulates.
 */
public final class TransportLayerCcWriter {
    private final byte[] symbols;
    private final short[] deltas;
    private int senderSsrc;
    private int mediaSsrc;
    private int baseSeq;
    private int referenceTime;
    private int feedbackCount;
    private int count;
    private long lastTicks;

    /** {@code capacity}: most packet statuses one feedback may hold (1..65535). */
    public TransportLayerCcWriter(int capacity) {
        if (capacity < 1 || capacity > 0xFFFF) {
            throw new IllegalArgumentException("capacity must be 1..65535");
        }
        symbols = new byte[capacity];
        deltas = new short[capacity];
    }

    /**
     * Starts a new feedback. {@code referenceTime} is in 64 ms units (24 bits used);
     * {@code feedbackCount} is the 8-bit fb pkt count.
     */
    public void reset(int senderSsrc, int mediaSsrc, int baseSeq, int referenceTime, int feedbackCount) {
        this.senderSsrc = senderSsrc;
        this.mediaSsrc = mediaSsrc;
        this.baseSeq = baseSeq & 0xFFFF;
        this.referenceTime = (referenceTime << 8) >> 8;
        this.feedbackCount = feedbackCount & 0xFF;
        this.count = 0;
        this.lastTicks = (long) this.referenceTime * (TransportLayerCc.REFERENCE_TICK_MICROS / TransportLayerCc.DELTA_TICK_MICROS);
    }

    /**
     * Records packet {@code seq} received at {@code arrivalMicros}; sequence numbers skipped since
     * the last one become "not received". Returns false, changing nothing, when {@code seq} is not
     * after the last one added, the capacity is exceeded, or the delta does not fit 16 signed bits
     * of 250 µs (±8.19 s): then write this feedback and start a new one at {@code seq}.
     */
    public boolean add(int seq, long arrivalMicros) {
        int index = indexOf(seq);
        if (index < 0) {
            return false;
        }
        long ticks = Math.floorDiv(arrivalMicros, TransportLayerCc.DELTA_TICK_MICROS);
        long delta = ticks - lastTicks;
        if (delta < Short.MIN_VALUE || delta > Short.MAX_VALUE) {
            return false;
        }
        markLostUpTo(index);
        symbols[index] = (byte) (delta >= 0 && delta <= 0xFF
                ? TransportLayerCc.RECEIVED_SMALL_DELTA : TransportLayerCc.RECEIVED_LARGE_DELTA);
        deltas[index] = (short) delta;
        lastTicks = ticks;
        count = index + 1;
        return true;
    }

    /** Records packet {@code seq} (and any skipped before it) as not received. Same false cases as {@link #add}. */
    public boolean addLost(int seq) {
        int index = indexOf(seq);
        if (index < 0) {
            return false;
        }
        markLostUpTo(index + 1);
        count = index + 1;
        return true;
    }

    private int indexOf(int seq) {
        int index = (seq - baseSeq) & 0xFFFF;
        return index < count || index >= symbols.length ? -1 : index;
    }

    private void markLostUpTo(int index) {
        for (int i = count; i < index; i++) {
            symbols[i] = TransportLayerCc.NOT_RECEIVED;
        }
    }

    /** Packet statuses recorded since {@link #reset}. */
    public int packetStatusCount() {
        return count;
    }

    /**
     * Appends the feedback packet, padded to 32 bits with the RTCP padding bit as libwebrtc does.
     * Returns bytes written; writes nothing and returns 0 when no packet was added.
     */
    public int write(ByteBuf out) {
        if (count == 0) {
            return 0;
        }
        int start = out.writerIndex();
        RtcpFeedback.writeFixed(out, RtcpPacketType.RTPFB, RtcpPacketType.FMT_TWCC, 4, senderSsrc, mediaSsrc);
        out.writeShort(baseSeq);
        out.writeShort(count);
        out.writeMedium(referenceTime);
        out.writeByte(feedbackCount);
        writeChunks(out);
        for (int i = 0; i < count; i++) {
            if (symbols[i] == TransportLayerCc.RECEIVED_SMALL_DELTA) {
                out.writeByte(deltas[i]);
            } else if (symbols[i] == TransportLayerCc.RECEIVED_LARGE_DELTA) {
                out.writeShort(deltas[i]);
            }
        }
        int unpadded = out.writerIndex() - start;
        int padding = (4 - (unpadded & 3)) & 3;
        if (padding > 0) {
            out.writeZero(padding - 1);
            out.writeByte(padding);
            RtcpHeader.setPadding(out, start, true);
        }
        int length = unpadded + padding;
        RtcpHeader.setPacketLength(out, start, length);
        return length;
    }

    /**
     * Chooses chunks greedily (§3.1.3, §3.1.4): a run-length chunk for long runs of one symbol,
     * else a 14-symbol 1-bit vector when the next symbols are all lost/small, else a 7-symbol
     * 2-bit vector.
     */
    private void writeChunks(ByteBuf out) {
        int i = 0;
        while (i < count) {
            int remaining = count - i;
            int run = runLength(i);
            if (run >= 14 || run == remaining) {
                out.writeShort((symbols[i] << 13) | run);
                i += run;
            } else if (fitsOneBit(i, Math.min(14, remaining))) {
                int chunk = 0x8000;
                for (int k = 0, n = Math.min(14, remaining); k < n; k++) {
                    chunk |= symbols[i + k] << (13 - k);
                }
                out.writeShort(chunk);
                i += Math.min(14, remaining);
            } else if (run >= 7) {
                out.writeShort((symbols[i] << 13) | run);
                i += run;
            } else {
                int chunk = 0xC000;
                for (int k = 0, n = Math.min(7, remaining); k < n; k++) {
                    chunk |= symbols[i + k] << (12 - 2 * k);
                }
                out.writeShort(chunk);
                i += Math.min(7, remaining);
            }
        }
    }

    private int runLength(int from) {
        int end = Math.min(count, from + TransportLayerCc.RUN_LENGTH_MAX);
        int i = from + 1;
        while (i < end && symbols[i] == symbols[from]) {
            i++;
        }
        return i - from;
    }

    private boolean fitsOneBit(int from, int n) {
        for (int k = 0; k < n; k++) {
            if (symbols[from + k] == TransportLayerCc.RECEIVED_LARGE_DELTA) {
                return false;
            }
        }
        return true;
    }
}
