package dev.prism.sfu.room;

import java.util.function.IntFunction;

/**
 * Repairs a subscriber's losses as soon as its transport-wide feedback reports them, without
 * waiting for its NACK (which may be lost too; a receive-only Chromium repeats it only after
 * 100 ms) — but only where the losses look random rather than congestion, since on a full link
 * more packets only lengthen the queue. Random: no probe running, no over-use, and the round trip
 * within {@link #QUEUE_RTT_MARGIN_MILLIS} of its 10–20 s minimum (a drop-tail queue fills, which
 * lengthens the round trip, before it drops). The NACK that follows within an RTT is absorbed by
 * the down-track's resend interval. Preallocated; loop thread only.
 */
final class EarlyRepair {
    /** A round trip this much above its recent minimum means a queue is standing somewhere. */
    static final long QUEUE_RTT_MARGIN_MILLIS = 25;

    private final SentMediaIndex sent = new SentMediaIndex();
    private final WindowedMinimum minRtt = new WindowedMinimum(10_000);
    private final int[] lost = new int[256];
    private int lostCount;
    private IntFunction<DownTrack> downTracks;

    /** How to find the subscriber's down-track by the SSRC it receives. */
    void setDownTracks(IntFunction<DownTrack> bySsrc) {
        this.downTracks = bySsrc;
    }

    /** A packet left with transport-wide number {@code transportSeq}: its SSRC and RTP sequence number. */
    /** Reads what {@link #onSent} of {@code transportSeq} will write (see {@link DownTrack#prefetch}). */
    int prefetch(int transportSeq) {
        return sent.prefetch(transportSeq);
    }

    void onSent(int transportSeq, int ssrc, int rtpSeq) {
        sent.record(transportSeq, ssrc, rtpSeq);
    }

    /** A round-trip sample (the allocation timer), for the no-queue baseline. */
    void onRtt(long rttMillis, long nowMillis) {
        if (rttMillis >= 0) {
            minRtt.add(rttMillis, nowMillis);
        }
    }

    boolean lossIsRandom(long rttMillis, boolean probing, boolean overuse) {
        return !probing && !overuse && rttMillis >= 0 && rttMillis <= minRtt.min() + QUEUE_RTT_MARGIN_MILLIS;
    }

    /** A feedback packet is about to be read: forget the previous one's losses. */
    void beginFeedback() {
        lostCount = 0;
    }

    /** The feedback being read reports {@code transportSeq} missing (first time). */
    void onReportedLost(int transportSeq) {
        if (lostCount < lost.length) {
            lost[lostCount++] = transportSeq;
        }
    }

    /** Resends the media packets the last feedback reported missing. */
    void repair(long nowMillis) {
        for (int i = 0; i < lostCount && downTracks != null; i++) {
            int seq = lost[i];
            DownTrack down = sent.knows(seq) ? downTracks.apply(sent.ssrc(seq)) : null;
            if (down != null) {
                down.retransmit(sent.outputSeq(seq), nowMillis);
            }
        }
    }

    boolean hasLosses() {
        return lostCount > 0;
    }
}
