package dev.prism.tests.media;

import dev.prism.dtls.DtlsCertificate;
import dev.prism.dtls.DtlsSrtpKeys;
import dev.prism.dtls.DtlsTransport;
import dev.prism.sdp.MediaDescription;
import dev.prism.sdp.SdpParser;
import dev.prism.sdp.SessionDescription;
import dev.prism.srtp.SrtpContext;
import dev.prism.stun.StunMessage;
import dev.prism.stun.StunMessageWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A minimal WHIP publisher written with Prism's own codecs (STUN, DTLS client, SRTP): lets a
 * test reach the server's media port from an address ICE has validated and then misbehave.
 */
public final class JavaPeer implements AutoCloseable {
    static final int SSRC = 0x1111;
    private final DatagramSocket socket;
    private final DtlsCertificate certificate = DtlsCertificate.generate();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final CompletableFuture<DtlsSrtpKeys> keys = new CompletableFuture<>();
    private InetSocketAddress server;
    private String serverUfrag;
    private DtlsTransport dtls;
    private SrtpContext outbound;
    private volatile boolean closed;
    private int seq = 1000;

    public JavaPeer() throws Exception {
        socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    }

    public String offer() {
        return offer(false);
    }

    /** A publish offer: one Opus track, and a VP8 track too when {@code withVideo}. */
    public String offer(boolean withVideo) {
        String audio = String.join("\r\n",
                "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0",
                "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0",
                "a=ice-ufrag:jpuf", "a=ice-pwd:javapeerpassword0123456789",
                "a=fingerprint:sha-256 " + certificate.sha256Fingerprint(), "a=setup:active", "a=mid:0",
                "a=sendonly", "a=rtcp-mux", "a=rtpmap:111 opus/48000/2", "a=fmtp:111 minptime=10;useinbandfec=1",
                "a=ssrc:" + SSRC + " cname:javapeer", "a=msid:javastream javatrack", "");
        if (!withVideo) {
            return audio;
        }
        return audio.replace("a=group:BUNDLE 0", "a=group:BUNDLE 0 1") + String.join("\r\n",
                "m=video 9 UDP/TLS/RTP/SAVPF 96", "c=IN IP4 0.0.0.0",
                "a=ice-ufrag:jpuf", "a=ice-pwd:javapeerpassword0123456789",
                "a=fingerprint:sha-256 " + certificate.sha256Fingerprint(), "a=setup:active", "a=mid:1",
                "a=sendonly", "a=rtcp-mux", "a=rtpmap:96 VP8/90000", "a=rtcp-fb:96 nack pli",
                "a=ssrc:2222 cname:javapeer", "a=msid:javastream javavideo", "");
    }

    /** WHIP, then ICE and DTLS: afterwards {@link #protectedRtp} packets can be sent. */
    public void publish(String baseUrl, String room, String token) throws Exception {
        publish(baseUrl, room, token, true);
    }

    /** WHIP and ICE; DTLS only when {@code handshake} (false leaves the server waiting for a ClientHello). */
    public void publish(String baseUrl, String room, String token, boolean handshake) throws Exception {
        HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl + "/whip/" + room))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/sdp")
                .POST(HttpRequest.BodyPublishers.ofString(offer())).build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 201) {
            throw new IllegalStateException("WHIP " + res.statusCode() + ": " + res.body());
        }
        SessionDescription answer = SdpParser.parse(res.body());
        MediaDescription m = answer.media().get(0);
        String ufrag = m.iceUfrag() != null ? m.iceUfrag() : answer.iceUfrag();
        serverUfrag = ufrag;
        String pwd = m.icePwd() != null ? m.icePwd() : answer.icePwd();
        String fingerprint = (m.fingerprints().isEmpty() ? answer.fingerprints() : m.fingerprints()).get(0).toSdpValue();
        var candidate = m.candidates().get(0);
        server = new InetSocketAddress(candidate.address(), candidate.port());
        Thread.ofVirtual().start(this::receiveLoop);
        sendRaw(bindingRequest(ufrag + ":jpuf", pwd));
        if (!handshake) {
            return;
        }
        dtls = new DtlsTransport(certificate, DtlsTransport.Role.CLIENT, fingerprint, new DtlsTransport.Listener() {
            @Override
            public void sendDatagram(ByteBuf datagram) {
                try {
                    sendRaw(ByteBufUtil.getBytes(datagram));
                } finally {
                    datagram.release();
                }
            }

            @Override
            public void onHandshakeComplete(DtlsSrtpKeys k) {
                keys.complete(k);
            }

            @Override
            public void onHandshakeFailed(String reason, Throwable cause) {
                keys.completeExceptionally(new IllegalStateException(reason, cause));
            }
        }, executor, 10_000);
        Thread.sleep(100); // let the binding response arrive so the server knows our address
        dtls.start();
        DtlsSrtpKeys k = keys.get(10, TimeUnit.SECONDS);
        outbound = SrtpContext.create(k.profile(), k.clientKey(), k.clientSalt());
    }

    public static byte[] bindingRequest(String username, String pwd) {
        byte[] id = new byte[12];
        ThreadLocalRandom.current().nextBytes(id);
        ByteBuf b = Unpooled.buffer();
        StunMessageWriter.start(b, StunMessage.BINDING_REQUEST, id).username(username).priority(2130706431L)
                .iceControlling(42).useCandidate().messageIntegrity(pwd.getBytes(StandardCharsets.UTF_8)).fingerprint();
        return ByteBufUtil.getBytes(b);
    }

    /** A protected RTP packet (opus-like payload) ready to send; each call takes the next sequence number. */
    public byte[] protectedRtp() {
        ByteBuf b = Unpooled.buffer(200);
        b.writeByte(0x80).writeByte(111).writeShort(seq++).writeInt(seq * 960).writeInt(SSRC);
        b.writeBytes(new byte[] {(byte) 0xfc, (byte) 0xff, (byte) 0xfe});
        if (outbound.protectRtp(b) != SrtpContext.OK) {
            throw new IllegalStateException("protect failed");
        }
        return ByteBufUtil.getBytes(b);
    }

    /** A protected RTCP packet whose plain content is {@code rtcp}. */
    byte[] protectedRtcp(byte[] rtcp) {
        ByteBuf b = Unpooled.buffer(rtcp.length + 32).writeBytes(rtcp);
        if (outbound.protectRtcp(b) != SrtpContext.OK) {
            throw new IllegalStateException("protect failed");
        }
        return ByteBufUtil.getBytes(b);
    }

    public void sendRaw(byte[] bytes) {
        try {
            socket.send(new DatagramPacket(bytes, bytes.length, server));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The server's ICE ufrag for this peer's transport (from the answer). */
    public String serverUfrag() {
        return serverUfrag;
    }

    InetSocketAddress server() {
        return server;
    }

    private void receiveLoop() {
        byte[] buf = new byte[2048];
        while (!closed) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                int first = buf[0] & 0xFF;
                if (first >= 20 && first <= 63 && dtls != null) {
                    dtls.receive(Unpooled.wrappedBuffer(buf, 0, p.getLength()));
                }
            } catch (java.io.IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        if (dtls != null) {
            dtls.close();
        }
        socket.close();
        executor.shutdownNow();
    }
}
