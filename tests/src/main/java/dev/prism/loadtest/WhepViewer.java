package dev.prism.loadtest;

import dev.prism.dtls.DtlsCertificate;
import dev.prism.dtls.DtlsTransport;
import dev.prism.rtcp.RtcpCompoundReader;
import dev.prism.rtcp.RtcpPacketType;
import dev.prism.rtcp.SenderReport;
import dev.prism.rtp.RtpPacket;
import dev.prism.rtp.RtxPacket;
import dev.prism.srtp.SrtpProfile;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A synthetic WHEP viewer: offers one recvonly video and audio m-line per publisher, then over
 * ICE/DTLS/SRTP unprotects every packet (auth failures counted by {@link SecurePeer}), counts
 * packets and loss per SSRC ({@link ReceiveStream}), measures the latency the SFU adds from the
 * {@link PayloadStamp} in each payload, counts which simulcast layer each video packet came
 * from (the stamp's marker, see {@link VideoLayer#nextMarker}) and answers as a browser does
 * ({@link ViewerFeedback}: receiver reports, NACKs, and transport-wide CC feedback when
 * negotiated and {@code twcc} is on). Loop thread, except {@link #connect} and the snapshot
 * methods, which hop onto the loop.
 */
final class WhepViewer implements SecurePeer.Media {
    private static final long MAX_LATENCY_NANOS = 60_000_000_000L;

    /**
     * A viewer's cumulative counters at one moment (taken on its loop). {@code earlyMedia}: SRTP and
     * SRTCP its peer dropped for arriving before DTLS gave keys ({@link SecurePeer#earlyMedia}).
     */
    record Stats(long videoPackets, long audioPackets, long bytes, long expected, long lost, long recovered,
                 long duplicates, long authFailures, long replays, long earlyMedia, long badStamps, long unknownSsrc,
                 long nacksSent, long senderReports, int streams, long[] layerPackets, long topLayerPackets,
                 long twccFeedbacks) {
        Stats minus(Stats o) {
            long[] layers = new long[LAYERS];
            for (int i = 0; i < LAYERS; i++) {
                layers[i] = layerPackets[i] - o.layerPackets[i];
            }
            return new Stats(videoPackets - o.videoPackets, audioPackets - o.audioPackets, bytes - o.bytes,
                    expected - o.expected, lost - o.lost, recovered - o.recovered, duplicates - o.duplicates,
                    authFailures - o.authFailures, replays - o.replays, earlyMedia - o.earlyMedia,
                    badStamps - o.badStamps, unknownSsrc - o.unknownSsrc, nacksSent - o.nacksSent,
                    senderReports - o.senderReports, streams, layers, topLayerPackets - o.topLayerPackets,
                    twccFeedbacks - o.twccFeedbacks);
        }

        Stats plus(Stats o) {
            long[] layers = new long[LAYERS];
            for (int i = 0; i < LAYERS; i++) {
                layers[i] = layerPackets[i] + o.layerPackets[i];
            }
            return new Stats(videoPackets + o.videoPackets, audioPackets + o.audioPackets, bytes + o.bytes,
                    expected + o.expected, lost + o.lost, recovered + o.recovered, duplicates + o.duplicates,
                    authFailures + o.authFailures, replays + o.replays, earlyMedia + o.earlyMedia,
                    badStamps + o.badStamps, unknownSsrc + o.unknownSsrc, nacksSent + o.nacksSent,
                    senderReports + o.senderReports, streams + o.streams, layers, topLayerPackets + o.topLayerPackets,
                    twccFeedbacks + o.twccFeedbacks);
        }

        /** Every viewer's counts added up. */
        static Stats total(List<Stats> all) {
            Stats t = new Stats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, new long[LAYERS], 0, 0);
            for (Stats s : all) {
                t = t.plus(s);
            }
            return t;
        }

        /** The layer (0 = q) most of this viewer's video packets came from, or -1 without video. */
        int mainLayer() {
            int best = -1;
            long most = 0;
            for (int i = 0; i < LAYERS; i++) {
                if (layerPackets[i] > most) {
                    most = layerPackets[i];
                    best = i;
                }
            }
            return best;
        }

        static final Stats ZERO = new Stats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, new long[LAYERS], 0, 0);
    }

    /** Simulcast layers counted apart (q, h, f). */
    static final int LAYERS = 3;

    final String identity;
    private final boolean twccWanted;
    private final long[] layerPackets = new long[LAYERS];
    private long topLayerPackets;
    private final RtcpCompoundReader rtcp = new RtcpCompoundReader();
    private ReceiveStream[] streams = new ReceiveStream[0];
    private ViewerFeedback feedback = ViewerFeedback.none();
    private SecurePeer peer;
    private WhipWhepClient.Session session;
    private volatile LatencyHistogram latency = new LatencyHistogram();
    private volatile LatencyHistogram recent = new LatencyHistogram();
    private long videoPackets;
    private long audioPackets;
    private long bytes;
    private long badStamps;
    private long unknownSsrc;
    private long paddingPackets;
    private long rtxPackets;
    private long senderReports;

    /** {@code twcc}: offer transport-wide-cc and send its feedback when the server accepts it. */
    WhepViewer(String identity, boolean twcc) {
        this.identity = identity;
        this.twccWanted = twcc;
    }

    /** WHEP, ICE and DTLS. Blocking: call from a virtual thread. */
    CompletableFuture<Void> connect(WhipWhepClient client, String room, InetAddress serverHost, EventLoop loop,
                                    Executor handshakes, int publishers, boolean topLayer) throws Exception {
        DtlsCertificate certificate = DtlsCertificate.generate();
        String ufrag = LoadRun.randomToken(8);
        String pwd = LoadRun.randomToken(24);
        peer = new SecurePeer(loop, this, handshakes, certificate, ufrag, pwd);
        peer.bind();
        try {
            // Pinned to the top simulcast layer (WHEP ?video_layer=top), or left to Prism's estimate.
            session = client.post(false, room, identity, SdpOffers.view(ufrag, pwd, certificate.sha256Fingerprint(), publishers, twccWanted),
                    topLayer ? "video_layer=top" : null);
        } catch (Exception e) {
            peer.close();
            throw e;
        }
        SdpOffers.Answer answer = SdpOffers.Answer.parse(session.answer());
        receive(answer);
        return peer.connect(new InetSocketAddress(serverHost, answer.port()), answer.ufrag(), answer.pwd(), answer.fingerprint())
                .thenRun(() -> feedback.start(peer));
    }

    /** Sends our answer to the server's offer (blocking). */
    interface AnswerSender {
        void send(String answer) throws Exception;
    }

    /**
     * The other direction, for a server that offers (Janus's videoroom subscription): answers
     * {@code offerSdp} recvonly with a host candidate on {@code serverHost}, starts ICE (the peer
     * also answers the server's checks and wins role conflicts) and DTLS as the client
     * (setup:active), then hands the answer to {@code sender}. Blocking: call from a virtual thread.
     */
    CompletableFuture<Void> connectAnswering(String offerSdp, AnswerSender sender, InetAddress serverHost, EventLoop loop,
                                             Executor handshakes) throws Exception {
        DtlsCertificate certificate = DtlsCertificate.generate();
        String ufrag = LoadRun.randomToken(8);
        String pwd = LoadRun.randomToken(24);
        SdpOffers.Answer offer = SdpOffers.Answer.parse(offerSdp);
        if ("active".equals(offer.setup())) {
            throw new IllegalStateException("the server's offer wants to be the DTLS client (setup:active); not supported");
        }
        receive(offer);
        peer = new SecurePeer(loop, this, handshakes, certificate, ufrag, pwd);
        peer.bind();
        peer.winRoleConflicts();
        String answer = SdpOffers.answer(offerSdp, ufrag, pwd, certificate.sha256Fingerprint(), serverHost.getHostAddress(),
                peer.localPort(), twccWanted);
        CompletableFuture<Void> ready = peer.connect(new InetSocketAddress(serverHost, offer.port()), offer.ufrag(),
                offer.pwd(), offer.fingerprint(), DtlsTransport.Role.CLIENT);
        try {
            sender.send(answer);
        } catch (Exception e) {
            peer.close();
            throw e;
        }
        return ready.thenRun(() -> feedback.start(peer));
    }

    /** The streams to expect: every SSRC of the accepted m-lines; NACKs for video when negotiated. */
    private void receive(SdpOffers.Answer answer) {
        List<ReceiveStream> found = new ArrayList<>();
        List<Boolean> nack = new ArrayList<>();
        int twccId = -1;
        for (SdpOffers.AnsweredMedia m : answer.media()) {
            if (twccWanted && m.twccId() > 0 && twccId < 0) {
                twccId = m.twccId();
            }
            for (int i = 0; i < m.ssrcs().size(); i++) {
                ReceiveStream stream = new ReceiveStream((int) (long) m.ssrcs().get(i), m.video(), m.clockRate());
                stream.rtxSsrc = (int) (long) m.rtxSsrcs().get(i);
                stream.payloadType = m.payloadType();
                found.add(stream);
                nack.add(m.video() && m.nack());
            }
        }
        streams = found.toArray(new ReceiveStream[0]);
        boolean[] nackable = new boolean[nack.size()];
        for (int i = 0; i < nackable.length; i++) {
            nackable[i] = nack.get(i);
        }
        feedback = new ViewerFeedback(streams, nackable, twccId);
    }

    /** Video tracks the server assigned to this viewer (from its answer). */
    int videoStreams() {
        int n = 0;
        for (ReceiveStream s : streams) {
            n += s.video ? 1 : 0;
        }
        return n;
    }

    @Override
    public void onRtp(ByteBuf packet, long arrivalNanos) {
        if (RtpPacket.validate(packet) < 0) {
            badStamps++;
            return;
        }
        feedback.onArrival(packet, arrivalNanos);
        int ssrc = RtpPacket.ssrc(packet);
        ReceiveStream s = null;
        for (ReceiveStream candidate : streams) {
            if (candidate.ssrc == ssrc) {
                s = candidate;
                break;
            }
            if (candidate.rtxSsrc == ssrc && candidate.rtxSsrc != 0) {
                // RFC 4588: a retransmission becomes the original packet; padding only (probes) ends here.
                if (!RtxPacket.unwrap(packet, candidate.ssrc, candidate.payloadType)) {
                    paddingPackets++;
                    return;
                }
                rtxPackets++;
                s = candidate;
                break;
            }
        }
        if (s == null) {
            unknownSsrc++;
            return;
        }
        bytes += packet.readableBytes();
        s.onPacket(RtpPacket.sequenceNumber(packet), RtpPacket.timestamp(packet), arrivalNanos);
        int payload = RtpPacket.payloadOffset(packet);
        int length = RtpPacket.payloadLength(packet);
        int stamp;
        if (s.video) {
            videoPackets++;
            stamp = SyntheticVp8Source.stampOffset(packet, payload, length);
            if (stamp >= 0) {
                int marker = PayloadStamp.marker(packet, stamp);
                int layer = VideoLayer.layerOf(marker);
                if (layer < LAYERS) {
                    layerPackets[layer]++;
                }
                if (VideoLayer.isTop(marker)) {
                    topLayerPackets++;
                }
            }
        } else {
            audioPackets++;
            stamp = length >= PayloadStamp.LENGTH ? payload : -1;
        }
        long delay = stamp < 0 ? -1 : arrivalNanos - PayloadStamp.sendNanos(packet, stamp);
        if (delay < 0 || delay > MAX_LATENCY_NANOS) {
            badStamps++;
        } else {
            latency.record(delay / 1000);
            recent.record(delay / 1000);
        }
    }

    @Override
    public void onRtcp(ByteBuf packet, long arrivalNanos) {
        RtcpCompoundReader r = rtcp.reset(packet);
        while (r.next()) {
            if (r.packetType() == RtcpPacketType.SR) {
                senderReports++;
                int ssrc = SenderReport.ssrc(packet, r.offset());
                for (ReceiveStream s : streams) {
                    if (s.ssrc == ssrc) {
                        s.onSenderReport(SenderReport.ntpTimestamp(packet, r.offset()), arrivalNanos);
                    }
                }
            }
        }
    }

    /** Cumulative counters, read on the loop. */
    CompletableFuture<Stats> stats() {
        CompletableFuture<Stats> f = new CompletableFuture<>();
        peer.loop().execute(() -> {
            long expected = 0;
            long lost = 0;
            long recovered = 0;
            long duplicates = 0;
            for (ReceiveStream s : streams) {
                expected += s.expected();
                lost += s.lost();
                recovered += s.recovered;
                duplicates += s.duplicates;
            }
            f.complete(new Stats(videoPackets, audioPackets, bytes, expected, lost, recovered, duplicates,
                    peer.rtpAuthFailures + peer.rtcpAuthFailures, peer.replays, peer.earlyMedia, badStamps, unknownSsrc,
                    feedback.nacksSent(), senderReports, streams.length, layerPackets.clone(), topLayerPackets,
                    feedback.twccFeedbacks()));
        });
        return f;
    }

    /** Starts a fresh latency histogram (the start of the measured window) and returns the old one. */
    LatencyHistogram resetLatency() {
        LatencyHistogram old = latency;
        latency = new LatencyHistogram();
        return old;
    }

    /** Latencies since the previous call (for progress lines); starts a fresh interval. */
    LatencyHistogram takeRecent() {
        LatencyHistogram old = recent;
        recent = new LatencyHistogram();
        return old;
    }

    LatencyHistogram latency() {
        return latency;
    }

    boolean isReady() {
        return peer != null && peer.isReady();
    }

    /** The SRTP profile its DTLS handshake with the server chose, or null before. */
    SrtpProfile srtpProfile() {
        return peer == null ? null : peer.srtpProfile();
    }

    WhipWhepClient.Session session() {
        return session;
    }

    void close() {
        if (peer == null) {
            return;
        }
        feedback.stop(peer.loop());
        peer.close();
    }
}
