package dev.prism.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * Generic NACK, RTPFB FMT 1 (RFC 4585 §6.2.1): FCI is a list of PID (lost sequence number) +
 * BLP (bitmask of the 16 following losses, bit i = PID + i + 1).
 */
public final class TransportLayerNack {
    private TransportLayerNack() {}

    public static final int PAIR_SIZE = 4;

    public static int pairCount(ByteBuf buf, int offset) {
        return RtcpFeedback.fciLength(buf, offset) / PAIR_SIZE;
    }

    public static int packetId(ByteBuf buf, int offset, int i) {
        return buf.getUnsignedShort(offset + RtcpFeedback.FIXED_SIZE + PAIR_SIZE * i);
    }

    public static int lostBitmask(ByteBuf buf, int offset, int i) {
        return buf.getUnsignedShort(offset + RtcpFeedback.FIXED_SIZE + PAIR_SIZE * i + 2);
    }

    /** Calls {@code consumer} for every sequence number reported lost, in packet order. Returns how many. */
    public static int forEachLost(ByteBuf buf, int offset, SequenceNumberConsumer consumer) {
        int n = 0;
        for (int i = 0, pairs = pairCount(buf, offset); i < pairs; i++) {
            int pid = packetId(buf, offset, i);
            int blp = lostBitmask(buf, offset, i);
            consumer.accept(pid);
            n++;
            for (int bit = 0; bit < 16; bit++) {
                if ((blp & (1 << bit)) != 0) {
                    consumer.accept((pid + bit + 1) & 0xFFFF);
                    n++;
                }
            }
        }
        return n;
    }

    /** 0 when the feedback header is complete and at least one PID/BLP pair follows. */
    public static int validate(int contentLength) {
        if (contentLength < RtcpFeedback.FIXED_SIZE) {
            return RtcpError.FEEDBACK_TOO_SHORT;
        }
        return contentLength < RtcpFeedback.FIXED_SIZE + PAIR_SIZE ? RtcpError.NACK_WITHOUT_FCI : RtcpError.OK;
    }

    /**
     * Number of PID/BLP pairs needed for {@code seqs[0..count)}, which must be ascending in
     * 16-bit serial order (wrap allowed); duplicates are folded.
     */
    public static int pairsFor(int[] seqs, int count) {
        int pairs = 0;
        int i = 0;
        while (i < count) {
            int pid = seqs[i++] & 0xFFFF;
            while (i < count) {
                int d = (seqs[i] - pid) & 0xFFFF;
                if (d > 16) {
                    break;
                }
                i++;
            }
            pairs++;
        }
        return pairs;
    }

    /**
     * Appends a NACK reporting {@code seqs[0..count)} (ascending in 16-bit serial order, at
     * least one), packing each run of 17 into one PID/BLP pair. Returns bytes written.
     */
    public static int write(ByteBuf out, int senderSsrc, int mediaSsrc, int[] seqs, int count) {
        if (count <= 0 || count > seqs.length) {
            throw new IllegalArgumentException("need 1.." + seqs.length + " sequence numbers, got " + count);
        }
        int length = RtcpFeedback.FIXED_SIZE + PAIR_SIZE * pairsFor(seqs, count);
        RtcpFeedback.writeFixed(out, RtcpPacketType.RTPFB, RtcpPacketType.FMT_NACK, length, senderSsrc, mediaSsrc);
        int i = 0;
        while (i < count) {
            int pid = seqs[i++] & 0xFFFF;
            int blp = 0;
            while (i < count) {
                int d = (seqs[i] - pid) & 0xFFFF;
                if (d > 16) {
                    break;
                }
                if (d > 0) {
                    blp |= 1 << (d - 1);
                }
                i++;
            }
            out.writeShort(pid);
            out.writeShort(blp);
        }
        return length;
    }
}
