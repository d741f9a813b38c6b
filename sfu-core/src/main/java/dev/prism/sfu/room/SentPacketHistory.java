package dev.prism.sfu.room;

/**
 * What each of a down-track's last {@link #CAPACITY} output packets carried, in a ring indexed
 * by output sequence number: its source (simulcast layer) and source sequence number, to find it
 * in the publisher's packet cache when the subscriber NACKs it (RFC 4585 §6.2.1), and its output
 * timestamp, VP8 picture id and TL0PICIDX, to send it again exactly as first sent. A direct map,
 * unlike offsets per segment, stays right however often dropped frames move the offsets.
 * Preallocated; nothing is allocated per packet. Loop thread only.
 */
final class SentPacketHistory {
    /** A power of two dividing 2^16, so an output sequence number has one slot on every lap. */
    static final int CAPACITY = 1024;
    private static final int MASK = CAPACITY - 1;

    private final int[] seq = new int[CAPACITY]; // -1: empty
    private final int[] sourceSeq = new int[CAPACITY];
    private final int[] source = new int[CAPACITY];
    private final int[] timestamp = new int[CAPACITY];
    private final int[] pictureId = new int[CAPACITY];
    private final int[] tl0 = new int[CAPACITY];
    private int newest = -1;

    SentPacketHistory() {
        java.util.Arrays.fill(seq, -1);
    }

    /** Records an output packet ({@code pictureId}, {@code tl0}: -1 when absent). */
    void record(int outSeq, int sourceSeq, int source, long outTimestamp, int pictureId, int tl0) {
        if (newest < 0 || ((outSeq - newest) & 0xFFFF) < 0x8000) {
            // Sequence numbers jumped past (lost upstream) must not keep a stale entry from a lap ago.
            int gap = newest < 0 ? 0 : Math.min(CAPACITY, ((outSeq - newest) & 0xFFFF) - 1);
            for (int i = 1; i <= gap; i++) {
                seq[(newest + i) & MASK] = -1;
            }
            newest = outSeq;
        }
        int slot = outSeq & MASK;
        seq[slot] = outSeq;
        this.sourceSeq[slot] = sourceSeq;
        this.source[slot] = source;
        timestamp[slot] = (int) outTimestamp;
        this.pictureId[slot] = pictureId;
        this.tl0[slot] = tl0;
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
        return seq[slot] == outSeq ? slot : -1;
    }

    int outputSequence(int slot) {
        return seq[slot];
    }

    /** The source (layer) of the packet in a slot. */
    int source(int slot) {
        return source[slot];
    }

    /** The source sequence number of the packet in a slot. */
    int sourceSequence(int slot) {
        return sourceSeq[slot];
    }

    long timestamp(int slot) {
        return timestamp[slot] & 0xFFFFFFFFL;
    }

    /** Output picture id, -1 when the packet had none. */
    int pictureId(int slot) {
        return pictureId[slot];
    }

    /** Output TL0PICIDX, -1 when the packet had none. */
    int tl0(int slot) {
        return tl0[slot];
    }
}
