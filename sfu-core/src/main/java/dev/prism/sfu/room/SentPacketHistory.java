package dev.prism.sfu.room;

/**
 * What each of a down-track's last {@link #CAPACITY} output packets carried, in a ring indexed
 * by output sequence number: its source (simulcast layer) and source sequence number, to find it
 * in the publisher's packet cache when the subscriber NACKs it (RFC 4585 §6.2.1), its output
 * timestamp, VP8 picture id and TL0PICIDX, to send it again exactly as first sent, and when it
 * was sent, to tell a NACK that predates the copy it asks for. A direct map,
 * unlike offsets per segment, stays right however often dropped frames move the offsets.
 * Preallocated; nothing is allocated per packet. Loop thread only.
 *
 * <p>One slot is four adjacent ints (16 bytes, four slots per cache line): a record per packet
 * per subscriber touches one line, where six parallel arrays touched six (found as 4 % of the
 * media loop at 200 subscribers). Ints: output sequence (-1: empty), send time in milliseconds
 * (low 16 bits, bits 16-31) | source sequence (bits 0-15), output timestamp, and source (bits
 * 26-30) | TL0PICIDX + 1 (bits 16-24) | picture id + 1 (bits 0-15). The send time wraps every
 * 65.5 s; only packets still in the publisher's cache (2 s) are asked about.
 */
final class SentPacketHistory {
    /** A power of two dividing 2^16, so an output sequence number has one slot on every lap. */
    static final int CAPACITY = 1024;
    private static final int MASK = CAPACITY - 1;

    private static final int STRIDE = 4;
    private final int[] slots = new int[CAPACITY * STRIDE];
    private int newest = -1;

    SentPacketHistory() {
        for (int i = 0; i < slots.length; i += STRIDE) {
            slots[i] = -1;
        }
    }

    /** Reads what {@link #record} of {@code outSeq} will read and write (see {@link DownTrack#prefetch}). */
    int prefetch(int outSeq) {
        return newest ^ slots[(outSeq & MASK) * STRIDE];
    }

    /** Records an output packet sent at {@code nowMillis} ({@code pictureId}, {@code tl0}: -1 when absent). */
    void record(int outSeq, int sourceSeq, int source, long outTimestamp, int pictureId, int tl0, long nowMillis) {
        if (newest < 0 || ((outSeq - newest) & 0xFFFF) < 0x8000) {
            // Sequence numbers jumped past (lost upstream) must not keep a stale entry from a lap ago.
            int gap = newest < 0 ? 0 : Math.min(CAPACITY, ((outSeq - newest) & 0xFFFF) - 1);
            for (int i = 1; i <= gap; i++) {
                slots[((newest + i) & MASK) * STRIDE] = -1;
            }
            newest = outSeq;
        }
        int at = (outSeq & MASK) * STRIDE;
        int[] d = slots;
        d[at] = outSeq;
        d[at + 1] = (int) nowMillis << 16 | (sourceSeq & 0xFFFF);
        d[at + 2] = (int) outTimestamp;
        d[at + 3] = (source & 0x1F) << 26 | ((tl0 + 1) & 0x1FF) << 16 | ((pictureId + 1) & 0xFFFF);
    }

    /**
     * The slot of output sequence number {@code outSeq}, or -1 when it was never written (ahead
     * of the newest, lost upstream) or is older than the last {@link #CAPACITY}.
     */
    int slotOf(int outSeq) {
        if (newest < 0 || ((newest - outSeq) & 0xFFFF) >= CAPACITY) {
            return -1;
        }
        int slot = outSeq & MASK;
        return slots[slot * STRIDE] == outSeq ? slot : -1;
    }

    int outputSequence(int slot) {
        return slots[slot * STRIDE];
    }

    /** The source (layer) of the packet in a slot. */
    int source(int slot) {
        return slots[slot * STRIDE + 3] >>> 26;
    }

    /** The source sequence number of the packet in a slot. */
    int sourceSequence(int slot) {
        return slots[slot * STRIDE + 1] & 0xFFFF;
    }

    /** How long before {@code nowMillis} the packet in a slot was sent (modulo 65,536 ms). */
    int sentMillisAgo(int slot, long nowMillis) {
        return ((int) nowMillis - (slots[slot * STRIDE + 1] >>> 16)) & 0xFFFF;
    }

    long timestamp(int slot) {
        return slots[slot * STRIDE + 2] & 0xFFFFFFFFL;
    }

    /** Output picture id, -1 when the packet had none. */
    int pictureId(int slot) {
        return (slots[slot * STRIDE + 3] & 0xFFFF) - 1;
    }

    /** Output TL0PICIDX, -1 when the packet had none. */
    int tl0(int slot) {
        return (slots[slot * STRIDE + 3] >>> 16 & 0x1FF) - 1;
    }
}
