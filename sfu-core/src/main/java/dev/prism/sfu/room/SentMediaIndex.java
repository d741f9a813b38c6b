package dev.prism.sfu.room;

/**
 * Which media packet a transport-wide sequence number was (the down-track and its output
 * sequence number), for the last {@link #SIZE} packets sent to one subscriber, so a loss its
 * transport-wide feedback reports can be repaired without waiting for the NACK. Preallocated
 * ring; padding and retransmissions are not recorded. Loop thread only.
 */
final class SentMediaIndex {
    static final int SIZE = 1024;
    private final DownTrack[] track = new DownTrack[SIZE];
    private final int[] transportSeq = new int[SIZE];
    private final int[] outputSeq = new int[SIZE];

    SentMediaIndex() {
        java.util.Arrays.fill(transportSeq, -1);
    }

    void record(int transportSeq, DownTrack down, int outputSeq) {
        int slot = transportSeq & (SIZE - 1);
        this.transportSeq[slot] = transportSeq;
        this.track[slot] = down;
        this.outputSeq[slot] = outputSeq;
    }

    /** The down-track that sent {@code transportSeq}, or null when unknown (padding, too old). */
    DownTrack track(int transportSeq) {
        int slot = transportSeq & (SIZE - 1);
        return this.transportSeq[slot] == transportSeq ? track[slot] : null;
    }

    /** The output sequence number of {@code transportSeq}; only after {@link #track} found it. */
    int outputSeq(int transportSeq) {
        return outputSeq[transportSeq & (SIZE - 1)];
    }

    /** Forgets a down-track's packets (it was removed), so nothing is resent for it. */
    void forget(DownTrack down) {
        for (int i = 0; i < SIZE; i++) {
            if (track[i] == down) {
                track[i] = null;
                transportSeq[i] = -1;
            }
        }
    }
}
