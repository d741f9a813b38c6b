package dev.prism.loadtest;

import dev.prism.demux.PacketClassifier;
import dev.prism.dtls.DtlsCertificate;
import dev.prism.dtls.DtlsSrtpKeys;
import dev.prism.dtls.DtlsTransport;
import dev.prism.srtp.SrtpContext;
import dev.prism.srtp.SrtpProfile;
import dev.prism.stun.StunMessage;
import dev.prism.stun.StunMessageWriter;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The client side of one WebRTC transport to an SFU, on one Netty event loop, with Prism's own
 * codecs: ICE as the controlling agent (binding requests with USE-CANDIDATE, retransmitted until
 * answered, then every 5 s for consent freshness), a DTLS client or server (Bouncy Castle on a
 * virtual thread, the server's certificate checked against its fingerprint), and SRTP/SRTCP both
 * ways. Decrypted packets go to a {@link Media} on the loop. Against Prism's ICE-lite nothing
 * else is needed; against a full ICE agent (Janus) the peer also answers the server's binding
 * requests (checked against the local password, XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY,
 * FINGERPRINT) and, with {@link #winRoleConflicts}, claims the controlling role with the
 * largest tie-breaker so that a server which also thinks it controls gives way (RFC 8445 §7.3.1.1).
 * Everything but {@link #connect} and {@link #close} runs on the peer's loop thread.
 */
final class SecurePeer {
    /** Overhead SRTP adds to a packet at most: SRTCP index and a 16-byte GCM tag. */
    static final int SRTP_OVERHEAD = 4 + 16;
    private static final long CONSENT_MILLIS = 5_000;
    private static final long RETRANSMIT_MILLIS = 100;
    private static final int MAX_CHECKS = 100;

    /** What the peer does with decrypted media; called on the loop, the buffer is only lent. */
    interface Media {
        void onRtp(ByteBuf packet, long arrivalNanos);

        void onRtcp(ByteBuf packet, long arrivalNanos);
    }

    private final EventLoop loop;
    private InetSocketAddress server;
    private final Media media;
    private final Executor handshakeExecutor;
    private final DtlsCertificate certificate;
    private final String localUfrag;
    private final byte[] localPassword;
    private long tieBreaker = ThreadLocalRandom.current().nextLong() >>> 1;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private Channel channel;
    private DtlsTransport dtls;
    private SrtpContext outbound;
    private SrtpContext inbound;
    /**
     * What the tool offers as DTLS client: AES-128 only, GCM first. Offered AES-256-GCM too, Janus
     * (OpenSSL choosing in its own order) picked it for its viewers while Prism picks AES-128-GCM,
     * so the two servers encrypted with different ciphers (session 15).
     */
    static final SrtpProfile[] OFFERED_PROFILES = {SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AES_CM_128_HMAC_SHA1_80};
    /** The SRTP profile DTLS agreed on, once it has (the benchmark states each server's). */
    private volatile SrtpProfile srtpProfile;
    private String username;
    private byte[] remotePassword;
    private String remoteFingerprint;
    private DtlsTransport.Role dtlsRole = DtlsTransport.Role.CLIENT;
    private boolean iceConnected;
    /** The socket is connected to the server (after ICE): datagrams go out and come in without per-packet addresses. */
    private boolean connected;
    private int checksSent;
    private ScheduledFuture<?> checks;
    private volatile boolean closed;

    volatile long rtpAuthFailures;
    volatile long rtcpAuthFailures;
    volatile long replays;
    /**
     * SRTP/SRTCP from the server before DTLS gave keys: nothing can decrypt it, so it is dropped,
     * but counted, since a server that starts media before the handshake ends loses it (a first key frame).
     */
    volatile long earlyMedia;
    volatile long malformed;
    volatile long strangers;
    volatile long bytesReceived;
    volatile long bindingRequestsAnswered;

    SecurePeer(EventLoop loop, Media media, Executor handshakeExecutor, DtlsCertificate certificate, String localUfrag,
               String localPwd) {
        this.loop = loop;
        this.media = media;
        this.handshakeExecutor = handshakeExecutor;
        this.certificate = certificate;
        this.localUfrag = localUfrag;
        this.localPassword = localPwd.getBytes(StandardCharsets.UTF_8);
    }

    /** Claims the controlling role with the largest tie-breaker (for full ICE servers). Before connect. */
    void winRoleConflicts() {
        tieBreaker = -1L; // 2^64 - 1 unsigned
    }

    /** The local UDP port (after {@link #bind}). */
    int localPort() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Binds a local UDP port (before the offer is sent, so the socket exists when media starts). */
    void bind() throws InterruptedException {
        Bootstrap b = new Bootstrap().group(loop).channel(LoadTransport.datagramChannel())
                .option(ChannelOption.ALLOCATOR, LoadTransport.ALLOCATOR)
                .option(ChannelOption.SO_RCVBUF, 1 << 20)
                .option(ChannelOption.SO_SNDBUF, 1 << 20)
                .handler(new Receiver());
        channel = b.bind(new InetSocketAddress(0)).sync().channel();
    }

    /**
     * Starts ICE and then DTLS (as the client) towards the server whose answer gave these
     * credentials; the future completes on the loop once SRTP is keyed, or fails (timeout, bad
     * fingerprint, no answer).
     */
    CompletableFuture<Void> connect(InetSocketAddress server, String remoteUfrag, String remotePwd, String fingerprint) {
        return connect(server, remoteUfrag, remotePwd, fingerprint, DtlsTransport.Role.CLIENT);
    }

    /**
     * As {@link #connect(InetSocketAddress, String, String, String)} with the given DTLS role; as
     * the DTLS server the handshake waits from the start, so a ClientHello that arrives before our
     * own ICE check is answered is not lost.
     */
    CompletableFuture<Void> connect(InetSocketAddress server, String remoteUfrag, String remotePwd, String fingerprint,
                                    DtlsTransport.Role role) {
        loop.execute(() -> {
            this.server = server;
            username = remoteUfrag + ":" + localUfrag;
            remotePassword = remotePwd.getBytes(StandardCharsets.UTF_8);
            remoteFingerprint = fingerprint;
            dtlsRole = role;
            if (role == DtlsTransport.Role.SERVER) {
                startDtls();
            }
            checks = loop.scheduleAtFixedRate(this::check, 0, RETRANSMIT_MILLIS, TimeUnit.MILLISECONDS);
        });
        return ready;
    }

    private void startDtls() {
        dtls = new DtlsTransport(certificate, dtlsRole, remoteFingerprint, new DtlsListener(), handshakeExecutor, 10_000);
        dtls.offerProfiles(OFFERED_PROFILES);
        dtls.start();
    }

    boolean isReady() {
        return ready.isDone() && !ready.isCompletedExceptionally();
    }

    /** The SRTP profile the DTLS handshake chose, or null before it completed. */
    SrtpProfile srtpProfile() {
        return srtpProfile;
    }

    EventLoop loop() {
        return loop;
    }

    /** A buffer for one outgoing packet of up to {@code length} plain bytes (room for the SRTP trailer). */
    ByteBuf buffer(int length) {
        return channel.alloc().directBuffer(length + SRTP_OVERHEAD);
    }

    /** Protects and queues an RTP packet (takes ownership); false when dropped. Loop thread. */
    boolean writeRtp(ByteBuf packet) {
        if (outbound == null || closed || outbound.protectRtp(packet) != SrtpContext.OK) {
            packet.release();
            return false;
        }
        channel.write(toServer(packet), channel.voidPromise());
        return true;
    }

    /** Protects and queues an RTCP packet (takes ownership). Loop thread. */
    boolean writeRtcp(ByteBuf packet) {
        if (outbound == null || closed || outbound.protectRtcp(packet) != SrtpContext.OK) {
            packet.release();
            return false;
        }
        channel.write(toServer(packet), channel.voidPromise());
        return true;
    }

    /** Queues an already protected datagram (a retransmission from history; takes ownership). */
    void writeProtected(ByteBuf datagram) {
        if (closed) {
            datagram.release();
            return;
        }
        channel.write(toServer(datagram), channel.voidPromise());
    }

    /** The message to write for a datagram to the server: the bare buffer once the socket is connected. */
    private Object toServer(ByteBuf datagram) {
        return connected ? datagram : new DatagramPacket(datagram, server);
    }

    void flush() {
        if (channel != null) {
            channel.flush();
        }
    }

    private void check() {
        if (closed) {
            return;
        }
        if (!iceConnected && ++checksSent > MAX_CHECKS) {
            fail(new IllegalStateException("no ICE binding response from " + server + " after " + MAX_CHECKS + " checks"));
            return;
        }
        byte[] id = new byte[12];
        ThreadLocalRandom.current().nextBytes(id);
        ByteBuf b = channel.alloc().directBuffer(128);
        StunMessageWriter.start(b, StunMessage.BINDING_REQUEST, id).username(username).priority(2130706431L)
                .iceControlling(tieBreaker).useCandidate()
                .messageIntegrity(remotePassword).fingerprint();
        channel.writeAndFlush(new DatagramPacket(b, server), channel.voidPromise());
    }

    private void onStun(ByteBuf msg, InetSocketAddress from) {
        if (StunMessage.validate(msg) != StunMessage.OK) {
            return;
        }
        if (StunMessage.type(msg) == StunMessage.BINDING_REQUEST) {
            answerCheck(msg, from);
            return;
        }
        if (StunMessage.type(msg) != StunMessage.BINDING_SUCCESS || remotePassword == null
                || !StunMessage.verifyMessageIntegrity(msg, remotePassword)) {
            return;
        }
        if (iceConnected) {
            return;
        }
        iceConnected = true;
        // Connected, the kernel delivers only the server's datagrams and Netty reads and writes
        // them without building an address per packet (a third of the tool's allocation at 400 viewers).
        channel.connect(server).addListener(f -> connected = f.isSuccess());
        checks.cancel(false);
        checks = loop.scheduleAtFixedRate(this::check, CONSENT_MILLIS, CONSENT_MILLIS, TimeUnit.MILLISECONDS);
        if (dtls == null) {
            startDtls();
        }
    }

    /** A full ICE server's connectivity check (or consent request): a success response when it is for us. */
    private void answerCheck(ByteBuf request, InetSocketAddress from) {
        String user = StunMessage.username(request);
        if (user == null || !user.startsWith(localUfrag + ":") || !StunMessage.verifyMessageIntegrity(request, localPassword)) {
            return;
        }
        ByteBuf b = channel.alloc().directBuffer(128);
        StunMessageWriter.response(b, StunMessage.BINDING_SUCCESS, request).xorMappedAddress(from)
                .messageIntegrity(localPassword).fingerprint();
        channel.writeAndFlush(new DatagramPacket(b, from), channel.voidPromise());
        bindingRequestsAnswered++;
    }

    private void fail(Throwable t) {
        ready.completeExceptionally(t);
        close();
    }

    /** Stops timers, ends DTLS and closes the socket. Any thread; idempotent. */
    void close() {
        closed = true;
        loop.execute(() -> {
            if (checks != null) {
                checks.cancel(false);
            }
            if (channel != null) {
                channel.close();
            }
        });
        DtlsTransport d = dtls;
        if (d != null) {
            d.close();
        }
        ready.completeExceptionally(new IllegalStateException("closed"));
    }

    private final class DtlsListener implements DtlsTransport.Listener {
        @Override
        public void sendDatagram(ByteBuf datagram) {
            if (closed) {
                datagram.release();
                return;
            }
            channel.writeAndFlush(new DatagramPacket(datagram, server), channel.voidPromise());
        }

        @Override
        public void onHandshakeComplete(DtlsSrtpKeys k) {
            srtpProfile = k.profile();
            loop.execute(() -> {
                boolean client = dtlsRole == DtlsTransport.Role.CLIENT;
                outbound = SrtpContext.create(k.profile(), client ? k.clientKey() : k.serverKey(),
                        client ? k.clientSalt() : k.serverSalt());
                inbound = SrtpContext.create(k.profile(), client ? k.serverKey() : k.clientKey(),
                        client ? k.serverSalt() : k.clientSalt());
                ready.complete(null);
            });
        }

        @Override
        public void onHandshakeFailed(String reason, Throwable cause) {
            loop.execute(() -> fail(new IllegalStateException("DTLS: " + reason, cause)));
        }
    }

    private final class Receiver extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            long now = System.nanoTime();
            if (server == null || !server.equals(packet.sender())) {
                strangers++;
                return;
            }
            ByteBuf buf = packet.content();
            bytesReceived += buf.readableBytes();
            switch (PacketClassifier.classify(buf)) {
                case PacketClassifier.STUN -> onStun(buf, packet.sender());
                case PacketClassifier.DTLS -> {
                    if (dtls != null) {
                        dtls.receive(buf);
                    }
                }
                case PacketClassifier.RTP -> {
                    if (inbound == null) {
                        earlyMedia++;
                        return;
                    }
                    int r = inbound.unprotectRtp(buf);
                    if (r == SrtpContext.OK) {
                        media.onRtp(buf, now);
                    } else {
                        countError(r, false);
                    }
                }
                case PacketClassifier.RTCP -> {
                    if (inbound == null) {
                        earlyMedia++;
                        return;
                    }
                    int r = inbound.unprotectRtcp(buf);
                    if (r == SrtpContext.OK) {
                        media.onRtcp(buf, now);
                    } else {
                        countError(r, true);
                    }
                }
                default -> malformed++;
            }
        }

        private void countError(int r, boolean rtcp) {
            if (r == SrtpContext.ERR_AUTH) {
                if (rtcp) {
                    rtcpAuthFailures++;
                } else {
                    rtpAuthFailures++;
                }
            } else if (r == SrtpContext.ERR_REPLAY) {
                replays++;
            } else {
                malformed++;
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP port unreachable after the server went away, and the like: keep running.
        }
    }
}
