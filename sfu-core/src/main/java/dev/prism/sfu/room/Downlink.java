package dev.prism.sfu.room;

import dev.prism.sfu.cc.BandwidthAllocator;
import dev.prism.sfu.cc.SendSideBandwidthEstimator;
import dev.prism.sfu.cc.TwccTraceRecorder;
import dev.prism.sfu.transport.PeerTransport;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What Prism sends one subscriber, as a whole: the transport-wide sequence numbers on its
 * packets, the bandwidth estimate made from its transport-wide CC feedback (or its REMB when it
 * negotiated no TWCC), the allocation of that estimate to its video subscriptions, and probing
 * with RTX padding ({@link ProbeController}) when a better layer waits for a higher estimate.
 * Loop thread only; the allocation runs on the room's timer, the packet path only reads its
 * outcome.
 */
final class Downlink {
    /**
     * The estimate before any feedback: libwebrtc's default start rate. A new subscriber starts on
     * what that pays for (usually the lowest layer, a small first key frame) and climbs as probes
     * prove its link, instead of starting high and bursting into a link that cannot carry it.
     */
    static final long INITIAL_BPS = 300_000;
    static final long MIN_BPS = 100_000;
    static final long MAX_BPS = 20_000_000;
    /** Share of the estimate spent on media; the rest absorbs estimate error and retransmissions. */
    static final double HEADROOM = 0.9;
    /** An upgrade must fit this many times over (hysteresis against up/down flapping). */
    static final double UPGRADE_MARGIN = 1.2;
    /**
     * What a packet costs on the wire beyond its RTP bytes: the SRTP tag (16 for GCM, 10 for CM;
     * the larger is counted) and IPv4 + UDP headers. The estimate is of the link, which carries
     * these too: a padding probe of 255-byte packets is a fifth overhead, and not counting it
     * made probes overrun the very rate they were testing.
     */
    static final int WIRE_OVERHEAD_BYTES = 16 + 20 + 8;
    /** A top simulcast layer's rate before any is measured (Chromium's 720p target is 1.7–2.5 Mbit/s). */
    static final long NOMINAL_TOP_LAYER_BPS = 1_500_000;
    /** Allocations (200 ms apart) in a row that must call for a lower layer before it is taken. */
    static final int DOWNGRADE_AFTER_ALLOCATIONS = 4;

    private final PeerTransport transport;
    private final int transportCcId;
    private final SendSideBandwidthEstimator estimator;
    /** What the estimator is fed, when -Dprism.twccTrace=DIR asks for it (debugging); else null. */
    private final TwccTraceRecorder trace;
    private final DownlinkPacer pacer = new DownlinkPacer(this::sendNow);
    private long rembBps = -1;
    private int transportSeq;
    private long estimateBps = -1;
    private long allocatedBps;
    private final ProbeController probe = new ProbeController();
    private DownTrack paddingTrack;
    /** The largest video the subscriber wants (0 = no limit), declared through signaling. */
    private int maxWidth;
    private int maxHeight;
    /** A layer fixed through signaling instead of chosen from the estimate, or null. */
    private VideoLayerPin pin;
    private final EarlyRepair repair = new EarlyRepair();

    Downlink(PeerTransport transport, int transportCcId) {
        this.transport = transport;
        this.transportCcId = transportCcId;
        this.estimator = transportCcId > 0 ? new SendSideBandwidthEstimator(INITIAL_BPS, MIN_BPS, MAX_BPS) : null;
        if (estimator != null) {
            estimator.setLossListener(this::onReportedLost);
        }
        this.trace = estimator != null ? TwccTraceRecorder.open(transport.id()) : null;
    }

    int transportCcId() {
        return transportCcId;
    }

    /** The next transport-wide sequence number (0 when not negotiated); recorded when the packet leaves. */
    private int nextTransportSequence() {
        if (estimator == null) {
            return 0;
        }
        int seq = transportSeq;
        transportSeq = (transportSeq + 1) & 0xFFFF;
        return seq;
    }

    /** Reads what sending the next packet reads and writes (see {@link DownTrack#prefetch}). */
    int prefetch() {
        int x = transportSeq ^ pacer.prefetch();
        return estimator == null ? x : x ^ estimator.prefetchSent() ^ repair.prefetch(transportSeq + 1);
    }

    /**
     * Sends an RTP packet through the pacer. Takes ownership. It keeps the arrival of the datagram
     * being handled, so a copy the pacer holds is timed from then when it leaves.
     */
    void send(ByteBuf packet) {
        pacer.send(packet, transport.handlingArrivalNanos());
    }

    /** Sends a retransmission through the pacer, ahead of waiting media. Takes ownership. */
    void sendRetransmission(ByteBuf packet) {
        pacer.sendFirst(packet, transport.handlingArrivalNanos());
    }

    /**
     * Whether retransmissions should go out twice: the link loses packets (over {@code lossFraction})
     * while no queue is building and no probe is filling it, i.e. loss that is not congestion, where
     * a second copy costs little and saves the receiver a 100 ms NACK retry. On a congested link the
     * copy would only add to the queue.
     */
    boolean repairTwice(double lossFraction, long nowMillis) {
        return estimator != null && estimator.lossFraction() > lossFraction && lossIsRandom(nowMillis);
    }

    /** Whether the subscriber's losses look random rather than congestion ({@link EarlyRepair}). */
    private boolean lossIsRandom(long nowMillis) {
        return repair.lossIsRandom(estimator.rttMillis(), probe.probing(nowMillis),
                estimator.bandwidthUsage() == dev.prism.sfu.cc.BandwidthUsage.OVERUSE);
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
        sendNow(packet, transport.handlingArrivalNanos());
    }

    /** As {@link #sendNow(ByteBuf)}, caused by a datagram that arrived at {@code arrivalNanos} (0: none). */
    private void sendNow(ByteBuf packet, long arrivalNanos) {
        if (estimator != null && hasTransportSequenceSlot(packet)) {
            // Numbered here, as it leaves, not when written: the pacer sends retransmissions ahead of
            // media already queued, and numbers out of send order look like losses to the feedback.
            // StreamRewriter left room: 12-byte header, 0xBEDE + length, id/len byte, the number.
            int seq = nextTransportSequence();
            int at = packet.readerIndex();
            packet.setShort(at + StreamRewriter.TRANSPORT_SEQ_OFFSET, seq);
            repair.onSent(seq, packet.getInt(at + 8), packet.getUnsignedShort(at + 2));
            long micros = System.nanoTime() / 1000;
            estimator.onPacketSent(seq, packet.readableBytes() + WIRE_OVERHEAD_BYTES, micros);
            if (trace != null) {
                trace.sent(micros, seq, packet.readableBytes() + WIRE_OVERHEAD_BYTES);
            }
        }
        transport.sendRtp(packet, arrivalNanos);
    }

    /** Whether StreamRewriter gave {@code packet} the transport-wide sequence number extension (X bit, 0xBEDE, our id first). */
    private boolean hasTransportSequenceSlot(ByteBuf packet) {
        int at = packet.readerIndex();
        return packet.readableBytes() > StreamRewriter.TRANSPORT_SEQ_OFFSET + 1 && (packet.getByte(at) & 0x10) != 0
                && packet.getUnsignedShort(at + 12) == 0xBEDE && (packet.getByte(at + 16) >> 4 & 0xF) == transportCcId;
    }

    /** Releases packets still waiting to be paced out (the transport closed). */
    void close() {
        pacer.clear();
        if (trace != null) {
            trace.close();
        }
    }

    void onTransportFeedback(ByteBuf packet, int offset) {
        if (estimator != null) {
            repair.beginFeedback();
            long micros = System.nanoTime() / 1000;
            if (trace != null) {
                trace.feedback(micros, packet, offset);
            }
            estimator.onTransportFeedback(packet, offset, micros);
            long now = System.currentTimeMillis();
            if (repair.hasLosses() && lossIsRandom(now)) {
                repair.repair(now);
            }
        }
    }

    /** How to find the subscriber's down-track by the SSRC it receives (for repairs the feedback asks for). */
    void setDownTracks(java.util.function.IntFunction<DownTrack> bySsrc) {
        repair.setDownTracks(bySsrc);
    }

    private void onReportedLost(int transportSeq) {
        repair.onReportedLost(transportSeq);
        // A loss while probing: the probe overran a queue (or the link is lossy, where a probe
        // proves nothing either). Stop padding at once; waiting for the loss rate to climb over
        // the abort threshold kept filling a shallow queue and cost media packets.
        probe.stop(System.currentTimeMillis());
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
        return probe.probes();
    }

    /** The subscriber's declared maximum video size (0 for no limit); applied at the next allocation. */
    void setMaxVideoSize(int width, int height) {
        maxWidth = Math.max(0, width);
        maxHeight = Math.max(0, height);
    }

    /** Fixes the subscriber's video layer ({@code null}: back to the estimate); applied at the next allocation. */
    void pinVideoLayer(VideoLayerPin pin) {
        this.pin = pin;
    }

    /**
     * Spends the estimate across the video down-tracks (every 200 ms from the room's timer) and
     * starts a probe when a better allocation waits for more bandwidth.
     */
    void allocate(Collection<DownTrack> downTracks, PeerTransport speaker, long nowMillis) {
        estimateBps = estimator != null ? estimator.estimateBps() : rembBps;
        if (estimator != null) {
            repair.onRtt(estimator.rttMillis(), nowMillis);
        }
        pacer.setEstimate(estimateBps);
        if (pin != null) {
            allocatePinned(downTracks, nowMillis);
            return;
        }
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
            long[] rates = new long[t.layerCount];
            for (int l = 0; l < t.layerCount; l++) {
                // Paused layers stay choosable at their last rate; a layer with no measured rate yet
                // costs a nominal one.
                long rate = t.muted() ? -1 : t.allocatableBitrate(l, nowMillis);
                rates[l] = rate == 0 ? layerCost(t, l) : rate;
            }
            video.add(d);
            int priority = t.spec.isScreen() ? BandwidthAllocator.PRIORITY_SCREEN
                    : t.owner == speaker ? BandwidthAllocator.PRIORITY_SPEAKER : BandwidthAllocator.PRIORITY_NORMAL;
            subs.add(t.allocatorSubscription(rates, priority, t.highestLayerFitting(maxWidth, maxHeight)));
            if (paddingTrack == null && d.canPad()) {
                paddingTrack = d;
            }
        }
        long budget = estimateBps < 0 ? Long.MAX_VALUE / 4 : (long) (estimateBps * HEADROOM) - audioBps;
        // Steps are (spatial, temporal) choices; compared as layer << 2 | temporal (BandwidthAllocator.Subscription#choice).
        int[] steps = BandwidthAllocator.allocate(budget, subs);
        // Going up needs UPGRADE_MARGIN more than staying: a layer that only just fits is dropped
        // again at its next key frame, and each round trip costs the subscriber a key-frame burst.
        int[] affordable = budget == Long.MAX_VALUE / 4 ? steps
                : BandwidthAllocator.allocate((long) (budget / UPGRADE_MARGIN), subs);
        int[] chosen = new int[steps.length];
        boolean lossy = estimator != null && estimator.lossFraction() > 0.1;
        for (int i = 0; i < chosen.length; i++) {
            DownTrack d = video.get(i);
            chosen[i] = subs.get(i).choice(steps[i]);
            int current = d.allocation();
            if (chosen[i] > current) {
                int up = subs.get(i).choice(affordable[i]);
                int stay = current >= 0 ? subs.get(i).stepOf(current) : -1;
                if (up > current || stay < 0) {
                    chosen[i] = up;
                    steps[i] = affordable[i];
                } else {
                    chosen[i] = current;
                    steps[i] = stay;
                }
            }
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
        probe.afterAllocation(estimateBps, allocatedBps, idealBps, nextStepBps(subs, steps) + audioBps,
                estimator != null && paddingTrack != null, nowMillis);
    }

    /**
     * The pinned layer for every video down-track, whatever the estimate; no probing (nothing
     * better could be chosen). The pacer runs at least at the pinned rate, else it would queue
     * and drop what the subscriber asked for.
     */
    private void allocatePinned(Collection<DownTrack> downTracks, long nowMillis) {
        long total = 0;
        for (DownTrack d : downTracks) {
            PublishedTrack t = d.source;
            if (!d.isVideo()) {
                total += t.layerBitrate(0);
                continue;
            }
            int layer = pin.layerOf(t, t.highestLayerFitting(maxWidth, maxHeight));
            d.allocate(layer, Vp8TemporalFilter.ALL);
            total += t.muted() ? 0 : layerCost(t, layer);
        }
        allocatedBps = total;
        paddingTrack = null;
        probe.cancel(nowMillis);
        if (estimateBps >= 0) {
            pacer.setEstimate(Math.max(estimateBps, total));
        }
    }

    /**
     * What a layer costs: its peak measured rate, or, for a layer too new to have one (a
     * publisher that just started), a nominal rate from its frame size (0.07 bit per pixel at
     * 30 fps, about what VP8 spends on camera video), else from its rank below the top layer.
     * Counting an unmeasured layer as free would send a new subscriber the top layer first,
     * a burst its link may not carry.
     */
    static long layerCost(PublishedTrack t, int layer) {
        long peak = t.layerPeakBitrate(layer);
        if (peak > 0) {
            return peak;
        }
        long pixels = (long) t.layerWidth(layer) * t.layerHeight(layer);
        return pixels > 0 ? (long) (pixels * 30 * 0.07) : NOMINAL_TOP_LAYER_BPS >> 2 * (t.layerCount - 1 - layer);
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

    /** Lets paced packets out and, while probing, tops the media rate up with padding (every 10 ms). */
    void pace(long nowMillis) {
        pacer.drain();
        if (paddingTrack == null || !paddingTrack.canPad()) {
            return;
        }
        int packets = probe.paddingPackets(estimator, allocatedBps, nowMillis);
        if (packets > 0) {
            paddingTrack.sendPadding(packets, ProbeController.PADDING_BYTES);
        }
    }
}
