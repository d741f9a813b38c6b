package dev.prism.sfu.room;

import dev.prism.rtcp.SenderReport;
import dev.prism.rtp.RtpPacket;
import dev.prism.sfu.transport.PeerTransport;
import dev.prism.sfu.transport.TransportCounters;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * One published track as one subscriber receives it (a "down-track"): Prism's own SSRC, the
 * subscriber's payload type, and one continuous RTP stream rewritten from whichever layer is
 * selected (DESIGN.md step 6). Video starts, and switches simulcast layer, only on a key frame
 * of the layer switched to, so every decoded frame is whole. Loop thread only.
 */
final class DownTrack {
    final PublishedTrack source;
    final PeerTransport transport;
    private final Downlink downlink;
    final int ssrc;
    final int rtxSsrc;
    private final int rtxPayloadType;
    private final StreamRewriter rewriter;
    private final TransportCounters counters;
    private int rtxSeq = initialSequenceNumber(ThreadLocalRandom.current());
    // Retransmissions per output sequence number (slot = seq & mask), to cap them per packet.
    private static final int RESEND_SLOTS = 256;
    static final int MAX_RESENDS_PER_PACKET = 4;
    static final long MIN_RESEND_INTERVAL_MILLIS = 20;
    /** A NACK is stale when the packet went out more than this after the NACK arrived. */
    static final int STALE_NACK_MARGIN_MILLIS = 2;
    /**
     * Above this loss rate a retransmission goes out twice. A receive-only Chromium does not know
     * its RTT (no RTCP XR), so it repeats a NACK only after its 100 ms default: a lost
     * retransmission costs a frame ~150 ms, which shows as a freeze. Two copies make that
     * p² instead of p for 2 × p extra bytes; only where the loss is not congestion
     * ({@link Downlink#repairTwice}).
     */
    static final double DUPLICATE_RESEND_LOSS = 0.02;
    private final int[] resendSeq;
    private final byte[] resendCount;
    private final long[] resendMillis;
    private int currentLayer = -1;
    /** The layer the subscriber's bandwidth allocator chose (-1: none yet, follow the best layer). */
    private int allocatedLayer = -1;
    /** VP8 only (else null): drops frames of temporal layers above the allocator's target. */
    private final Vp8TemporalFilter temporalFilter;
    private boolean resumeAtKeyFrame;
    private long packets;
    private long octets;
    private long layerSwitches;

    DownTrack(PublishedTrack source, PeerTransport transport, Downlink downlink, DownTrackSpec spec,
              TransportCounters counters) {
        this.source = source;
        this.transport = transport;
        this.downlink = downlink;
        this.counters = counters;
        this.ssrc = (int) spec.ssrc();
        this.rtxSsrc = spec.hasRtx() ? (int) spec.rtxSsrc() : 0;
        this.rtxPayloadType = spec.hasRtx() ? spec.rtxPayloadType() : -1;
        this.rewriter = new StreamRewriter(ssrc, spec.payloadType(), source.spec.clockRate(), source.isVp8(),
                downlink.transportCcId());
        boolean video = source.spec.isVideo();
        this.temporalFilter = source.isVp8() ? new Vp8TemporalFilter() : null;
        this.resendSeq = video ? new int[RESEND_SLOTS] : null;
        this.resendCount = video ? new byte[RESEND_SLOTS] : null;
        this.resendMillis = video ? new long[RESEND_SLOTS] : null;
        if (video) {
            java.util.Arrays.fill(resendSeq, -1);
        }
    }

    boolean waitingForKeyFrame() {
        return source.spec.isVideo() && (currentLayer < 0 || resumeAtKeyFrame || currentLayer != wantedLayer());
    }

    /**
     * The layer this subscriber should move to: the allocator's choice, or the nearest layer below
     * it that is being sent; without a choice (no estimate yet, or not simulcast) the best layer.
     */
    int wantedLayer() {
        if (allocatedLayer < 0 || !source.spec.simulcast()) {
            return source.bestLayer();
        }
        for (int l = allocatedLayer; l >= 0; l--) {
            if (source.layerActive(l)) {
                return l;
            }
        }
        return source.bestLayer();
    }

    int allocatedLayer() {
        return allocatedLayer;
    }

    /** Consecutive allocations that wanted a lower layer than {@link #allocatedLayer} (the allocator's hysteresis). */
    int downgradeVotes;

    /** Removed from its subscriber or its track: nothing more is resent for it. */
    private boolean closed;

    void close() {
        closed = true;
    }

    /** The allocator's decision, all temporal layers (off the packet path; read by {@link #forward}). */
    void allocate(int layer) {
        allocate(layer, Vp8TemporalFilter.ALL);
    }

    /**
     * The allocator's decision: spatial {@code layer} (-1: none yet) with frames of TID ≤
     * {@code temporal} ({@link Vp8TemporalFilter#ALL}: every frame). The temporal target applies
     * to VP8 only; other codecs get the whole layer.
     */
    void allocate(int layer, int temporal) {
        allocatedLayer = layer;
        if (temporalFilter != null) {
            temporalFilter.setTarget(layer < 0 ? Vp8TemporalFilter.ALL : temporal);
        }
    }

    /** The allocation as one ordered number, {@code layer << 2 | temporal} (-1: none), for comparing allocations. */
    int allocation() {
        return allocatedLayer < 0 ? -1 : allocatedLayer << 2 | allocatedTemporal();
    }

    /** The temporal target allocated ({@link Vp8TemporalFilter#ALL} when not VP8). */
    int allocatedTemporal() {
        return temporalFilter == null ? Vp8TemporalFilter.ALL : temporalFilter.target();
    }

    /** The temporal target in force on the packet path. */
    int currentTemporal() {
        return temporalFilter == null ? Vp8TemporalFilter.ALL : temporalFilter.current();
    }

    boolean isVideo() {
        return source.spec.isVideo();
    }

    boolean canPad() {
        return rtxSsrc != 0 && rewriter.started();
    }

    int currentLayer() {
        return currentLayer;
    }

    long layerSwitches() {
        return layerSwitches;
    }

    /** Forwarding resumes after a pause: continue the sequence, and for video wait for a key frame. */
    void resume() {
        rewriter.reanchor();
        if (temporalFilter != null) {
            temporalFilter.reset();
        }
        resumeAtKeyFrame = source.spec.isVideo();
    }

    static final int FORWARD = 0;
    static final int SKIP = 1;
    static final int SKIP_AND_REQUEST_KEY_FRAME = 2;
    static final int FORWARD_AND_REQUEST_KEY_FRAME = 3;
    static final int START_OR_SWITCH = 4;

    /**
     * What a packet of {@code layer} does to a down-track on {@code current} that wants
     * {@code target}: video starts, switches or resumes only on a key frame of the target (asked
     * for, throttled by the track's KeyframeRequester, while waiting); the current layer keeps
     * flowing meanwhile. Packets of the other layers of a down-track already on its target are
     * simply not its packets: they ask for nothing (they did, about twice a second per
     * subscriber, each a key frame the publisher then had to send).
     */
    static int layerStep(boolean video, int layer, boolean keyFrame, int current, int target, boolean resumeAtKeyFrame) {
        if (layer == current && !resumeAtKeyFrame) {
            return target >= 0 && target != current ? FORWARD_AND_REQUEST_KEY_FRAME : FORWARD;
        }
        if (!video || layer == target && keyFrame) {
            return START_OR_SWITCH;
        }
        if (current == target && current >= 0 && !resumeAtKeyFrame) {
            return SKIP;
        }
        return SKIP_AND_REQUEST_KEY_FRAME;
    }

    /** Copies {@code packet} (a validated, decrypted RTP packet of {@code layer}) to this subscriber when selected. */
    /**
     * Reads (one word of each cache line) the state {@link #forward} will read and write for this
     * subscriber: this track, its rewriter and history, the downlink's pacer and send records,
     * the transport's SRTP stream and keys, the peer's address. A fan-out on a busy worker finds
     * little of it in cache (the kernel's sendmmsg between batches evicts it), and each forward
     * stalls on its misses one after another; {@link PublishedTrack} calls this for the next
     * {@link PublishedTrack#PREFETCH_GROUP} subscribers first, so that their misses overlap. The
     * result means nothing, but the caller must keep it, or the JIT removes the reads.
     */
    int prefetch() {
        return currentLayer ^ (int) packets ^ rewriter.prefetch() ^ downlink.prefetch() ^ transport.prefetchSend(ssrc);
    }

    void forward(ByteBuf packet, int layer, boolean keyFrame, long nowMillis) {
        if (!transport.isConnected()) {
            return;
        }
        int target = wantedLayer();
        switch (layerStep(source.spec.isVideo(), layer, keyFrame, currentLayer, target, resumeAtKeyFrame)) {
            case SKIP -> {
                return;
            }
            case SKIP_AND_REQUEST_KEY_FRAME -> {
                source.requestKeyFrame(nowMillis, target);
                return;
            }
            case FORWARD_AND_REQUEST_KEY_FRAME -> source.requestKeyFrame(nowMillis, target);
            case START_OR_SWITCH -> {
                rewriter.setSource(layer);
                if (!rewriter.started()) {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    rewriter.start(RtpPacket.sequenceNumber(packet), RtpPacket.timestamp(packet),
                            initialSequenceNumber(random), random.nextLong(0x100000000L));
                } else if (layer != currentLayer) {
                    rewriter.switchSource(RtpPacket.sequenceNumber(packet), RtpPacket.timestamp(packet), nowMillis);
                    layerSwitches++;
                    counters.layerSwitches.increment();
                }
                currentLayer = layer;
                resumeAtKeyFrame = false;
                if (temporalFilter != null) {
                    temporalFilter.reset();
                }
            }
            default -> { } // FORWARD
        }
        if (layer != currentLayer) {
            return;
        }
        if (temporalFilter != null && !temporalFilter.accept(packet, keyFrame, rewriter)) {
            return; // a frame above the temporal target: the rewriter closes up behind it
        }
        int length = StreamRewriter.outputLength(packet);
        int size = length + rewriter.extensionBytes();
        ByteBuf out = transport.alloc().directBuffer(size + PeerTransport.SRTP_OVERHEAD);
        rewriter.write(packet, out, nowMillis, 0); // the transport-wide number is set as it leaves (Downlink.sendNow)
        packets++;
        octets += length - RtpPacket.FIXED_HEADER_LENGTH;
        downlink.send(out);
    }

    /**
     * A stream's first sequence number: random, but below 2^15, as libwebrtc draws its own
     * (kMaxInitRtpSeqNumber). A receiver starts its SRTP rollover counter at 0 with the first
     * packet it hears (RFC 3711 §3.3.1); a stream that began near 65535 and wrapped before that,
     * because its first packets reached a subscriber whose DTLS had not finished, would never
     * authenticate there. Below 2^15 it wraps only after 32,768 packets.
     */
    static int initialSequenceNumber(RandomGenerator random) {
        return random.nextInt(0x8000);
    }

    /**
     * The subscriber NACKed output sequence number {@code outSeq} (RFC 4585 §6.2.1): resend it
     * from the publisher's packet cache, as RTX when negotiated, at most
     * {@link #MAX_RESENDS_PER_PACKET} times, and not when the packet went out after the NACK
     * arrived. Counts served, missed, capped and stale requests.
     */
    void retransmit(int outSeq, long nowMillis) {
        if (resendSeq == null || closed || !transport.isConnected()) {
            return;
        }
        int slot = rewriter.history().slotOf(outSeq);
        ByteBuf cached = slot < 0 ? null
                : source.cachedPacket(rewriter.history().source(slot), rewriter.history().sourceSequence(slot), nowMillis);
        if (cached == null) {
            counters.retransmissionsMissed.increment();
            return;
        }
        // A NACK that waited in our socket's queue while the packet it names went out (late:
        // recovered upstream, or the loop was behind) asks for a copy already on its way; the
        // subscriber asks again if that one is lost too. Serving it turned a backlog into a storm
        // of duplicates (17 % of what 600 viewers received in a run that fell behind). The margin
        // covers the two clocks (the history's wall milliseconds, the arrival's nanoTime).
        if (rewriter.history().sentMillisAgo(slot, nowMillis) + STALE_NACK_MARGIN_MILLIS < transport.handlingAgeMillis()) {
            counters.retransmissionsStale.increment();
            return;
        }
        int resend = outSeq & (RESEND_SLOTS - 1);
        if (resendSeq[resend] != outSeq) {
            resendSeq[resend] = outSeq;
            resendCount[resend] = 0;
        }
        if (resendCount[resend] >= MAX_RESENDS_PER_PACKET) {
            counters.retransmissionsCapped.increment();
            return;
        }
        // A NACK repeated before our last resend can have arrived asks for nothing new (libwebrtc
        // waits an RTT likewise); the receiver asks again if that one is lost too.
        long rtt = downlink.rttMillis();
        if (resendCount[resend] > 0 && nowMillis - resendMillis[resend] < Math.max(MIN_RESEND_INTERVAL_MILLIS, rtt)) {
            return;
        }
        resendCount[resend]++;
        resendMillis[resend] = nowMillis;
        int copies = downlink.repairTwice(DUPLICATE_RESEND_LOSS, nowMillis) ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            int size = StreamRewriter.outputLength(cached) + rewriter.extensionBytes() + (rtxSsrc != 0 ? 2 : 0);
            ByteBuf out = transport.alloc().directBuffer(size + PeerTransport.SRTP_OVERHEAD);
            rewriter.writeRetransmission(cached, out, slot, rtxSsrc, rtxPayloadType, rtxSeq,
                    0);
            if (rtxSsrc != 0) {
                rtxSeq = (rtxSeq + 1) & 0xFFFF;
            }
            counters.retransmissionsSent.increment();
            downlink.sendRetransmission(out);
        }
    }

    /** Sends {@code count} padding-only RTX packets of {@code paddingBytes} each (probing the link). */
    void sendPadding(int count, int paddingBytes) {
        for (int i = 0; i < count; i++) {
            int size = RtpPacket.FIXED_HEADER_LENGTH + rewriter.extensionBytes() + paddingBytes;
            ByteBuf out = transport.alloc().directBuffer(size + PeerTransport.SRTP_OVERHEAD);
            rewriter.writePadding(out, rtxSsrc, rtxPayloadType, rtxSeq, paddingBytes, 0);
            rtxSeq = (rtxSeq + 1) & 0xFFFF;
            downlink.sendNow(out);
        }
    }

    /** RFC 3550 §6.4.1 SR for this stream, from the publisher's own NTP/RTP pair (keeps lip sync). */
    void sendSenderReport(int layer, long ntp, long rtpTimestamp) {
        if (!rewriter.started() || layer != currentLayer || !transport.isConnected()) {
            return;
        }
        ByteBuf out = transport.alloc().directBuffer(SenderReport.FIXED_SIZE + PeerTransport.SRTP_OVERHEAD);
        SenderReport.write(out, ssrc, ntp, rewriter.translateTimestamp(rtpTimestamp), packets, octets, 0);
        transport.sendRtcp(out);
    }
}
