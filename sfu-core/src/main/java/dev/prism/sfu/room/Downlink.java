package dev.prism.sfu.room;

import dev.prism.sfu.cc.BandwidthAllocator;
import dev.prism.sfu.cc.SendSideBandwidthEstimator;
import dev.prism.sfu.transport.PeerTransport;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What Prism sends one subscriber, as a whole: the transport-wide sequence numbers on its
 * packets, the bandwidth estimate made from its transport-wide CC feedback (or its REMB when it
 * negotiated no TWCC), the allocation of that estimate to its video subscriptions, and probing
 * with RTX padding when a better layer waits for a higher estimate. Loop thread only; the
 * allocation runs on the room's timer, the packet path only reads its outcome.
 */
final class Downlink {
    /** Where the estimate starts: enough for a middle layer, not more than a slow link carries for long. */
    static final long INITIAL_BPS = 600_000;
    static final long MIN_BPS = 100_000;
    static final long MAX_BPS = 20_000_000;
    /** Share of the estimate spent on media; the rest absorbs estimate error and retransmissions. */
    static final double HEADROOM = 0.9;
    static final long PROBE_DURATION_MILLIS = 500;
    static final long MIN_PROBE_BACKOFF_MILLIS = 1500;
    static final long MAX_PROBE_BACKOFF_MILLIS = 8000;
    static final int PADDING_BYTES = 255;
    /** Allocations (200 ms apart) in a row that must call for a lower layer before it is taken. */
    static final int DOWNGRADE_AFTER_ALLOCATIONS = 4;
    static final long PROBE_RAMP_MILLIS = 300;
    static final double PROBE_ABORT_LOSS = 0.03;

    private final PeerTransport transport;
    private final int transportCcId;
    private final SendSideBandwidthEstimator estimator;
    private final DownlinkPacer pacer = new DownlinkPacer(this::sendNow);
    private long rembBps = -1;
    private int transportSeq;
    private long estimateBps = -1;
    private long allocatedBps;
    // Probing: padding to probeTargetBps until probeEndMillis; next attempt not before nextProbeMillis.
    private long probeEndMillis;
    private long probeTargetBps;
    private long probeStartBps;
    private long nextProbeMillis;
    private long probeBackoffMillis = MIN_PROBE_BACKOFF_MILLIS;
    private long lastPaceMillis;
    private double paddingCredit;
    private DownTrack paddingTrack;
    private long probes;
    /** The largest video the subscriber wants (0 = no limit), declared through signaling. */
    private int maxWidth;
    private int maxHeight;

    Downlink(PeerTransport transport, int transportCcId) {
        this.transport = transport;
        this.transportCcId = transportCcId;
        this.estimator = transportCcId > 0 ? new SendSideBandwidthEstimator(INITIAL_BPS, MIN_BPS, MAX_BPS) : null;
    }

    int transportCcId() {
        return transportCcId;
    }

    /** The next transport-wide sequence number (0 when not negotiated); recorded when the packet leaves. */
    int nextTransportSequence() {
        if (estimator == null) {
            return 0;
        }
        int seq = transportSeq;
        transportSeq = (transportSeq + 1) & 0xFFFF;
        return seq;
    }

    /** Sends an RTP packet through the pacer. Takes ownership. */
    void send(ByteBuf packet) {
        pacer.send(packet);
    }

    /** Sends a retransmission through the pacer, ahead of waiting media. Takes ownership. */
    void sendRetransmission(ByteBuf packet) {
        pacer.sendFirst(packet);
    }

    /** Round-trip time to the subscriber from its transport-wide feedback, or -1. */
    long rttMillis() {
        return estimator == null ? -1 : estimator.rttMillis();
    }

    /**
     * Sends an RTP packet now, recording its transport-wide sequence number and size with the
     * time it really leaves, so pacing delay is not mistaken for queueing in the network.
     */
    void sendNow(ByteBuf packet) {
        if (estimator != null) {
            // Written by StreamRewriter: 12-byte header, 0xBEDE + length, id/len byte, then the sequence number.
            int seq = packet.getUnsignedShort(packet.readerIndex() + StreamRewriter.TRANSPORT_SEQ_OFFSET);
            estimator.onPacketSent(seq, packet.readableBytes(), System.nanoTime() / 1000);
        }
        transport.sendRtp(packet);
    }

    /** Releases packets still waiting to be paced out (the transport closed). */
    void close() {
        pacer.clear();
    }

    void onTransportFeedback(ByteBuf packet, int offset) {
        if (estimator != null) {
            estimator.onTransportFeedback(packet, offset, System.nanoTime() / 1000);
        }
    }

    /** The subscriber's REMB (RFC draft-alvestrand-rmcat-remb): its estimate when TWCC is not negotiated. */
    void onRemb(long bitrate) {
        rembBps = bitrate;
    }

    /** The estimate in bits/s, or -1 while there is none. */
    long estimateBps() {
        return estimateBps;
    }

    long allocatedBps() {
        return allocatedBps;
    }

    long probes() {
        return probes;
    }

    /** The subscriber's declared maximum video size (0 for no limit); applied at the next allocation. */
    void setMaxVideoSize(int width, int height) {
        maxWidth = Math.max(0, width);
        maxHeight = Math.max(0, height);
    }

    /**
     * Spends the estimate across the video down-tracks (every 200 ms from the room's timer) and
     * starts a probe when a better allocation waits for more bandwidth.
     */
    void allocate(Collection<DownTrack> downTracks, PeerTransport speaker, long nowMillis) {
        estimateBps = estimator != null ? estimator.estimateBps() : rembBps;
        pacer.setEstimate(estimateBps);
        boolean limited = maxWidth > 0 || maxHeight > 0;
        if (estimateBps < 0 && !limited) {
            return; // no estimate and no size limit: every down-track follows its best layer
        }
        List<DownTrack> video = new ArrayList<>();
        List<BandwidthAllocator.Subscription> subs = new ArrayList<>();
        long audioBps = 0;
        paddingTrack = null;
        for (DownTrack d : downTracks) {
            PublishedTrack t = d.source;
            if (!d.isVideo()) {
                audioBps += t.layerBitrate(0);
                continue;
            }
            video.add(d);
            int priority = t.owner == speaker ? BandwidthAllocator.PRIORITY_SPEAKER : BandwidthAllocator.PRIORITY_NORMAL;
            subs.add(t.subscription(priority, t.highestLayerFitting(maxWidth, maxHeight)));
            if (paddingTrack == null && d.canPad()) {
                paddingTrack = d;
            }
        }
        long budget = estimateBps < 0 ? Long.MAX_VALUE / 4 : (long) (estimateBps * HEADROOM) - audioBps;
        // Steps are (spatial, temporal) choices; compared as layer << 2 | temporal (BandwidthAllocator.Subscription#choice).
        int[] steps = BandwidthAllocator.allocate(budget, subs);
        int[] chosen = new int[steps.length];
        boolean lossy = estimator != null && estimator.lossFraction() > 0.1;
        for (int i = 0; i < chosen.length; i++) {
            DownTrack d = video.get(i);
            chosen[i] = subs.get(i).choice(steps[i]);
            int current = d.allocation();
            // A dip must last before a layer is given up (a switch costs a key frame), unless loss says
            // the link is overrun now; going up waits for the probe anyway.
            if (current >= 0 && chosen[i] >= 0 && chosen[i] < current && !lossy
                    && ++d.downgradeVotes < DOWNGRADE_AFTER_ALLOCATIONS && subs.get(i).stepOf(current) >= 0) {
                chosen[i] = current;
                steps[i] = subs.get(i).stepOf(current);
            } else if (chosen[i] >= current || lossy) {
                d.downgradeVotes = 0;
            }
            if (chosen[i] != current) {
                d.downgradeVotes = 0;
            }
            d.allocate(chosen[i] >> 2, chosen[i] & 3);
        }
        allocatedBps = BandwidthAllocator.total(subs, steps) + audioBps;
        long idealBps = BandwidthAllocator.total(subs, BandwidthAllocator.ideal(subs)) + audioBps;
        boolean probing = nowMillis < probeEndMillis;
        if (!probing && probeTargetBps > 0) {
            // A probe ended: success if the estimate now covers what it aimed at.
            probeBackoffMillis = estimateBps * HEADROOM >= probeTargetBps / 1.25
                    ? MIN_PROBE_BACKOFF_MILLIS : Math.min(MAX_PROBE_BACKOFF_MILLIS, probeBackoffMillis * 2);
            nextProbeMillis = nowMillis + probeBackoffMillis;
            probeTargetBps = 0;
        }
        if (!probing && estimateBps >= 0 && estimator != null && paddingTrack != null && idealBps > allocatedBps
                && nowMillis >= nextProbeMillis) {
            // Aim a little past the next step up so that success leaves the headroom the allocator keeps.
            long nextStep = nextStepBps(subs, steps) + audioBps;
            probeTargetBps = (long) (Math.min(idealBps, nextStep) * 1.25 / HEADROOM);
            probeEndMillis = nowMillis + PROBE_DURATION_MILLIS;
            probeStartBps = estimateBps;
            lastPaceMillis = nowMillis;
            paddingCredit = 0;
            probes++;
        }
    }

    /** Cost of the cheapest single upgrade of one subscription from {@code chosen}. */
    private static long nextStepBps(List<BandwidthAllocator.Subscription> subs, int[] chosen) {
        long total = BandwidthAllocator.total(subs, chosen);
        long best = Long.MAX_VALUE;
        for (int i = 0; i < chosen.length; i++) {
            long[] rates = subs.get(i).stepBitrates();
            for (int l = chosen[i] + 1; l < rates.length; l++) {
                if (rates[l] >= 0) {
                    long step = rates[l] - (chosen[i] >= 0 ? rates[chosen[i]] : 0);
                    best = Math.min(best, step);
                    break;
                }
            }
        }
        return best == Long.MAX_VALUE ? total : total + best;
    }

    /**
     * While probing, tops the media rate up towards the probe target with padding (every 10 ms).
     * The padding ramps up over the first part of the probe, and the probe stops at the first
     * sign of a queue (over-use, or loss in the feedback), so probing a full link costs it a
     * few packets of queueing rather than a burst of tail drops.
     */
    void pace(long nowMillis) {
        pacer.drain();
        if (nowMillis >= probeEndMillis || paddingTrack == null || !paddingTrack.canPad()) {
            return;
        }
        if (estimator.bandwidthUsage() == dev.prism.sfu.cc.BandwidthUsage.OVERUSE
                || estimator.lossFraction() > PROBE_ABORT_LOSS || estimator.estimateBps() < probeStartBps) {
            probeEndMillis = nowMillis; // the link is full: stop now rather than fill its queue
            return;
        }
        long elapsed = nowMillis - lastPaceMillis;
        lastPaceMillis = nowMillis;
        double ramp = Math.min(1.0, (double) (nowMillis - (probeEndMillis - PROBE_DURATION_MILLIS)) / PROBE_RAMP_MILLIS);
        long paddingBps = (long) ((probeTargetBps - allocatedBps) * ramp);
        if (paddingBps <= 0 || elapsed <= 0) {
            return;
        }
        paddingCredit += paddingBps / 8.0 * Math.min(elapsed, 50) / 1000.0;
        int packets = (int) (paddingCredit / PADDING_BYTES);
        if (packets > 0) {
            paddingCredit -= packets * PADDING_BYTES;
            paddingTrack.sendPadding(Math.min(packets, 40), PADDING_BYTES);
        }
    }
}
