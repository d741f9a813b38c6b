package dev.prism.sfu.room;

import dev.prism.rtcp.PictureLossIndication;
import dev.prism.rtcp.TransportLayerNack;
import dev.prism.rtp.RtpPacket;
import dev.prism.rtp.codec.Av1Payload;
import dev.prism.rtp.codec.H264Payload;
import dev.prism.rtp.codec.Vp8PayloadDescriptor;
import dev.prism.rtp.codec.Vp9PayloadDescriptor;
import dev.prism.sfu.cc.BandwidthAllocator;
import dev.prism.sfu.nack.NackGenerator;
import dev.prism.sfu.nack.RtpPacketCache;
import dev.prism.sfu.stats.ReceiveStreamStatistics;
import dev.prism.sfu.transport.PeerTransport;
import dev.prism.sfu.transport.TransportCounters;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * A track one publisher sends into the room: its layers (one, or one per simulcast rid, each
 * with its own SSRC learnt from the RID header extension), their receive statistics and rates,
 * the subscribers it fans out to, and keyframe requests towards the publisher, collapsed per
 * layer by a {@link KeyframeRequester} however many viewers ask. Loop thread only.
 */
final class PublishedTrack {
    /** A layer with no packet for this long is not offered to subscribers. */
    static final long LAYER_TIMEOUT_MILLIS = 1500;

    final PublishedTrackSpec spec;
    final PeerTransport owner;
    final int layerCount;
    final int[] layerSsrc;
    final ReceiveStreamStatistics[] statistics;
    /** RTX SSRC per layer (0 while unknown): signalled for a plain track, learnt from repaired RIDs for simulcast. */
    final int[] layerRtxSsrc;
    /** Video only: each layer's recent packets, stored once for every subscriber's NACKs; else null. */
    private final RtpPacketCache[] caches;
    /** Video whose publisher accepts NACK: the gaps to ask the publisher to repair; else null. */
    private final NackGenerator[] nackGenerators;
    private final int[] nackScratch = new int[64];
    final List<DownTrack> downTracks = new ArrayList<>();
    /** The active-speaker detector's slot of an audio track with audio levels, else -1 (room-owned). */
    int speakerSlot = -1;
    private final long[] layerBytes;
    private final long[] layerBitrate;
    /** The last {@link #PEAK_WINDOWS} rate measurements per layer, for {@link #layerPeakBitrate}. */
    private final long[][] recentBitrates;
    private int recentIndex;
    static final int PEAK_WINDOWS = 5;
    private final long[] lastPacketMillis;
    /** Per-layer rates of TID ≤ t (VP8 temporal layers), for the allocator's finer steps. */
    private final TemporalLayerRates temporalRates;
    private final Vp8PayloadDescriptor descriptor = new Vp8PayloadDescriptor();
    /** Frame size per layer from its latest VP8 key frame (0 while unknown or for other codecs). */
    final int[] layerWidth;
    final int[] layerHeight;
    private final boolean[] layerActive;
    private final KeyframeRequester keyframes;
    private final int rtcpSenderSsrc;
    private final TransportCounters counters;
    private final int codec;
    private long lastRateUpdateMillis;
    private int bestLayer;
    private boolean muted;

    private static final int VP8 = 1, VP9 = 2, H264 = 3, AV1 = 4, OTHER = 0;

    PublishedTrack(PublishedTrackSpec spec, PeerTransport owner, int rtcpSenderSsrc, TransportCounters counters) {
        this.spec = spec;
        this.owner = owner;
        this.rtcpSenderSsrc = rtcpSenderSsrc;
        this.counters = counters;
        this.layerCount = spec.simulcast() ? spec.rids().size() : 1;
        this.layerSsrc = new int[layerCount];
        this.statistics = new ReceiveStreamStatistics[layerCount];
        this.layerBytes = new long[layerCount];
        this.layerBitrate = new long[layerCount];
        this.recentBitrates = new long[layerCount][PEAK_WINDOWS];
        this.lastPacketMillis = new long[layerCount];
        this.temporalRates = new TemporalLayerRates(layerCount);
        this.layerWidth = new int[layerCount];
        this.layerHeight = new int[layerCount];
        this.layerActive = new boolean[layerCount];
        this.keyframes = new KeyframeRequester(layerCount);
        this.layerRtxSsrc = new int[layerCount];
        this.caches = spec.isVideo() ? new RtpPacketCache[layerCount] : null;
        this.nackGenerators = spec.isVideo() && spec.rtcpFb().contains("nack") ? new NackGenerator[layerCount] : null;
        for (int i = 0; i < layerCount; i++) {
            if (caches != null) {
                caches[i] = new RtpPacketCache();
            }
            if (nackGenerators != null) {
                nackGenerators[i] = new NackGenerator();
            }
            statistics[i] = new ReceiveStreamStatistics(spec.clockRate());
            lastPacketMillis[i] = Long.MIN_VALUE / 2;
        }
        if (!spec.simulcast()) {
            layerSsrc[0] = (int) spec.ssrc();
            layerRtxSsrc[0] = (int) spec.rtxSsrc();
        }
        this.bestLayer = spec.simulcast() ? -1 : 0;
        this.codec = switch (spec.codecName().toUpperCase(java.util.Locale.ROOT)) {
            case "VP8" -> VP8;
            case "VP9" -> VP9;
            case "H264" -> H264;
            case "AV1" -> AV1;
            default -> OTHER;
        };
    }

    boolean isVp8() {
        return codec == VP8;
    }

    /** The layer of a simulcast rid, or -1. */
    int layerOfRid(String rid) {
        return spec.rids().indexOf(rid);
    }

    /** The layer an SSRC was learnt for, or -1. */
    int layerOfSsrc(int ssrc) {
        for (int i = 0; i < layerCount; i++) {
            if (layerSsrc[i] == ssrc && (ssrc != 0 || !spec.simulcast())) {
                return i;
            }
        }
        return -1;
    }

    void learnLayer(int layer, int ssrc) {
        layerSsrc[layer] = ssrc;
    }

    /** The layer whose RTX stream an SSRC is, or -1. */
    int layerOfRtxSsrc(int ssrc) {
        for (int i = 0; i < layerCount; i++) {
            if (layerRtxSsrc[i] == ssrc && ssrc != 0) {
                return i;
            }
        }
        return -1;
    }

    void learnRtxLayer(int layer, int ssrc) {
        layerRtxSsrc[layer] = ssrc;
    }

    /** The layer subscribers should get: the active one with the highest bitrate (-1 before any). */
    int bestLayer() {
        return bestLayer;
    }

    boolean muted() {
        return muted;
    }

    /** An operator's mute: nothing is forwarded; unmuting asks for a key frame so video resumes at once. */
    void setMuted(boolean muted, long nowMillis) {
        boolean resumed = this.muted && !muted;
        this.muted = muted;
        if (resumed) {
            for (DownTrack d : downTracks) {
                d.resume();
            }
            requestKeyFrame(nowMillis, Math.max(0, bestLayer));
        }
    }

    /**
     * A decrypted RTP packet of layer {@code layer} ({@code retransmission}: unwrapped from RTX);
     * caches it for NACKs, notes gaps to NACK, and fans it out.
     */
    void onPacket(ByteBuf packet, int layer, boolean retransmission, long nowMillis) {
        int seq = RtpPacket.sequenceNumber(packet);
        statistics[layer].onPacket(seq, RtpPacket.timestamp(packet), nowMillis * 1000);
        boolean keyFrame = spec.isVideo() && isKeyFrame(packet);
        if (keyFrame) {
            keyframes.onKeyFrame(layer, nowMillis);
        }
        if (keyFrame && codec == VP8) {
            int size = Vp8PayloadDescriptor.keyFrameSize(packet, RtpPacket.payloadOffset(packet),
                    RtpPacket.payloadLength(packet));
            if (size > 0) {
                layerWidth[layer] = size >>> 16;
                layerHeight[layer] = size & 0xFFFF;
            }
        }
        if (caches != null && !caches[layer].put(packet, seq, nowMillis) && retransmission) {
            return; // a retransmission of what we already have: subscribers had it too
        }
        if (nackGenerators != null) {
            int result = nackGenerators[layer].onPacket(seq, keyFrame, retransmission, nowMillis);
            if ((result & NackGenerator.REQUEST_KEYFRAME) != 0) {
                requestKeyFrame(nowMillis, layer);
            }
            if ((result & NackGenerator.MISSING_ADDED) != 0) {
                sendNacks(layer, nowMillis);
            }
        }
        layerBytes[layer] += packet.readableBytes();
        temporalRates.onPacket(layer, codec == VP8 ? temporalLayer(packet) : 0, packet.readableBytes());
        boolean newlyActive = nowMillis - lastPacketMillis[layer] > LAYER_TIMEOUT_MILLIS;
        lastPacketMillis[layer] = nowMillis;
        if (bestLayer < 0 || newlyActive && spec.simulcast()) {
            updateLayers(nowMillis);
        }
        if (muted) {
            return;
        }
        for (int i = 0, n = downTracks.size(); i < n; i++) {
            downTracks.get(i).forward(packet, layer, keyFrame, nowMillis);
        }
        counters.packetsForwarded.add(downTracks.size());
    }

    /**
     * Recomputes layer bitrates (once a second from the room's tick, and when a layer appears)
     * and the best layer: active layers only, highest bitrate first.
     */
    void updateLayers(long nowMillis) {
        long elapsed = nowMillis - lastRateUpdateMillis;
        if (elapsed >= 500) {
            for (int i = 0; i < layerCount; i++) {
                layerBitrate[i] = layerBytes[i] * 8000 / elapsed;
                recentBitrates[i][recentIndex] = layerBitrate[i];
                layerBytes[i] = 0;
            }
            temporalRates.update(elapsed);
            lastRateUpdateMillis = nowMillis;
            recentIndex = (recentIndex + 1) % PEAK_WINDOWS;
        }
        int best = -1;
        for (int i = 0; i < layerCount; i++) {
            if (nowMillis - lastPacketMillis[i] <= LAYER_TIMEOUT_MILLIS
                    && (best < 0 || layerBitrate[i] > layerBitrate[best])) {
                best = i;
            }
        }
        bestLayer = spec.simulcast() ? best : 0;
        for (int i = 0; i < layerCount; i++) {
            layerActive[i] = nowMillis - lastPacketMillis[i] <= LAYER_TIMEOUT_MILLIS;
        }
    }

    /**
     * The highest layer whose frames fit {@code maxWidth} × {@code maxHeight} (0 = no limit), at
     * least the lowest; a layer of unknown size (no key frame seen: e.g. paused before it was
     * ever sent) is taken to double a known lower layer per step, the usual simulcast ladder, or
     * counts as fitting when no lower size is known.
     */
    int highestLayerFitting(int maxWidth, int maxHeight) {
        int fit = 0;
        int known = -1;
        for (int l = 0; l < layerCount; l++) {
            int width = layerWidth[l];
            int height = layerHeight[l];
            if (width > 0) {
                known = l;
            } else if (known >= 0) {
                width = layerWidth[known] << (l - known);
                height = layerHeight[known] << (l - known);
            }
            boolean fits = (maxWidth <= 0 || width <= maxWidth) && (maxHeight <= 0 || height <= maxHeight);
            if (fits) {
                fit = l;
            }
        }
        return fit;
    }

    /** Frame width of a layer from its last VP8 key frame, 0 while unknown. */
    int layerWidth(int layer) {
        return layerWidth[layer];
    }

    int layerHeight(int layer) {
        return layerHeight[layer];
    }

    /** Whether a layer is being sent (as of the last {@link #updateLayers}). */
    boolean layerActive(int layer) {
        return layer >= 0 && layer < layerCount && layerActive[layer];
    }

    long layerBitrate(int layer) {
        return layerBitrate[layer];
    }

    /**
     * The highest rate a layer had over the last few seconds: what a subscriber's link must carry
     * for it (key frames and the publisher's own ramp-ups included), so allocations do not flap.
     */
    long layerPeakBitrate(int layer) {
        long peak = 0;
        for (long rate : recentBitrates[layer]) {
            peak = Math.max(peak, rate);
        }
        return peak;
    }

    /** The peak rate of {@code layer}'s frames with TID ≤ {@code tid} (0 for codecs without temporal layers). */
    long temporalPeakBitrate(int layer, int tid) {
        return temporalRates.peakBitrate(layer, tid);
    }

    /**
     * This track as a subscriber's allocator sees it, each layer whole costing {@code layerRates}
     * (-1: not being sent), with VP8 temporal steps below: see {@link TemporalLayerRates#subscription}.
     * Off the packet path.
     */
    BandwidthAllocator.Subscription subscription(long[] layerRates, int priority, int maxLayer) {
        return temporalRates.subscription(layerRates, priority, maxLayer);
    }

    /** The steps the allocator uses: reduced frame rates on the lowest layer only; see {@link TemporalLayerRates}. */
    BandwidthAllocator.Subscription allocatorSubscription(long[] layerRates, int priority, int maxLayer) {
        return temporalRates.subscription(layerRates, priority, maxLayer, false);
    }

    /** The VP8 TID of a packet, -1 without one. */
    private int temporalLayer(ByteBuf packet) {
        return descriptor.parse(packet, RtpPacket.payloadOffset(packet), RtpPacket.payloadLength(packet)) < 0
                ? -1 : descriptor.temporalLayer();
    }

    private boolean isKeyFrame(ByteBuf packet) {
        int offset = RtpPacket.payloadOffset(packet);
        int length = RtpPacket.payloadLength(packet);
        return switch (codec) {
            case VP8 -> Vp8PayloadDescriptor.isKeyFrame(packet, offset, length);
            case VP9 -> Vp9PayloadDescriptor.isKeyFrame(packet, offset, length);
            case H264 -> H264Payload.isKeyFrame(packet, offset, length);
            case AV1 -> Av1Payload.isKeyFrame(packet, offset, length);
            default -> true;
        };
    }

    /** A cached packet of a layer (not retained: valid until this track's next call), or null. */
    ByteBuf cachedPacket(int layer, int seq, long nowMillis) {
        return caches == null || layer < 0 || layer >= layerCount ? null : caches[layer].get(seq, nowMillis);
    }

    /** Sends the NACKs due on every layer (the room's feedback timer: retries). */
    void sendNacks(long nowMillis) {
        if (nackGenerators != null) {
            for (int layer = 0; layer < layerCount; layer++) {
                sendNacks(layer, nowMillis);
            }
        }
    }

    /** RFC 4585 §6.2.1 generic NACK to the publisher for one layer's missing packets that are due. */
    private void sendNacks(int layer, long nowMillis) {
        if (!owner.isConnected() || layerSsrc[layer] == 0 && spec.simulcast()) {
            return;
        }
        int count;
        while ((count = nackGenerators[layer].collect(nowMillis, nackScratch)) > 0) {
            ByteBuf nack = owner.alloc().directBuffer(dev.prism.rtcp.RtcpFeedback.FIXED_SIZE + TransportLayerNack.PAIR_SIZE * TransportLayerNack.pairsFor(nackScratch, count) + PeerTransport.SRTP_OVERHEAD);
            TransportLayerNack.write(nack, rtcpSenderSsrc, layerSsrc[layer], nackScratch, count);
            owner.sendRtcp(nack);
            counters.nacksSent.add(count);
        }
    }

    /** Releases the packet cache (the track ended). Idempotent. */
    void release() {
        if (caches != null) {
            for (RtpPacketCache cache : caches) {
                cache.release();
            }
        }
    }

    /** The publisher's SR for one layer: remembered and passed on, translated, to subscribers on that layer. */
    void onSenderReport(int layer, long ntp, long rtpTimestamp, long nowMillis) {
        statistics[layer].onSenderReport((ntp >>> 16) & 0xFFFFFFFFL, nowMillis * 1000);
        for (DownTrack down : downTracks) {
            down.sendSenderReport(layer, ntp, rtpTimestamp);
        }
    }

    /** Sends a PLI for {@code layer} to the publisher unless the {@link KeyframeRequester} absorbs it. */
    void requestKeyFrame(long nowMillis, int layer) {
        if (!spec.isVideo() || !owner.isConnected() || layer < 0 || layerSsrc[layer] == 0 && spec.simulcast()
                || !keyframes.tryRequest(layer, nowMillis)) {
            return;
        }
        ByteBuf pli = owner.alloc().directBuffer(PictureLossIndication.SIZE + PeerTransport.SRTP_OVERHEAD);
        PictureLossIndication.write(pli, rtcpSenderSsrc, layerSsrc[layer]);
        if (owner.sendRtcp(pli)) {
            counters.keyframeRequestsSent.increment();
        }
    }

    /** A subscriber asked for a key frame: request it on the layer that subscriber receives. */
    void requestKeyFrame(long nowMillis) {
        requestKeyFrame(nowMillis, Math.max(0, bestLayer));
    }

    DownTrack addDownTrack(PeerTransport subscriber, Downlink downlink, DownTrackSpec spec) {
        DownTrack down = new DownTrack(this, subscriber, downlink, spec, counters);
        downTracks.add(down);
        return down;
    }

    void removeDownTracksOf(PeerTransport subscriber) {
        downTracks.removeIf(d -> {
            if (d.transport == subscriber) {
                d.close();
                return true;
            }
            return false;
        });
    }

    // Pausing layers nobody receives (a publisher Prism can tell: see Room.enableLayerPausing).
    private LayerDemand demand;
    private PausedLayerRates pausedRates;

    /** Lets Prism ask the publisher to pause layers of this track nobody receives (simulcast video only). */
    void enableLayerPausing(long nowMillis) {
        if (spec.simulcast() && spec.isVideo() && demand == null && layerCount <= LayerDemand.MAX_LAYERS) {
            demand = new LayerDemand(layerCount, nowMillis);
            pausedRates = new PausedLayerRates(layerCount);
        }
    }

    /**
     * What a subscriber's allocator may choose for a layer: its recent peak rate while it is being
     * sent, the rate it had before a pause while paused (or coming back), else -1.
     */
    long allocatableBitrate(int layer, long nowMillis) {
        if (layerActive(layer)) {
            return layerPeakBitrate(layer);
        }
        return pausedRates == null ? -1 : pausedRates.rate(layer, nowMillis);
    }

    /**
     * Updates which layers subscribers want (the room's allocation timer, after the allocators ran)
     * and returns true when the publisher must be told a new set of active layers
     * ({@link #activeLayers()}).
     */
    boolean updateLayerDemand(long nowMillis) {
        if (demand == null || muted) {
            return false;
        }
        int wanted = LayerDemand.wantedBy(downTracks, layerCount);
        int before = demand.activeMask();
        if (!demand.update(wanted, nowMillis)) {
            return false;
        }
        int after = demand.activeMask();
        for (int l = 1; l < layerCount; l++) {
            int bit = 1 << l;
            if ((before & bit) != 0 && (after & bit) == 0) {
                pausedRates.pause(l, layerPeakBitrate(l), nowMillis);
                counters.layersPaused.increment();
            } else if ((before & bit) == 0 && (after & bit) != 0) {
                pausedRates.resume(l, nowMillis);
                counters.layersResumed.increment();
            }
        }
        return true;
    }

    /** The layers the publisher is asked to send (all of them unless pausing is enabled), lowest first. */
    boolean[] activeLayers() {
        boolean[] out = new boolean[layerCount];
        for (int l = 0; l < layerCount; l++) {
            out[l] = demand == null || demand.active(l);
        }
        return out;
    }
}
