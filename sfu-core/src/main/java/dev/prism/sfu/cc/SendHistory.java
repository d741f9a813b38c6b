package dev.prism.sfu.cc;

import dev.prism.rtp.SequenceNumbers;
import dev.prism.rtp.SequenceUnwrapper;

/**
 * What was sent, by transport-wide sequence number, until TWCC feedback reports it: a
 * preallocated ring indexed by the unwrapped sequence number, so a lookup is one array access
 * and nothing is allocated per packet. A slot remembers which unwrapped number it holds, so a
 * report for a packet already overwritten (more than {@link #SLOTS} newer ones sent since) is
 * recognised as unknown rather than matched to the wrong packet. Loop thread only.
 */
final class SendHistory {
    static final int SLOTS = 1 << 13;
    private static final int MASK = SLOTS - 1;
    private static final long EMPTY = Long.MIN_VALUE;

    private final long[] seqs = new long[SLOTS];
    private final long[] sendMicros = new long[SLOTS];
    private final int[] sizes = new int[SLOTS];
    private final boolean[] acked = new boolean[SLOTS];
    private final boolean[] reportedLost = new boolean[SLOTS];
    private final SequenceUnwrapper unwrapper = new SequenceUnwrapper();

    SendHistory() {
        java.util.Arrays.fill(seqs, EMPTY);
    }

    void add(int transportSeq, int sizeBytes, long micros) {
        long ext = unwrapper.unwrap(transportSeq);
        int slot = (int) (ext & MASK);
        seqs[slot] = ext;
        sendMicros[slot] = micros;
        sizes[slot] = sizeBytes;
        acked[slot] = false;
        reportedLost[slot] = false;
    }

    /**
     * The slot of the sent packet a feedback names by its 16-bit number, or -1 when it was never
     * sent or has left the ring. Feedback only reports what was sent, so the number is placed
     * relative to the newest one sent, without moving the unwrapper.
     */
    int find(int transportSeq) {
        long highest = unwrapper.highest();
        if (highest < 0) {
            return -1;
        }
        long ext = highest + SequenceNumbers.diff(transportSeq, (int) (highest & SequenceNumbers.MASK));
        int slot = (int) (ext & MASK);
        return seqs[slot] == ext ? slot : -1;
    }

    /** Unwrapped sequence number held by a slot returned by {@link #find}. */
    long seqAt(int slot) {
        return seqs[slot];
    }

    long sendMicros(int slot) {
        return sendMicros[slot];
    }

    int size(int slot) {
        return sizes[slot];
    }

    boolean acked(int slot) {
        return acked[slot];
    }

    void markAcked(int slot) {
        acked[slot] = true;
    }

    /** Whether an earlier feedback reported the packet lost (it may still arrive, reordered). */
    boolean reportedLost(int slot) {
        return reportedLost[slot];
    }

    void markReportedLost(int slot) {
        reportedLost[slot] = true;
    }
}
