package dev.prism.sfu.room;

/**
 * What each of the last {@link #SIZE} packets sent to one subscriber was, by transport-wide
 * sequence number: its SSRC and RTP sequence number as the subscriber sees them, so a loss its
 * transport-wide feedback reports can be traced to a down-track and repaired without waiting
 * for the NACK (RTX and padding packets are recorded too; their SSRC names no down-track).
 * Preallocated ring. Loop thread only.
 */
final class SentMediaIndex {
    static final int SIZE = 1024;
    /**
     * One slot is two adjacent ints, so a record touches one cache line where three parallel
     * arrays touched three: the transport-wide number (high 16 bits) with the RTP sequence number
     * (low 16 bits), then the SSRC. An empty slot holds a transport-wide number that maps to
     * another slot, so it matches nothing.
     */
    private final int[] slots = new int[SIZE * 2];

    SentMediaIndex() {
        for (int slot = 0; slot < SIZE; slot++) {
            slots[slot * 2] = ((slot + 1) & 0xFFFF) << 16;
        }
    }

    /** Reads the slot {@link #record} of {@code transportSeq} will write (see {@link DownTrack#prefetch}). */
    int prefetch(int transportSeq) {
        return slots[(transportSeq & (SIZE - 1)) * 2];
    }

    void record(int transportSeq, int ssrc, int outputSeq) {
        int slot = transportSeq & (SIZE - 1);
        slots[slot * 2] = (transportSeq & 0xFFFF) << 16 | (outputSeq & 0xFFFF);
        slots[slot * 2 + 1] = ssrc;
    }

    /** Whether {@code transportSeq} is still remembered. */
    boolean knows(int transportSeq) {
        int slot = transportSeq & (SIZE - 1);
        return slots[slot * 2] >>> 16 == (transportSeq & 0xFFFF);
    }

    /** The SSRC {@code transportSeq} went out with; only after {@link #knows}. */
    int ssrc(int transportSeq) {
        return slots[(transportSeq & (SIZE - 1)) * 2 + 1];
    }

    /** Its RTP sequence number; only after {@link #knows}. */
    int outputSeq(int transportSeq) {
        return slots[(transportSeq & (SIZE - 1)) * 2] & 0xFFFF;
    }
}
