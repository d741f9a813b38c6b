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
    private final int[] transportSeq = new int[SIZE];
    private final int[] ssrc = new int[SIZE];
    private final int[] outputSeq = new int[SIZE];

    SentMediaIndex() {
        java.util.Arrays.fill(transportSeq, -1);
    }

    void record(int transportSeq, int ssrc, int outputSeq) {
        int slot = transportSeq & (SIZE - 1);
        this.transportSeq[slot] = transportSeq;
        this.ssrc[slot] = ssrc;
        this.outputSeq[slot] = outputSeq;
    }

    /** Whether {@code transportSeq} is still remembered. */
    boolean knows(int transportSeq) {
        return this.transportSeq[transportSeq & (SIZE - 1)] == transportSeq;
    }

    /** The SSRC {@code transportSeq} went out with; only after {@link #knows}. */
    int ssrc(int transportSeq) {
        return ssrc[transportSeq & (SIZE - 1)];
    }

    /** Its RTP sequence number; only after {@link #knows}. */
    int outputSeq(int transportSeq) {
        return outputSeq[transportSeq & (SIZE - 1)];
    }
}
