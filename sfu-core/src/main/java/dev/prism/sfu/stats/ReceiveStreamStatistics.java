package dev.prism.sfu.stats;

import dev.prism.rtcp.ReportBlock;
import io.netty.buffer.ByteBuf;

/**
 * Reception statistics of one incoming RTP stream (one SSRC), as RFC 3550 defines them:
 * extended highest sequence number with a light version of the A.1 validity check, packets
 * received, cumulative and fractional loss (A.3), interarrival jitter (A.8), and the values of
 * an RR report block (§6.4.1) including LSR/DLSR.
 *
 * <p>Single-threaded and allocation-free; time is passed in (µs on any monotonic clock).
 */
public final class ReceiveStreamStatistics {
    /** RFC 3550 A.1: a jump of more than this many sequence numbers is not trusted at once. */
    static final int MAX_DROPOUT = 3000;
    /** RFC 3550 A.1: packets this far behind the highest are treated as a sender restart. */
    static final int MAX_MISORDER = 100;
    private static final int SEQ_MOD = 1 << 16;

    private final int clockRate;

    private boolean started;
    private int maxSeq;          // highest 16-bit sequence number seen
    private long cycles;         // count of wraps, times 65536
    private long baseSeq;        // extended sequence number of the first packet (A.3 base_seq)
    private int badSeq = -1;     // sequence number after a large jump, awaiting confirmation
    private long received;
    private long expectedPrior;
    private long receivedPrior;

    private long lastTransit;
    private boolean haveTransit;
    private long jitterQ4;       // jitter in timestamp units times 16 (A.8 integer form)

    private long lastSrNtpMiddle;
    private long lastSrArrivalMicros;
    private boolean haveSr;

    private int reportFractionLost;

    /** @param clockRate RTP clock rate of the stream in Hz (e.g. 90000 for video, 48000 for Opus). */
    public ReceiveStreamStatistics(int clockRate) {
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clockRate must be positive: " + clockRate);
        }
        this.clockRate = clockRate;
    }

    /**
     * Accounts for one received packet. Returns false when the packet was not counted because
     * it is the first of a large jump awaiting confirmation (RFC 3550 A.1 {@code bad_seq});
     * the next packet in sequence after it restarts the statistics from there.
     *
     * @param seq           the packet's 16-bit sequence number
     * @param rtpTimestamp  its 32-bit RTP timestamp (unsigned)
     * @param arrivalMicros its arrival time
     */
    public boolean onPacket(int seq, long rtpTimestamp, long arrivalMicros) {
        seq &= 0xFFFF;
        if (!started) {
            restart(seq);
            updateJitter(rtpTimestamp, arrivalMicros);
            received = 1;
            return true;
        }
        int delta = (seq - maxSeq) & 0xFFFF;
        boolean inOrder = false;
        if (delta > 0 && delta < MAX_DROPOUT) {
            if (seq < maxSeq) {
                cycles += SEQ_MOD;
            }
            maxSeq = seq;
            inOrder = true;
        } else if (delta == 0) {
            // duplicate of the highest: counted as received, as A.1 does
        } else if (delta <= SEQ_MOD - MAX_MISORDER) {
            // A very large jump: believe it only if the next packet follows it (A.1).
            if (seq == badSeq) {
                restart(seq);
                received = 0;
                haveTransit = false;
                inOrder = true;
            } else {
                badSeq = (seq + 1) & 0xFFFF;
                return false;
            }
        }
        // else: reordered or duplicate packet within MAX_MISORDER behind the highest
        received++;
        if (inOrder) {
            updateJitter(rtpTimestamp, arrivalMicros);
        }
        return true;
    }

    private void restart(int seq) {
        started = true;
        maxSeq = seq;
        cycles = 0;
        baseSeq = seq;
        badSeq = -1;
        expectedPrior = 0;
        receivedPrior = 0;
        reportFractionLost = 0;
    }

    // A.8: jitter over the difference of transit times, in timestamp units; only packets that
    // advance the sequence so that reordered and retransmitted packets do not inflate it.
    private void updateJitter(long rtpTimestamp, long arrivalMicros) {
        long arrivalUnits = arrivalMicros * clockRate / 1_000_000L;
        long transit = arrivalUnits - (rtpTimestamp & 0xFFFFFFFFL);
        if (haveTransit) {
            long d = transit - lastTransit;
            // RTP timestamps wrap at 2^32: take the difference modulo 2^32, signed.
            d = (int) d;
            if (d < 0) {
                d = -d;
            }
            jitterQ4 += d - ((jitterQ4 + 8) >> 4);
        }
        lastTransit = transit;
        haveTransit = true;
    }

    /** Records the arrival of a sender report: its NTP timestamp's middle 32 bits (LSR). */
    public void onSenderReport(long ntpMiddle32, long arrivalMicros) {
        lastSrNtpMiddle = ntpMiddle32 & 0xFFFFFFFFL;
        lastSrArrivalMicros = arrivalMicros;
        haveSr = true;
    }

    public boolean started() {
        return started;
    }

    /** Extended highest sequence number received: cycles in the high bits, never wraps. */
    public long extendedHighestSequence() {
        return cycles + maxSeq;
    }

    public long packetsReceived() {
        return received;
    }

    /** Packets expected minus received since the first (A.3); negative when duplicates came. */
    public long cumulativeLost() {
        return expected() - received;
    }

    private long expected() {
        return started ? extendedHighestSequence() - baseSeq + 1 : 0;
    }

    /** Interarrival jitter in RTP timestamp units. */
    public long jitter() {
        return jitterQ4 >> 4;
    }

    /**
     * Closes a reporting interval (A.3): computes the fraction lost since the previous call,
     * 8-bit fixed point, and remembers it for {@link #fractionLost()}. Call once per report.
     */
    public int closeReportInterval() {
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        reportFractionLost = (expectedInterval == 0 || lostInterval <= 0)
                ? 0 : (int) ((lostInterval << 8) / expectedInterval);
        return reportFractionLost;
    }

    /** Fraction lost computed by the last {@link #closeReportInterval()} (0..255). */
    public int fractionLost() {
        return reportFractionLost;
    }

    /** LSR: middle 32 bits of the last SR's NTP timestamp, or 0 if none arrived. */
    public long lastSenderReport() {
        return haveSr ? lastSrNtpMiddle : 0;
    }

    /** DLSR: delay since the last SR arrived in units of 1/65536 s, or 0 if none arrived. */
    public long delaySinceLastSenderReport(long nowMicros) {
        if (!haveSr) {
            return 0;
        }
        long delay = Math.max(0, nowMicros - lastSrArrivalMicros);
        return Math.min(0xFFFFFFFFL, delay * 65536 / 1_000_000L);
    }

    /**
     * Closes the reporting interval and appends this stream's 24-byte report block to
     * {@code out} (RFC 3550 §6.4.1). Returns the number of bytes written.
     */
    public int writeReportBlock(ByteBuf out, int ssrc, long nowMicros) {
        int fraction = closeReportInterval();
        long lost = cumulativeLost();
        int lostClamped = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, lost));
        return ReportBlock.write(out, ssrc, fraction, lostClamped, extendedHighestSequence() & 0xFFFFFFFFL,
                jitter() & 0xFFFFFFFFL, lastSenderReport(), delaySinceLastSenderReport(nowMicros));
    }
}
