package dev.prism.sfu.cc;

import dev.prism.rtcp.RtcpError;
import dev.prism.rtcp.TransportLayerCc;
import dev.prism.rtcp.TransportLayerCcReader;
import io.netty.buffer.ByteBuf;

/**
 * Send-side bandwidth estimate of one subscriber's transport from its transport-wide CC feedback
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01), in the manner of Google congestion
 * control (draft-ietf-rmcat-gcc-02): a delay-based estimate (send-burst grouping §5.2, trendline
 * delay gradient standing in for §5.3, adaptive-threshold over-use detection §5.4, AIMD rate
 * control §5.5) limited by a loss-based one (§6).
 *
 * <p>One instance per transport, used only on its event loop: no locks, and nothing is allocated
 * per packet or per feedback after construction. Time is whatever the caller passes in
 * (microseconds on the sender's clock); arrival times in feedback are on the receiver's clock
 * and only their differences are used. Malformed feedback is counted and ignored.
 */
public final class SendSideBandwidthEstimator {
    static final int MIN_LOSS_REPORTS = 20;

    private final long minBps;
    private final long maxBps;
    private final SendHistory history = new SendHistory();
    private final TransportLayerCcReader reader = new TransportLayerCcReader();
    private final InterArrivalGroups groups = new InterArrivalGroups();
    private final TrendlineEstimator trendline = new TrendlineEstimator();
    private final OveruseDetector detector = new OveruseDetector();
    private final AimdRateControl aimd;
    private final LossBasedControl lossControl = new LossBasedControl();
    private final AckedBitrate acked = new AckedBitrate();
    private final FeedbackLossWindow lossWindow = new FeedbackLossWindow();

    private long estimate;
    private long delayBasedBps;
    private long srttMicros = -1;
    private boolean referenceKnown;
    private int lastReference;      // reference time of the previous feedback, as the reader reads it
    private long referenceBase;     // the same, unwrapped
    private long malformedFeedbacks;
    private long unknownReports;
    private long feedbacks;
    private LossListener lossListener;

    /** Told of each packet the receiver's feedback first reports missing (it may still arrive late). */
    @FunctionalInterface
    public interface LossListener {
        void onReportedLost(int transportSeq);
    }

    /** Sets who hears of reported losses (the downlink, to repair them before the NACK comes). */
    public void setLossListener(LossListener listener) {
        this.lossListener = listener;
    }

    public SendSideBandwidthEstimator(long initialBps, long minBps, long maxBps) {
        if (minBps <= 0 || maxBps < minBps) {
            throw new IllegalArgumentException("need 0 < minBps <= maxBps");
        }
        this.minBps = minBps;
        this.maxBps = maxBps;
        this.aimd = new AimdRateControl(initialBps, minBps, maxBps);
        this.estimate = clamp(initialBps);
        this.delayBasedBps = estimate;
    }

    /**
     * An outgoing RTP packet carrying transport-wide sequence number {@code transportSeq} (16 bit,
     * wraps); {@code sizeBytes} = whole UDP payload; includes padding/probe packets. Called on the
     * event loop per packet: does not allocate.
     */
    /** Reads what the next {@link #onPacketSent} will write, for a fan-out's prefetch (see {@code DownTrack.prefetch}). */
    public int prefetchSent() {
        return history.prefetchNext();
    }

    public void onPacketSent(int transportSeq, int sizeBytes, long sendMicros) {
        history.add(transportSeq, sizeBytes, sendMicros);
    }

    /**
     * One transport-wide CC feedback packet; {@code offset} is where its RTCP header starts, as
     * {@link TransportLayerCcReader#reset} expects. Does not allocate.
     */
    public void onTransportFeedback(ByteBuf buf, int offset, long nowMicros) {
        // First pass only validates, so a packet that breaks half-way changes nothing.
        if (!wellFormed(buf, offset)) {
            malformedFeedbacks++;
            return;
        }
        feedbacks++;
        long arrivalOffset = unwrapReference(TransportLayerCc.referenceTime(buf, offset));
        reader.reset(buf, offset);
        int lost = 0;
        int reported = 0;
        long newestAckedSeq = Long.MIN_VALUE;
        long newestAckedSend = 0;
        while (reader.next()) {
            int slot = history.find(reader.sequenceNumber());
            if (slot < 0) {
                unknownReports++; // never sent by us, or sent too long ago
                continue;
            }
            if (history.acked(slot)) {
                continue; // reported before
            }
            if (!reader.received()) {
                if (!history.reportedLost(slot)) { // the generator may repeat a loss: count it once
                    history.markReportedLost(slot);
                    reported++;
                    lost++;
                    if (lossListener != null) {
                        lossListener.onReportedLost(reader.sequenceNumber());
                    }
                }
                continue;
            }
            if (history.reportedLost(slot)) {
                lost--; // reported lost before, arrived after all: undo that loss, already counted as reported
            } else {
                reported++;
            }
            history.markAcked(slot);
            long send = history.sendMicros(slot);
            long arrival = reader.arrivalMicros() + arrivalOffset;
            acked.add(arrival, history.size(slot));
            if (history.seqAt(slot) > newestAckedSeq) {
                newestAckedSeq = history.seqAt(slot);
                newestAckedSend = send;
            }
            if (groups.add(send, arrival)) {
                double sendDeltaMs = groups.sendDeltaMicros() / 1000.0;
                trendline.update(groups.arrivalDeltaMicros() / 1000.0, sendDeltaMs, groups.groupArrivalMicros());
                detector.detect(trendline.modifiedTrend(), trendline.trend(), sendDeltaMs,
                        trendline.numDeltas(), groups.groupArrivalMicros() / 1000);
            }
        }
        if (reported > 0 || lost != 0) {
            lossWindow.add(nowMicros, lost, reported);
        }
        if (newestAckedSeq != Long.MIN_VALUE) {
            long sample = Math.max(0, nowMicros - newestAckedSend);
            srttMicros = srttMicros < 0 ? sample : (7 * srttMicros + sample) / 8; // RFC 6298 weight
        }
        if (reported > 0 || lost != 0) {
            updateEstimate(nowMicros);
        }
    }

    private boolean wellFormed(ByteBuf buf, int offset) {
        try {
            if (buf == null || reader.reset(buf, offset) != RtcpError.OK) {
                return false;
            }
            while (reader.next()) {
                // walk every status and delta so that bounds are checked before anything is used
            }
            return true;
        } catch (RuntimeException e) {
            return false; // a reader bug or a buffer shorter than its writer index claims
        }
    }

    /**
     * Offset (µs) to add to the reader's arrival times so they keep increasing when the 24-bit
     * reference time (64 ms units, ~12 days) wraps: the reference is unwrapped by the signed
     * 24-bit distance from the previous feedback's.
     */
    private long unwrapReference(int reference) {
        if (!referenceKnown) {
            referenceKnown = true;
            referenceBase = reference;
        } else {
            referenceBase += ((long) (reference - lastReference) << 40) >> 40;
        }
        lastReference = reference;
        return (referenceBase - reference) * TransportLayerCc.REFERENCE_TICK_MICROS;
    }

    private void updateEstimate(long nowMicros) {
        long rttMs = rttMillis();
        long ackedBps = acked.bps();
        delayBasedBps = aimd.update(detector.state(), ackedBps, rttMs, nowMicros);
        // Too few reports make the fraction luck (libwebrtc waits for 20 too): keep the last limit.
        long lossLimit = lossWindow.reported() < MIN_LOSS_REPORTS
                ? lossControl.limitBps()
                : lossControl.update(lossWindow.fraction(), estimate, delayBasedBps, ackedBps, rttMs, nowMicros);
        estimate = clamp(Math.min(delayBasedBps, lossLimit));
    }

    /** Current estimate, bits per second, within [minBps, maxBps]. */
    public long estimateBps() {
        return estimate;
    }

    /** Fraction of packets reported lost over the last ~1 s of feedback, 0..1. */
    public double lossFraction() {
        return lossWindow.fraction();
    }

    /** Acknowledged (received) bitrate over the last 500 ms of arrivals, bps; 0 while unknown. */
    public long ackedBps() {
        return acked.bps();
    }

    /** Smoothed round-trip time (send → feedback arrival of the newest acked packet), else -1. */
    public long rttMillis() {
        return srttMicros < 0 ? -1 : srttMicros / 1000;
    }

    /** The delay-based part alone (before the loss-based limit), bps. */
    public long delayBasedBps() {
        return delayBasedBps;
    }

    /** The over-use detector's current hypothesis. */
    public BandwidthUsage bandwidthUsage() {
        return detector.state();
    }

    /** Feedback packets ignored because they did not parse. */
    public long malformedFeedbacks() {
        return malformedFeedbacks;
    }

    /** Feedback packets used. */
    public long feedbacks() {
        return feedbacks;
    }

    /** Packet reports for sequence numbers not (or no longer) in the send history. */
    public long unknownReports() {
        return unknownReports;
    }

    private long clamp(long bps) {
        return Math.max(minBps, Math.min(maxBps, bps));
    }
}
