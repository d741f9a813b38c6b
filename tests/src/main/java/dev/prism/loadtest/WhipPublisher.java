package dev.prism.loadtest;

import dev.prism.dtls.DtlsCertificate;
import dev.prism.dtls.DtlsTransport;
import dev.prism.rtcp.RtcpCompoundReader;
import dev.prism.rtcp.RtcpFeedback;
import dev.prism.rtcp.RtcpPacketType;
import dev.prism.rtcp.SenderReport;
import dev.prism.rtcp.SequenceNumberConsumer;
import dev.prism.rtcp.TransportLayerNack;
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
 * A synthetic WHIP publisher: one VP8 track ({@link SyntheticVp8Source}, 30 fps) and one Opus
 * track (50 packets/s of 80 bytes), both carrying a {@link PayloadStamp}, with the mid and
 * transport-wide-cc header extensions when the answer accepted them. A key frame goes out on
 * every PLI or FIR and every 10 s; NACKed video packets are resent from a 1 s history of the
 * protected datagrams (same sequence number, no RTX); a sender report per stream every second.
 * All media work runs on the peer's event loop.
 */
final class WhipPublisher implements SecurePeer.Media, SequenceNumberConsumer {
    static final int FPS = 30;
    static final int MAX_PAYLOAD = 1100;
    static final int AUDIO_PAYLOAD = 80;
    static final long KEY_FRAME_INTERVAL_NANOS = 10_000_000_000L;
    private static final int HISTORY = 1024;
    private static final int SLOT = 1280;
    private static final long HISTORY_NANOS = 1_000_000_000L;
    private static final long NTP_UNIX_OFFSET = 2_208_988_800L;

    final String identity;
    private final int videoBitrate;
    private final int audioSsrc = ThreadLocalRandom.current().nextInt();
    private final int videoSsrc = ThreadLocalRandom.current().nextInt();
    private final SyntheticVp8Source video;
    private final RtcpCompoundReader rtcp = new RtcpCompoundReader();
    private final byte[][] history = new byte[HISTORY][SLOT];
    private final int[] historyLength = new int[HISTORY];
    private final int[] historySeq = new int[HISTORY];
    private final long[] historyNanos = new long[HISTORY];
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();
    private SecurePeer peer;
    private WhipWhepClient.Session session;
    private SdpOffers.AnsweredMedia audioMedia;
    private SdpOffers.AnsweredMedia videoMedia;
    private int audioSeq = ThreadLocalRandom.current().nextInt(0x10000);
    private int videoSeq = ThreadLocalRandom.current().nextInt(0x10000);
    private int twccSeq;
    private int audioCount;
    private int videoCount;
    private final long audioTsBase = ThreadLocalRandom.current().nextLong(0x100000000L);
    private final long videoTsBase = ThreadLocalRandom.current().nextLong(0x100000000L);
    private long startNanos;
    private long frameIndex;
    private long lastKeyNanos;
    private boolean keyRequested = true;
    private long videoOctets;
    private long audioOctets;

    volatile long packetsSent;
    volatile long bytesSent;
    volatile long keyFrameRequests;
    volatile long nackedPackets;
    volatile long retransmitted;
    volatile long feedbackPackets;

    WhipPublisher(String identity, int videoBitrate) {
        this.identity = identity;
        this.videoBitrate = videoBitrate;
        this.video = new SyntheticVp8Source(videoBitrate, FPS, MAX_PAYLOAD, ThreadLocalRandom.current().nextInt());
    }

    /** WHIP, ICE and DTLS; media starts when the returned future completes. Blocking: call from a virtual thread. */
    CompletableFuture<Void> connect(WhipWhepClient client, String room, InetAddress serverHost, EventLoop loop,
                                    Executor handshakes) throws Exception {
        return connect(offer -> {
            session = client.post(true, room, identity, offer);
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
        peer.bind();
        String offer = SdpOffers.publish(ufrag, pwd, certificate.sha256Fingerprint(), audioSsrc & 0xFFFFFFFFL,
                videoSsrc & 0xFFFFFFFFL, identity);
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
        // The answerer picks the DTLS role: Prism answers passive (we are the client), Janus active.
        DtlsTransport.Role role = "active".equals(answer.setup()) ? DtlsTransport.Role.SERVER : DtlsTransport.Role.CLIENT;
        return peer.connect(new InetSocketAddress(serverHost, answer.port()), answer.ufrag(), answer.pwd(),
                answer.fingerprint(), role).thenRun(() -> loop.execute(this::start));
    }

    private void start() {
        EventLoop loop = peer.loop();
        startNanos = System.nanoTime();
        timers.add(loop.scheduleAtFixedRate(this::videoFrame, 0, 1_000_000 / FPS, TimeUnit.MICROSECONDS));
        timers.add(loop.scheduleAtFixedRate(this::audioPacket, 0, 20, TimeUnit.MILLISECONDS));
        timers.add(loop.scheduleAtFixedRate(this::senderReports, 1, 1, TimeUnit.SECONDS));
    }

    private void videoFrame() {
        long now = System.nanoTime();
        boolean key = keyRequested || now - lastKeyNanos >= KEY_FRAME_INTERVAL_NANOS;
        if (key) {
            keyRequested = false;
            lastKeyNanos = now;
        }
        int packets = video.startFrame(key);
        long ts = (videoTsBase + frameIndex++ * 90_000 / FPS) & 0xFFFFFFFFL;
        for (int i = 0; i < packets; i++) {
            ByteBuf b = header(videoMedia.payloadType(), videoSeq, ts, videoSsrc, i == packets - 1, videoMedia, MAX_PAYLOAD);
            video.writePayload(b, i, System.nanoTime(), videoCount++);
            int payload = RtpPacket.payloadLength(b);
            int seq = videoSeq;
            videoSeq = (videoSeq + 1) & 0xFFFF;
            if (send(b, seq, true)) {
                videoOctets += payload;
            }
        }
        peer.flush();
    }

    private void audioPacket() {
        long ts = (audioTsBase + (System.nanoTime() - startNanos) / 1_000_000 * 48) & 0xFFFFFFFFL;
        ByteBuf b = header(audioMedia.payloadType(), audioSeq, ts, audioSsrc, false, audioMedia, AUDIO_PAYLOAD);
        PayloadStamp.write(b, System.nanoTime(), audioCount++);
        b.writeZero(AUDIO_PAYLOAD - PayloadStamp.LENGTH);
        int seq = audioSeq;
        audioSeq = (audioSeq + 1) & 0xFFFF;
        if (send(b, seq, false)) {
            audioOctets += AUDIO_PAYLOAD;
        }
        peer.flush();
    }

    /** An RTP header with the negotiated mid and transport-wide sequence extensions (RFC 8285 one-byte form). */
    private ByteBuf header(int pt, int seq, long ts, int ssrc, boolean marker, SdpOffers.AnsweredMedia m, int payload) {
        ByteBuf b = peer.buffer(12 + 12 + payload);
        byte[] mid = m.mid().getBytes(StandardCharsets.US_ASCII);
        int extLength = (m.midId() > 0 ? 1 + mid.length : 0) + (m.twccId() > 0 ? 3 : 0);
        b.writeByte(extLength > 0 ? 0x90 : 0x80).writeByte((marker ? 0x80 : 0) | pt).writeShort(seq)
                .writeInt((int) ts).writeInt(ssrc);
        if (extLength > 0) {
            int words = (extLength + 3) / 4;
            b.writeShort(0xBEDE).writeShort(words);
            if (m.midId() > 0) {
                b.writeByte((m.midId() << 4) | (mid.length - 1)).writeBytes(mid);
            }
            if (m.twccId() > 0) {
                b.writeByte(m.twccId() << 4 | 1).writeShort(twccSeq);
                twccSeq = (twccSeq + 1) & 0xFFFF;
            }
            b.writeZero(words * 4 - extLength);
        }
        return b;
    }

    private boolean send(ByteBuf b, int seq, boolean keep) {
        if (!peer.writeRtp(b.retain())) {
            b.release();
            return false;
        }
        int n = b.readableBytes();
        packetsSent++;
        bytesSent += n;
        if (keep && n <= SLOT) {
            int slot = seq & (HISTORY - 1);
            b.getBytes(b.readerIndex(), history[slot], 0, n);
            historyLength[slot] = n;
            historySeq[slot] = seq;
            historyNanos[slot] = System.nanoTime();
        }
        b.release();
        return true;
    }

    private void senderReports() {
        long now = System.nanoTime();
        long wall = System.currentTimeMillis();
        long ntp = ((wall / 1000 + NTP_UNIX_OFFSET) << 32) | (((wall % 1000) << 32) / 1000);
        long elapsed = now - startNanos;
        ByteBuf v = peer.buffer(SenderReport.FIXED_SIZE);
        SenderReport.write(v, videoSsrc, ntp, videoTsBase + elapsed / 1000 * 9 / 100, video.frames(), videoOctets, 0);
        peer.writeRtcp(v);
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
        RtcpCompoundReader r = rtcp.reset(packet);
        while (r.next()) {
            int offset = r.offset();
            int type = r.packetType();
            int format = r.countOrFormat();
            if (type == RtcpPacketType.PSFB && (format == RtcpPacketType.FMT_PLI || format == RtcpPacketType.FMT_FIR)) {
                keyRequested = true;
                keyFrameRequests++;
            } else if (type == RtcpPacketType.RTPFB && format == RtcpPacketType.FMT_NACK
                    && RtcpFeedback.mediaSsrc(packet, offset) == videoSsrc) {
                TransportLayerNack.forEachLost(packet, offset, this);
                peer.flush();
            } else if (type == RtcpPacketType.RTPFB && format == RtcpPacketType.FMT_TWCC) {
                feedbackPackets++;
            }
        }
    }

    /** One NACKed video sequence number: resend it when still in the history. */
    @Override
    public void accept(int seq) {
        nackedPackets++;
        int slot = seq & (HISTORY - 1);
        if (historySeq[slot] != seq || historyLength[slot] == 0 || System.nanoTime() - historyNanos[slot] > HISTORY_NANOS) {
            return;
        }
        ByteBuf b = peer.buffer(historyLength[slot]);
        b.writeBytes(history[slot], 0, historyLength[slot]);
        peer.writeProtected(b);
        retransmitted++;
    }

    long keyFramesSent() {
        return video.keyFrames();
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
        peer.loop().execute(() -> timers.forEach(t -> t.cancel(false)));
        peer.close();
    }
}
