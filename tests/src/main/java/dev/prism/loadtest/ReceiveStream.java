package dev.prism.loadtest;

import dev.prism.rtcp.ReportBlock;
import dev.prism.rtp.SequenceUnwrapper;
import io.netty.buffer.ByteBuf;

/**
 * Reception statistics of one SSRC a viewer receives (RFC 3550 §6.4.1 and appendix A.3): unique
 * packets (SRTP's replay window already drops duplicates), loss from the extended highest
 * sequence number, interarrival jitter, the last sender report for LSR/DLSR, and the sequence
 * numbers missing right now for NACK (RFC 4585), each asked for at most {@link #MAX_NACKS} times.
 * Loop thread only, except the volatile totals.
 */
final class ReceiveStream {
    static final int MAX_PENDING = 256;
    static final int MAX_NACKS = 3;
    static final long NACK_INTERVAL_NANOS = 50_000_000L;
    static final long NACK_GIVE_UP_NANOS = 1_000_000_000L;

    final int ssrc;
    final boolean video;
    final int clockRate;
    /** The SSRC the server retransmits this stream on (RFC 4588), 0 when none; and the stream's payload type. */
    int rtxSsrc;
    int payloadType;
    private final SequenceUnwrapper unwrapper = new SequenceUnwrapper();
    private long firstSeq = -1;
    private long highestSeq = -1;
    volatile long received;
    volatile long recovered;
    volatile long duplicates;
    private long expectedPrior;
    private long receivedPrior;
    private double jitter;
    private long lastTransit;
    private boolean haveTransit;
    private long lastSrMiddle;
    private long lastSrArrivalNanos;
    /** Which of the last {@link #SEEN_BITS} sequence numbers arrived, to tell a second copy from a late packet. */
    private static final int SEEN_BITS = 1024;
    private final long[] seen = new long[SEEN_BITS / 64];
    private final int[] pendingSeq = new int[MAX_PENDING];
    private final long[] pendingSince = new long[MAX_PENDING];
    private final long[] pendingLastNack = new long[MAX_PENDING];
    private final int[] pendingTries = new int[MAX_PENDING];
    private int pending;

    ReceiveStream(int ssrc, boolean video, int clockRate) {
        this.ssrc = ssrc;
        this.video = video;
        this.clockRate = clockRate;
    }

    /**
     * Accounts one packet; returns true when it filled a gap (a late or retransmitted packet). A
     * second copy of a packet already counted (an original that arrived after its retransmission,
     * or a retransmission sent twice; SRTP's replay window is per SSRC and RTX has its own) is
     * counted in {@link #duplicates}, not as received, so loss never goes negative.
     */
    boolean onPacket(int seq, long rtpTimestamp, long arrivalNanos) {
        long ext = unwrapper.unwrap(seq);
        if (firstSeq < 0) {
            firstSeq = ext;
            highestSeq = ext;
        } else if (ext > highestSeq) {
            long from = Math.max(highestSeq + 1, ext - MAX_PENDING);
            for (long s = from; s < ext; s++) {
                addPending((int) s & 0xFFFF, arrivalNanos);
            }
            for (long s = Math.max(highestSeq + 1, ext - SEEN_BITS + 1); s < ext; s++) {
                seen[seenWord(s)] &= ~seenBit(s);
            }
            highestSeq = ext;
        } else if (ext < firstSeq) {
            firstSeq = ext;
        } else if (highestSeq - ext < SEEN_BITS && (seen[seenWord(ext)] & seenBit(ext)) != 0) {
            duplicates++;
            return false;
        }
        seen[seenWord(ext)] |= seenBit(ext);
        boolean filled = removePending(seq & 0xFFFF);
        if (filled) {
            recovered++;
        }
        received++;
        // Jitter (A.8) in timestamp units; arrival converted to the stream's clock.
        long arrival = arrivalNanos / 1000 * clockRate / 1_000_000;
        long transit = arrival - rtpTimestamp;
        if (haveTransit && !filled) {
            long d = Math.abs(transit - lastTransit);
            jitter += (d - jitter) / 16.0;
        }
        lastTransit = transit;
        haveTransit = true;
        return filled;
    }

    private static int seenWord(long ext) {
        return (int) (ext & (SEEN_BITS - 1)) >>> 6;
    }

    private static long seenBit(long ext) {
        return 1L << (ext & 63);
    }

    /** Remembers a sender report for this SSRC (RFC 3550 LSR: the middle 32 bits of its NTP time). */
    void onSenderReport(long ntp, long arrivalNanos) {
        lastSrMiddle = (ntp >>> 16) & 0xFFFFFFFFL;
        lastSrArrivalNanos = arrivalNanos;
    }

    long expected() {
        return firstSeq < 0 ? 0 : highestSeq - firstSeq + 1;
    }

    /** Packets never received (not negative: duplicates are not counted). */
    long lost() {
        return Math.max(0, expected() - received);
    }

    boolean started() {
        return firstSeq >= 0;
    }

    /** Appends this stream's report block (RFC 3550 §6.4.1) and starts the next interval. */
    void writeReportBlock(ByteBuf out, long nowNanos) {
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        int fraction = expectedInterval <= 0 || lostInterval <= 0 ? 0 : (int) ((lostInterval << 8) / expectedInterval);
        long dlsr = lastSrArrivalNanos == 0 ? 0 : (nowNanos - lastSrArrivalNanos) * 65536 / 1_000_000_000L;
        ReportBlock.write(out, ssrc, Math.min(255, fraction), (int) Math.min(Integer.MAX_VALUE, lost()),
                highestSeq < 0 ? 0 : highestSeq, (long) jitter, lastSrMiddle, lastSrArrivalNanos == 0 ? 0 : dlsr);
    }

    /**
     * Fills {@code out} with the sequence numbers to NACK now (ascending) and returns how many;
     * drops those asked for {@link #MAX_NACKS} times or missing for longer than a second.
     */
    int dueNacks(int[] out, long nowNanos) {
        int n = 0;
        int keep = 0;
        for (int i = 0; i < pending; i++) {
            boolean expired = pendingTries[i] >= MAX_NACKS || nowNanos - pendingSince[i] > NACK_GIVE_UP_NANOS;
            if (expired) {
                continue;
            }
            if (pendingTries[i] == 0 || nowNanos - pendingLastNack[i] >= NACK_INTERVAL_NANOS) {
                if (n < out.length) {
                    out[n++] = pendingSeq[i];
                    pendingTries[i]++;
                    pendingLastNack[i] = nowNanos;
                }
            }
            pendingSeq[keep] = pendingSeq[i];
            pendingSince[keep] = pendingSince[i];
            pendingLastNack[keep] = pendingLastNack[i];
            pendingTries[keep] = pendingTries[i];
            keep++;
        }
        pending = keep;
        return n;
    }

    private void addPending(int seq, long nowNanos) {
        if (pending == MAX_PENDING) {
            System.arraycopy(pendingSeq, 1, pendingSeq, 0, MAX_PENDING - 1);
            System.arraycopy(pendingSince, 1, pendingSince, 0, MAX_PENDING - 1);
            System.arraycopy(pendingLastNack, 1, pendingLastNack, 0, MAX_PENDING - 1);
            System.arraycopy(pendingTries, 1, pendingTries, 0, MAX_PENDING - 1);
            pending--;
        }
        pendingSeq[pending] = seq;
        pendingSince[pending] = nowNanos;
        pendingLastNack[pending] = 0;
        pendingTries[pending] = 0;
        pending++;
    }

    private boolean removePending(int seq) {
        for (int i = 0; i < pending; i++) {
            if (pendingSeq[i] == seq) {
                int tail = pending - i - 1;
                System.arraycopy(pendingSeq, i + 1, pendingSeq, i, tail);
                System.arraycopy(pendingSince, i + 1, pendingSince, i, tail);
                System.arraycopy(pendingLastNack, i + 1, pendingLastNack, i, tail);
                System.arraycopy(pendingTries, i + 1, pendingTries, i, tail);
                pending--;
                return true;
            }
        }
        return false;
    }
}
