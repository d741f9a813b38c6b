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
    /**
     * One slot is two adjacent longs (four slots per cache line): recording a packet per
     * subscriber touches one line, where five parallel arrays touched five (3.5 % of the media
     * loop at 200 subscribers, the most of any one method). Long 0: the unwrapped sequence number
     * (bits 20-63) | size (bits 2-19) | acked (bit 1) | reported lost (bit 0); long 1: send time.
     */
    private static final int STRIDE = 2;
    private static final int SEQ_SHIFT = 20;
    private static final long SIZE_MASK = (1 << 18) - 1;
    private static final long ACKED = 2;
    private static final long LOST = 1;
    private static final long EMPTY = Long.MIN_VALUE;

    private final long[] slots = new long[SLOTS * STRIDE];
    private final SequenceUnwrapper unwrapper = new SequenceUnwrapper();

    SendHistory() {
        for (int i = 0; i < slots.length; i += STRIDE) {
            slots[i] = EMPTY;
        }
    }

    /** Reads the slot the next {@link #add} will write (see {@code DownTrack.prefetch}). */
    int prefetchNext() {
        return (int) slots[(int) ((unwrapper.highest() + 1) & MASK) * STRIDE];
    }

    void add(int transportSeq, int sizeBytes, long micros) {
        long ext = unwrapper.unwrap(transportSeq);
        int at = (int) (ext & MASK) * STRIDE;
        slots[at] = ext << SEQ_SHIFT | Math.min(sizeBytes, SIZE_MASK) << 2;
        slots[at + 1] = micros;
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
        long word = slots[slot * STRIDE];
        return word != EMPTY && word >> SEQ_SHIFT == ext ? slot : -1;
    }

    /** Unwrapped sequence number held by a slot returned by {@link #find}. */
    long seqAt(int slot) {
        return slots[slot * STRIDE] >> SEQ_SHIFT;
    }

    long sendMicros(int slot) {
        return slots[slot * STRIDE + 1];
    }

    int size(int slot) {
        return (int) (slots[slot * STRIDE] >>> 2 & SIZE_MASK);
    }

    boolean acked(int slot) {
        return (slots[slot * STRIDE] & ACKED) != 0;
    }

    void markAcked(int slot) {
        slots[slot * STRIDE] |= ACKED;
    }

    /** Whether an earlier feedback reported the packet lost (it may still arrive, reordered). */
    boolean reportedLost(int slot) {
        return (slots[slot * STRIDE] & LOST) != 0;
    }

    void markReportedLost(int slot) {
        slots[slot * STRIDE] |= LOST;
    }
}
