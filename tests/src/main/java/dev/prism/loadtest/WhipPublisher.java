package dev.prism.loadtest;

import dev.prism.dtls.DtlsCertificate;
import dev.prism.dtls.DtlsTransport;
import dev.prism.rtcp.SenderReport;
import dev.prism.rtp.RtpHeaderExtensions;
import dev.prism.rtp.RtpPacket;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A synthetic WHIP publisher: VP8 video as three simulcast layers (rids q, h, f at about 8 %,
 * 28 % and 100 % of the video bitrate, each a {@link VideoLayer} with its own SSRC and
 * {@link SyntheticVp8Source}, 30 fps) or as one stream, and one Opus track (50 packets/s of 80
 * bytes), all carrying a {@link PayloadStamp}, with the mid, rid (simulcast) and
 * transport-wide-cc header extensions when the answer accepted them. A key frame goes out on a
 * layer for every PLI or FIR naming its SSRC ({@link PublisherFeedback}), and every 10 s; NACKed
 * packets are resent from the layer's 1 s history of protected datagrams; a sender report per
 * stream every second. With a pacing factor, video leaves through a
 * {@link PublisherPacer} as a browser's does; without, each frame goes out in one burst as many
 * non-browser encoders send it. The send time in the stamp and the transport-wide sequence number
 * are written as a packet leaves, so latency counts from the wire and feedback follows send order.
 * All media work runs on the peer's event loop.
 */
final class WhipPublisher implements SecurePeer.Media {
    static final int FPS = 30;
    static final int MAX_PAYLOAD = 1100;
    static final int AUDIO_PAYLOAD = 80;
    static final long KEY_FRAME_INTERVAL_NANOS = 10_000_000_000L;
    private static final long NTP_UNIX_OFFSET = 2_208_988_800L;

    final String identity;
    private final int audioSsrc = ThreadLocalRandom.current().nextInt();
    private final VideoLayer[] layers;
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();
    private SecurePeer peer;
    private PublisherFeedback feedback;
    private WhipWhepClient.Session session;
    private SdpOffers.AnsweredMedia audioMedia;
    private SdpOffers.AnsweredMedia videoMedia;
    private byte[] audioMid;
    private byte[] videoMid;
    private int audioSeq = ThreadLocalRandom.current().nextInt(0x10000);
    private int twccSeq;
    private int audioCount;
    private final long audioTsBase = ThreadLocalRandom.current().nextLong(0x100000000L);
    private final double pacingFactor;
    private PublisherPacer pacer;
    private long startNanos;
    private long audioOctets;

    volatile long packetsSent;
    volatile long bytesSent;
    /** Packets first sent (not resent) on the top video layer and on audio: what a viewer pinned to the top layer should get. */
    volatile long topLayerPacketsSent;
    volatile long audioPacketsSent;

    /**
     * {@code layerCount} 3: simulcast q/h/f with {@code videoBitrate} for f; 1: one stream at
     * {@code videoBitrate}. {@code pacingFactor}: video leaves at that multiple of the total video
     * bitrate (libwebrtc: 2.5), or 0 for whole frames at once.
     */
    WhipPublisher(String identity, int videoBitrate, int layerCount, double pacingFactor) {
        if (layerCount != 1 && layerCount != 3) {
            throw new IllegalArgumentException("layers must be 1 or 3: " + layerCount);
        }
        if (pacingFactor != 0 && !(pacingFactor >= 1)) {
            throw new IllegalArgumentException("pacing factor must be 0 (off) or >= 1: " + pacingFactor);
        }
        this.identity = identity;
        this.pacingFactor = pacingFactor;
        this.layers = new VideoLayer[layerCount];
        for (int i = 0; i < layerCount; i++) {
            layers[i] = new VideoLayer(i, layerCount, videoBitrate, FPS, MAX_PAYLOAD);
        }
    }

    int layerCount() {
        return layers.length;
    }

    /** WHIP, ICE and DTLS; media starts when the returned future completes. Blocking: call from a virtual thread. */
    CompletableFuture<Void> connect(WhipWhepClient client, String room, InetAddress serverHost, EventLoop loop,
                                    Executor handshakes) throws Exception {
        return connect(offer -> {
            session = client.post(true, room, identity, offer, null);
            return session.answer();
        }, serverHost, loop, handshakes, false);
    }

    /** Sends our offer to the server and returns its answer (blocking). */
    interface OfferExchange {
        String exchange(String offer) throws Exception;
    }

    /**
     * Offer, answer through {@code signaling}, ICE and DTLS in the role the answer chose. With
     * {@code fullIce} (a server that is a full ICE agent, Janus) the offer carries a host candidate
     * on {@code serverHost} and the peer answers the server's checks and wins role conflicts.
     * Blocking: call from a virtual thread.
     */
    CompletableFuture<Void> connect(OfferExchange signaling, InetAddress serverHost, EventLoop loop, Executor handshakes,
                                    boolean fullIce) throws Exception {
        DtlsCertificate certificate = DtlsCertificate.generate();
        String ufrag = LoadRun.randomToken(8);
        String pwd = LoadRun.randomToken(24);
        peer = new SecurePeer(loop, this, handshakes, certificate, ufrag, pwd);
        feedback = new PublisherFeedback(layers, peer);
        peer.bind();
        long[] videoSsrcs = new long[layers.length];
        for (int i = 0; i < layers.length; i++) {
            videoSsrcs[i] = layers[i].ssrc & 0xFFFFFFFFL;
        }
        String offer = SdpOffers.publish(ufrag, pwd, certificate.sha256Fingerprint(), audioSsrc & 0xFFFFFFFFL,
                videoSsrcs, identity);
        if (fullIce) {
            offer = SdpOffers.withCandidate(offer, serverHost.getHostAddress(), peer.localPort());
            peer.winRoleConflicts();
        }
        String answerSdp;
        try {
            answerSdp = signaling.exchange(offer);
        } catch (Exception e) {
            peer.close();
            throw e;
        }
        SdpOffers.Answer answer = SdpOffers.Answer.parse(answerSdp);
        for (SdpOffers.AnsweredMedia m : answer.media()) {
            if (m.video()) {
                videoMedia = m;
            } else {
                audioMedia = m;
            }
        }
        if (videoMedia == null || audioMedia == null) {
            peer.close();
            throw new IllegalStateException("the answer did not accept both audio and video:\n" + answerSdp);
        }
        if (layers.length > 1 && (videoMedia.ridId() <= 0 || videoMedia.midId() <= 0 || !videoMedia.simulcast())) {
            peer.close();
            throw new IllegalStateException("the answer did not accept simulcast (a=simulcast:recv and the mid and rid "
                    + "extensions); try --layers 1:\n" + answerSdp);
        }
        audioMid = audioMedia.mid().getBytes(StandardCharsets.US_ASCII);
        videoMid = videoMedia.mid().getBytes(StandardCharsets.US_ASCII);
        // The answerer picks the DTLS role: Prism answers passive (we are the client), Janus active.
        DtlsTransport.Role role = "active".equals(answer.setup()) ? DtlsTransport.Role.SERVER : DtlsTransport.Role.CLIENT;
        return peer.connect(new InetSocketAddress(serverHost, answer.port()), answer.ufrag(), answer.pwd(),
                answer.fingerprint(), role).thenRun(() -> loop.execute(this::start));
    }

    private void start() {
        EventLoop loop = peer.loop();
        startNanos = System.nanoTime();
        if (pacingFactor > 0) {
            long bitrate = 0;
            for (VideoLayer layer : layers) {
                bitrate += layer.bitrate;
            }
            pacer = new PublisherPacer(loop, pacingFactor, bitrate, this::sendVideo, peer::flush);
        }
        timers.add(loop.scheduleAtFixedRate(this::videoFrame, 0, 1_000_000 / FPS, TimeUnit.MICROSECONDS));
        timers.add(loop.scheduleAtFixedRate(this::audioPacket, 0, 20, TimeUnit.MILLISECONDS));
        timers.add(loop.scheduleAtFixedRate(this::senderReports, 1, 1, TimeUnit.SECONDS));
    }

    /** One frame on every layer, lowest first, as an encoder emits a simulcast frame. */
    private void videoFrame() {
        for (VideoLayer layer : layers) {
            videoFrame(layer);
        }
        peer.flush();
    }

    private void videoFrame(VideoLayer layer) {
        long now = System.nanoTime();
        boolean key = layer.keyRequested || now - layer.lastKeyNanos >= KEY_FRAME_INTERVAL_NANOS;
        if (key) {
            layer.keyRequested = false;
            layer.lastKeyNanos = now;
        }
        SyntheticVp8Source video = layer.source;
        int packets = video.startFrame(key);
        long ts = (layer.tsBase + layer.frameIndex++ * 90_000 / FPS) & 0xFFFFFFFFL;
        byte[] rid = layers.length > 1 ? layer.ridBytes : null;
        for (int i = 0; i < packets; i++) {
            ByteBuf b = header(videoMedia.payloadType(), layer.seq, ts, layer.ssrc, i == packets - 1, videoMedia,
                    videoMid, rid, MAX_PAYLOAD);
            video.writePayload(b, i, 0, layer.nextMarker());
            int seq = layer.seq;
            layer.seq = (layer.seq + 1) & 0xFFFF;
            if (pacer != null) {
                pacer.enqueue(b, seq, layer);
            } else {
                sendVideo(b, seq, layer);
            }
        }
    }

    private void sendVideo(ByteBuf b, int seq, VideoLayer layer) {
        int payload = RtpPacket.payloadLength(b);
        int stamp = SyntheticVp8Source.stampOffset(b, RtpPacket.payloadOffset(b), payload);
        if (stamp >= 0) {
            b.setLong(stamp, System.nanoTime());
        }
        if (send(b, seq, layer)) {
            layer.octets += payload;
        }
    }

    private void audioPacket() {
        long ts = (audioTsBase + (System.nanoTime() - startNanos) / 1_000_000 * 48) & 0xFFFFFFFFL;
        ByteBuf b = header(audioMedia.payloadType(), audioSeq, ts, audioSsrc, false, audioMedia, audioMid, null,
                AUDIO_PAYLOAD);
        PayloadStamp.write(b, 0, audioCount++);
        b.writeZero(AUDIO_PAYLOAD - PayloadStamp.LENGTH);
        int seq = audioSeq;
        audioSeq = (audioSeq + 1) & 0xFFFF;
        b.setLong(RtpPacket.payloadOffset(b), System.nanoTime());
        if (send(b, seq, null)) {
            audioOctets += AUDIO_PAYLOAD;
        }
        peer.flush();
    }

    /**
     * An RTP header with the negotiated mid, rid (when {@code rid} is not null) and
     * transport-wide sequence extensions (RFC 8285 one-byte form; RFC 8852 for the rid); the
     * transport-wide number is filled in by {@link #send}.
     */
    private ByteBuf header(int pt, int seq, long ts, int ssrc, boolean marker, SdpOffers.AnsweredMedia m, byte[] mid,
                           byte[] rid, int payload) {
        ByteBuf b = peer.buffer(12 + 16 + payload);
        boolean withRid = rid != null && m.ridId() > 0;
        int extLength = (m.midId() > 0 ? 1 + mid.length : 0) + (m.twccId() > 0 ? 3 : 0) + (withRid ? 1 + rid.length : 0);
        b.writeByte(extLength > 0 ? 0x90 : 0x80).writeByte((marker ? 0x80 : 0) | pt).writeShort(seq)
                .writeInt((int) ts).writeInt(ssrc);
        if (extLength > 0) {
            int words = (extLength + 3) / 4;
            b.writeShort(0xBEDE).writeShort(words);
            if (m.midId() > 0) {
                b.writeByte((m.midId() << 4) | (mid.length - 1)).writeBytes(mid);
            }
            if (withRid) {
                b.writeByte((m.ridId() << 4) | (rid.length - 1)).writeBytes(rid);
            }
            if (m.twccId() > 0) {
                b.writeByte(m.twccId() << 4 | 1).writeShort(0);
            }
            b.writeZero(words * 4 - extLength);
        }
        return b;
    }

    /**
     * Numbers {@code b} for transport-wide feedback, protects and queues it; video packets
     * ({@code layer} not null) are kept for NACK.
     */
    private boolean send(ByteBuf b, int seq, VideoLayer layer) {
        SdpOffers.AnsweredMedia m = layer == null ? audioMedia : videoMedia;
        if (m.twccId() > 0) {
            long found = RtpHeaderExtensions.find(b, m.twccId());
            if (found >= 0) {
                b.setShort(RtpHeaderExtensions.dataIndex(found), twccSeq);
                twccSeq = (twccSeq + 1) & 0xFFFF;
            }
        }
        if (!peer.writeRtp(b.retain())) {
            b.release();
            return false;
        }
        int n = b.readableBytes();
        packetsSent++;
        bytesSent += n;
        if (layer == null) {
            audioPacketsSent++;
        } else if (layer.index == layers.length - 1) {
            topLayerPacketsSent++;
        }
        if (layer != null) {
            layer.remember(b, seq, System.nanoTime());
        }
        b.release();
        return true;
    }

    private void senderReports() {
        long now = System.nanoTime();
        long wall = System.currentTimeMillis();
        long ntp = ((wall / 1000 + NTP_UNIX_OFFSET) << 32) | (((wall % 1000) << 32) / 1000);
        long elapsed = now - startNanos;
        for (VideoLayer layer : layers) {
            ByteBuf v = peer.buffer(SenderReport.FIXED_SIZE);
            SenderReport.write(v, layer.ssrc, ntp, layer.tsBase + elapsed / 1000 * 9 / 100, layer.source.frames(),
                    layer.octets, 0);
            peer.writeRtcp(v);
        }
        ByteBuf a = peer.buffer(SenderReport.FIXED_SIZE);
        SenderReport.write(a, audioSsrc, ntp, audioTsBase + elapsed / 1000 * 48 / 1000, audioCount, audioOctets, 0);
        peer.writeRtcp(a);
        peer.flush();
    }

    @Override
    public void onRtp(ByteBuf packet, long arrivalNanos) {
        // a publish connection receives no media
    }

    @Override
    public void onRtcp(ByteBuf packet, long arrivalNanos) {
        feedback.onRtcp(packet);
    }

    /** PLIs and FIRs that named one of our layers, since start. */
    long keyFrameRequests() {
        return feedback == null ? 0 : feedback.keyFrameRequests;
    }

    /** Packets resent for NACKs, since start. */
    long retransmitted() {
        return feedback == null ? 0 : feedback.retransmitted;
    }

    /** Transport-wide CC feedback packets received, since start. */
    long feedbackPackets() {
        return feedback == null ? 0 : feedback.feedbackPackets;
    }

    long keyFramesSent() {
        long n = 0;
        for (VideoLayer l : layers) {
            n += l.source.keyFrames();
        }
        return n;
    }

    boolean isReady() {
        return peer != null && peer.isReady();
    }

    SecurePeer peer() {
        return peer;
    }

    WhipWhepClient.Session session() {
        return session;
    }

    /** Stops the media timers and the transport. Any thread. */
    void close() {
        if (peer == null) {
            return;
        }
        peer.loop().execute(() -> {
            timers.forEach(t -> t.cancel(false));
            if (pacer != null) {
                pacer.close();
            }
        });
        peer.close();
    }
}
