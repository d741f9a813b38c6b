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
 * with its own SSRC learnt from the RID header extension), their receive statistics and rates
 * ({@link TrackLayers}), the subscribers it fans out to, and keyframe requests towards the
 * publisher, collapsed per layer by a {@link KeyframeRequester} however many viewers ask. Loop
 * thread only.
 */
final class PublishedTrack {
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
    /** Rates, activity and frame sizes of the layers, and the best one to offer. */
    private final TrackLayers layers;
    private final Vp8PayloadDescriptor descriptor = new Vp8PayloadDescriptor();
    private final KeyframeRequester keyframes;
    private final int rtcpSenderSsrc;
    private final TransportCounters counters;
    private final int codec;
    private boolean muted;
    /**
     * A fan-out reads the next this many subscribers' state before it forwards to them
     * ({@link DownTrack#prefetch}), as many as the worker sends per {@code sendmmsg}.
     * {@code -Dprism.fanoutPrefetch=false} turns it off, to measure what it is worth.
     */
    static final int PREFETCH_GROUP = 16;
    static final boolean PREFETCH = !"false".equals(System.getProperty("prism.fanoutPrefetch"));
    /** What the prefetches read, kept so that the JIT cannot drop them. */
    private int prefetched;

    private static final int VP8 = 1, VP9 = 2, H264 = 3, AV1 = 4, OTHER = 0;

    PublishedTrack(PublishedTrackSpec spec, PeerTransport owner, int rtcpSenderSsrc, TransportCounters counters) {
        this.spec = spec;
        this.owner = owner;
        this.rtcpSenderSsrc = rtcpSenderSsrc;
        this.counters = counters;
        this.layerCount = spec.simulcast() ? spec.rids().size() : 1;
        this.layerSsrc = new int[layerCount];
        this.statistics = new ReceiveStreamStatistics[layerCount];
        this.layers = new TrackLayers(layerCount, spec.simulcast());
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
        }
        if (!spec.simulcast()) {
            layerSsrc[0] = (int) spec.ssrc();
            layerRtxSsrc[0] = (int) spec.rtxSsrc();
        }
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
        return layers.best();
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
            requestKeyFrame(nowMillis);
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
                layers.onFrameSize(layer, size >>> 16, size & 0xFFFF);
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
        layers.onPacket(layer, codec == VP8 ? temporalLayer(packet) : 0, packet.readableBytes(), nowMillis);
        if (muted) {
            return;
        }
        for (int i = 0, n = downTracks.size(); i < n; i++) {
            if (PREFETCH && i % PREFETCH_GROUP == 0) {
                int x = 0;
                for (int j = i, end = Math.min(n, i + PREFETCH_GROUP); j < end; j++) {
                    x ^= downTracks.get(j).prefetch();
                }
                prefetched ^= x;
            }
            downTracks.get(i).forward(packet, layer, keyFrame, nowMillis);
        }
        counters.packetsForwarded.add(downTracks.size());
    }

    /** Recomputes layer rates and the best layer (the room's once-a-second tick); see {@link TrackLayers#update}. */
    void updateLayers(long nowMillis) {
        layers.update(nowMillis);
    }

    /** See {@link TrackLayers#highestFitting}. */
    int highestLayerFitting(int maxWidth, int maxHeight) {
        return layers.highestFitting(maxWidth, maxHeight);
    }

    /** Frame width of a layer from its last VP8 key frame, 0 while unknown. */
    int layerWidth(int layer) {
        return layers.width(layer);
    }

    int layerHeight(int layer) {
        return layers.height(layer);
    }

    /** Whether a layer is being sent (as of the last {@link #updateLayers}). */
    boolean layerActive(int layer) {
        return layers.active(layer);
    }

    long layerBitrate(int layer) {
        return layers.bitrate(layer);
    }

    /** See {@link TrackLayers#peakBitrate}. */
    long layerPeakBitrate(int layer) {
        return layers.peakBitrate(layer);
    }

    long temporalPeakBitrate(int layer, int tid) {
        return layers.temporalPeakBitrate(layer, tid);
    }

    BandwidthAllocator.Subscription subscription(long[] layerRates, int priority, int maxLayer) {
        return layers.subscription(layerRates, priority, maxLayer);
    }

    BandwidthAllocator.Subscription allocatorSubscription(long[] layerRates, int priority, int maxLayer) {
        return layers.allocatorSubscription(layerRates, priority, maxLayer);
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
                || !keyframes.tryRequest(layer, nowMillis, downTracks.size())) {
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
        requestKeyFrame(nowMillis, Math.max(0, layers.best()));
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
