package dev.prism.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * Transport-wide congestion control feedback, RTPFB FMT 15
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1): after the two SSRCs come
 * base sequence number (16), packet status count (16), reference time (24, signed, 64 ms units),
 * feedback packet count (8), then 16-bit packet chunks covering the status count, then one
 * receive delta per received packet (1 byte unsigned or 2 bytes signed, 250 µs units).
 * Iterate the packets with {@link TransportLayerCcReader}; build with {@link TransportLayerCcWriter}.
 */
public final class TransportLayerCc {
    private TransportLayerCc() {}

    /** Feedback header plus base seq, status count, reference time and fb pkt count. */
    public static final int FIXED_SIZE = 20;
    /** Status symbols, §3.1.1. */
    public static final int NOT_RECEIVED = 0;
    public static final int RECEIVED_SMALL_DELTA = 1;
    public static final int RECEIVED_LARGE_DELTA = 2;
    /** One receive-delta tick, §3.1.5. */
    public static final int DELTA_TICK_MICROS = 250;
    /** One reference-time tick, §3.1. */
    public static final int REFERENCE_TICK_MICROS = 64_000;
    static final int RUN_LENGTH_MAX = 0x1FFF;

    public static int senderSsrc(ByteBuf buf, int offset) {
        return RtcpFeedback.senderSsrc(buf, offset);
    }

    public static int mediaSsrc(ByteBuf buf, int offset) {
        return RtcpFeedback.mediaSsrc(buf, offset);
    }

    public static int baseSequenceNumber(ByteBuf buf, int offset) {
        return buf.getUnsignedShort(offset + 12);
    }

    public static int packetStatusCount(ByteBuf buf, int offset) {
        return buf.getUnsignedShort(offset + 14);
    }

    /** Reference time in 64 ms units, sign-extended from 24 bits as the draft defines it. */
    public static int referenceTime(ByteBuf buf, int offset) {
        return buf.getMedium(offset + 16);
    }

    public static int feedbackPacketCount(ByteBuf buf, int offset) {
        return buf.getUnsignedByte(offset + 19);
    }

    public static int validate(ByteBuf buf, int offset, int contentLength) {
        int deltas = deltasOffset(buf, offset, contentLength);
        return deltas < 0 ? deltas : RtcpError.OK;
    }

    /**
     * Walks the packet chunks and checks that they cover the status count and that the receive
     * deltas they imply fit. Returns the absolute index of the first receive delta, or a negative
     * {@link RtcpError}.
     */
    static int deltasOffset(ByteBuf buf, int offset, int contentLength) {
        if (contentLength < FIXED_SIZE) {
            return contentLength < RtcpFeedback.FIXED_SIZE ? RtcpError.FEEDBACK_TOO_SHORT : RtcpError.TWCC_TRUNCATED;
        }
        int end = offset + contentLength;
        int pos = offset + FIXED_SIZE;
        int left = packetStatusCount(buf, offset);
        int deltaBytes = 0;
        while (left > 0) {
            if (pos + 2 > end) {
                return RtcpError.TWCC_CHUNK_COUNT_MISMATCH;
            }
            int chunk = buf.getUnsignedShort(pos);
            pos += 2;
            int n = Math.min(left, symbolsIn(chunk));
            for (int i = 0; i < n; i++) {
                int symbol = symbolAt(chunk, i);
                if (symbol == 3) {
                    return RtcpError.TWCC_RESERVED_SYMBOL;
                }
                deltaBytes += symbol;
                if (isRunLength(chunk)) {
                    deltaBytes += symbol * (n - 1); // the rest of the run has the same symbol
                    break;
                }
            }
            left -= n;
        }
        if (pos + deltaBytes > end) {
            return RtcpError.TWCC_DELTA_RUNS_PAST_END;
        }
        return pos;
    }

    /** Run-length chunk: first bit 0, §3.1.3. */
    static boolean isRunLength(int chunk) {
        return (chunk & 0x8000) == 0;
    }

    /** How many packets a chunk describes: its run length, or 14 / 7 for status vectors (§3.1.4). */
    static int symbolsIn(int chunk) {
        if (isRunLength(chunk)) {
            return chunk & RUN_LENGTH_MAX;
        }
        return (chunk & 0x4000) == 0 ? 14 : 7;
    }

    /** Status symbol of the i-th packet described by a chunk; 1-bit vectors say 0 lost, 1 small delta. */
    static int symbolAt(int chunk, int i) {
        if (isRunLength(chunk)) {
            return (chunk >>> 13) & 3;
        }
        if ((chunk & 0x4000) == 0) {
            return (chunk >>> (13 - i)) & 1;
        }
        return (chunk >>> (12 - 2 * i)) & 3;
    }
}
