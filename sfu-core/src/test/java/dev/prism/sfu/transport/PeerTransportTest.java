package dev.prism.sfu.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.dtls.DtlsCertificate;
import dev.prism.dtls.DtlsSrtpKeys;
import dev.prism.srtp.SrtpContext;
import dev.prism.srtp.SrtpProfile;
import dev.prism.stun.StunMessage;
import dev.prism.stun.StunMessageWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A transport on a fake worker: consent freshness, the connectivity deadline, and media before keys. */
class PeerTransportTest {
    private static final DtlsCertificate CERT = DtlsCertificate.generate();
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40000);
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void shutdown() {
        executor.shutdownNow();
    }

    static final class Events extends IgnoringListener {
        String closedReason;

        @Override
        public void onClosed(PeerTransport transport, String reason) {
            closedReason = reason;
        }
    }

    private PeerTransport transport(RecordingHost host, Events events, TransportCounters counters) {
        return new PeerTransport("t1", "srvu", "server-password-0123456789",
                new RemoteTransportInfo("cliu", "client-password", "sha-256 " + CERT.sha256Fingerprint(), true),
                CERT, host, events, counters, executor, 10_000);
    }

    /** GCM keys agreed elsewhere (a cascade link's): client key 1 0 0…, server key 2 0 0…, zero salts. */
    private static DtlsSrtpKeys fixedKeys() {
        byte[] clientKey = new byte[16], serverKey = new byte[16];
        clientKey[0] = 1;
        serverKey[0] = 2;
        return new DtlsSrtpKeys(SrtpProfile.AEAD_AES_128_GCM, clientKey, new byte[12], serverKey, new byte[12]);
    }

    private static ByteBuf check(String pwd) {
        ByteBuf b = Unpooled.buffer();
        StunMessageWriter.start(b, StunMessage.BINDING_REQUEST, new byte[12]).username("srvu:cliu").priority(1)
                .iceControlling(1).useCandidate().messageIntegrity(pwd.getBytes(StandardCharsets.UTF_8)).fingerprint();
        return b;
    }

    @Test
    void noConnectivityCheckWithinThirtySecondsCloses() {
        RecordingHost host = new RecordingHost();
        Events events = new Events();
        PeerTransport t = transport(host, events, new TransportCounters());
        host.now += 29_000;
        t.checkTimers(host.now);
        assertNull(events.closedReason);
        host.now += 2_000;
        t.checkTimers(host.now);
        assertTrue(events.closedReason.contains("30 s"), events.closedReason);
        assertEquals(PeerTransport.State.CLOSED, t.state());
    }

    @Test
    void consentExpiresThirtySecondsAfterTheLastValidCheck() {
        RecordingHost host = new RecordingHost();
        Events events = new Events();
        TransportCounters counters = new TransportCounters();
        PeerTransport t = transport(host, events, counters);
        ByteBuf request = check("server-password-0123456789");
        t.onStun(request, PEER);
        assertEquals(PEER, host.bound, "ICE learnt the peer's address");
        assertEquals(1, host.sent.size(), "binding success sent");
        assertEquals(PeerTransport.State.CONNECTING, t.state(), "DTLS started once the address was known");
        host.now += 20_000;
        t.onStun(check("wrong-password"), PEER);
        assertEquals(1, counters.stunBadCredentials.sum(), "a bad check is counted and does not refresh consent");
        host.now += 11_000;
        t.checkTimers(host.now);
        assertTrue(events.closedReason.contains("consent"), events.closedReason);
        assertEquals(1, counters.consentExpired.sum());
        host.releaseAll();
        t.close("again"); // idempotent
    }

    @Test
    void authenticatedMediaKeepsThePeerAliveAndForgedMediaDoesNot() {
        RecordingHost host = new RecordingHost();
        Events events = new Events();
        TransportCounters counters = new TransportCounters();
        PeerTransport t = new PeerTransport("t3", "srvu", "server-password-0123456789", null, CERT, host, events,
                counters, executor, 10_000);
        DtlsSrtpKeys keys = fixedKeys();
        t.connectWithoutHandshake(keys, true, PEER);
        // The peer (the DTLS client) protects with the client's key; no binding request ever arrives.
        SrtpContext peer = SrtpContext.create(SrtpProfile.AEAD_AES_128_GCM, keys.clientKey(), keys.clientSalt());
        for (int i = 0; i < 6; i++) {
            host.now += 20_000;
            ByteBuf receiverReport = Unpooled.buffer(64).writeByte(0x80).writeByte(201).writeShort(1).writeInt(0xABC);
            assertEquals(SrtpContext.OK, peer.protectRtcp(receiverReport));
            t.onSrtcp(receiverReport);
            t.checkTimers(host.now);
            assertNull(events.closedReason, "alive after " + (i + 1) * 20 + " s of SRTCP without checks");
        }
        host.now += 20_000;
        // Under the wrong key, with an SRTCP index the receiver has not seen (so it is not a replay).
        SrtpContext forger = SrtpContext.create(SrtpProfile.AEAD_AES_128_GCM, keys.serverKey(), keys.serverSalt());
        ByteBuf forged = null;
        for (int i = 0; i < 7; i++) {
            if (forged != null) {
                forged.release();
            }
            forged = Unpooled.buffer(64).writeByte(0x80).writeByte(201).writeShort(1).writeInt(0xABC);
            assertEquals(SrtpContext.OK, forger.protectRtcp(forged));
        }
        t.onSrtcp(forged);
        assertEquals(1, counters.srtpAuthFailures.sum(), "SRTCP under the wrong key is counted");
        host.now += 11_000;
        t.checkTimers(host.now);
        assertTrue(events.closedReason != null && events.closedReason.contains("30 s"),
                "31 s after the last authenticated packet the peer is gone; a forged one does not count: "
                        + events.closedReason);
        assertEquals(1, counters.consentExpired.sum());
    }

    @Test
    void mediaBeforeKeysIsCountedNotForwarded() {
        RecordingHost host = new RecordingHost();
        TransportCounters counters = new TransportCounters();
        PeerTransport t = transport(host, new Events(), counters);
        t.onSrtp(Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3}));
        t.onSrtcp(Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, (byte) 200, 0, 1, 0, 0, 0, 1}));
        assertEquals(2, counters.mediaBeforeKeys.sum());
        ByteBuf out = Unpooled.buffer(32).writeZero(12);
        assertTrue(!t.sendRtp(out), "nothing is sent before the keys");
        assertEquals(0, out.refCnt(), "and the buffer is released");
        t.close("done");
    }

    @Test
    void keysAgreedElsewhereConnectWithoutAHandshakeAndProtectWhatThePeerCanRead() {
        RecordingHost host = new RecordingHost();
        TransportCounters counters = new TransportCounters();
        PeerTransport t = new PeerTransport("t2", "srvu", "server-password-0123456789", null, CERT, host, new Events(),
                counters, executor, 10_000);
        DtlsSrtpKeys keys = fixedKeys();
        t.connectWithoutHandshake(keys, true, PEER);
        assertTrue(t.isConnected());
        assertEquals(PEER, t.remoteAddress());
        assertEquals(0, counters.handshakesInProgress.get());

        ByteBuf rtp = Unpooled.buffer(64).writeByte(0x80).writeByte(96).writeShort(7).writeInt(1234).writeInt(0x5EED)
                .writeBytes(new byte[] {1, 2, 3, 4});
        assertTrue(t.sendRtp(rtp));
        ByteBuf sent = host.sent.get(0);
        assertEquals(12 + 4 + 16, sent.readableBytes(), "header, payload and the GCM tag");
        // As the DTLS server it protects with the server's key: the client reads it with that key.
        SrtpContext peer = SrtpContext.create(SrtpProfile.AEAD_AES_128_GCM, keys.serverKey(), keys.serverSalt());
        assertEquals(SrtpContext.OK, peer.unprotectRtp(sent));
        assertEquals(4, sent.getByte(15));
        host.releaseAll();

        assertThrows(IllegalStateException.class, () -> t.connectWithoutHandshake(keys, true, PEER), "once only");
        PeerTransport negotiating = transport(host, new Events(), counters);
        assertThrows(IllegalStateException.class, () -> negotiating.connectWithoutHandshake(keys, true, PEER),
                "a transport that negotiates DTLS only gets keys from its handshake");
        t.close("done");
        negotiating.close("done");
    }
}
