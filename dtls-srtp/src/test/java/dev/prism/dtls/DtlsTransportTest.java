package dev.prism.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.srtp.SrtpProfile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A DTLS client and server wired to each other in memory, on virtual threads. */
class DtlsTransportTest {
    private static final DtlsCertificate SERVER_CERT = DtlsCertificate.generate();
    private static final DtlsCertificate CLIENT_CERT = DtlsCertificate.generate();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void shutdown() {
        executor.shutdownNow();
    }

    /** Records what one side's listener saw; forwards datagrams to the other side. */
    static final class Side implements DtlsTransport.Listener {
        final CompletableFuture<DtlsSrtpKeys> keys = new CompletableFuture<>();
        final AtomicReference<String> failure = new AtomicReference<>();
        final CountDownLatch closed = new CountDownLatch(1);
        volatile DtlsTransport peer;
        volatile boolean mute;

        @Override
        public void sendDatagram(ByteBuf datagram) {
            try {
                DtlsTransport p = peer;
                if (p != null && !mute) {
                    p.receive(datagram);
                }
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
            failure.set(reason);
            keys.completeExceptionally(new IllegalStateException(reason, cause));
        }

        @Override
        public void onClosed() {
            closed.countDown();
        }
    }

    private DtlsTransport[] pair(Side server, Side client, String serverExpects, String clientExpects, long timeout) {
        DtlsTransport s = new DtlsTransport(SERVER_CERT, DtlsTransport.Role.SERVER, serverExpects, server, executor, timeout);
        DtlsTransport c = new DtlsTransport(CLIENT_CERT, DtlsTransport.Role.CLIENT, clientExpects, client, executor, timeout);
        server.peer = c;
        client.peer = s;
        return new DtlsTransport[] {s, c};
    }

    private static String sdp(DtlsCertificate c) {
        return "sha-256 " + c.sha256Fingerprint();
    }

    @Test
    void handshakeExportsTheSameKeysOnBothSidesWithGcmPreferred() throws Exception {
        Side server = new Side();
        Side client = new Side();
        DtlsTransport[] t = pair(server, client, sdp(CLIENT_CERT), sdp(SERVER_CERT), 10_000);
        t[0].start();
        t[1].start();
        DtlsSrtpKeys s = server.keys.get(5, TimeUnit.SECONDS);
        DtlsSrtpKeys c = client.keys.get(5, TimeUnit.SECONDS);
        assertEquals(SrtpProfile.AEAD_AES_128_GCM, s.profile());
        assertEquals(s.profile(), c.profile());
        assertArrayEquals(s.clientKey(), c.clientKey());
        assertArrayEquals(s.serverKey(), c.serverKey());
        assertArrayEquals(s.clientSalt(), c.clientSalt());
        assertArrayEquals(s.serverSalt(), c.serverSalt());
        assertEquals(16, s.clientKey().length);
        assertEquals(12, s.clientSalt().length);
        assertTrue(!java.util.Arrays.equals(s.clientKey(), s.serverKey()));
        t[1].close();
        t[0].close();
        assertTrue(server.closed.await(2, TimeUnit.SECONDS));
        assertTrue(client.closed.await(2, TimeUnit.SECONDS));
    }

    @Test
    void clientOfferingOnlyCm80GetsCm80() throws Exception {
        Side server = new Side();
        Side client = new Side();
        DtlsTransport[] t = pair(server, client, sdp(CLIENT_CERT), sdp(SERVER_CERT), 10_000);
        t[1].offerProfiles(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        t[0].start();
        t[1].start();
        assertEquals(SrtpProfile.AES_CM_128_HMAC_SHA1_80, server.keys.get(5, TimeUnit.SECONDS).profile());
        DtlsSrtpKeys c = client.keys.get(5, TimeUnit.SECONDS);
        assertEquals(14, c.serverSalt().length);
        t[0].close();
        t[1].close();
    }

    @Test
    void clientCertificateOtherThanItsFingerprintIsRefused() throws Exception {
        Side server = new Side();
        Side client = new Side();
        DtlsCertificate stranger = DtlsCertificate.generate();
        DtlsTransport[] t = pair(server, client, sdp(stranger), sdp(SERVER_CERT), 10_000);
        t[0].start();
        t[1].start();
        assertTrue(server.closed.await(5, TimeUnit.SECONDS));
        assertTrue(server.failure.get().contains("fingerprint"), server.failure.get());
        assertTrue(server.keys.isCompletedExceptionally());
        assertTrue(client.closed.await(5, TimeUnit.SECONDS), "the client fails too (fatal alert)");
        assertNotNull(client.failure.get());
        assertTrue(client.keys.isCompletedExceptionally());
    }

    @Test
    void serverCertificateOtherThanItsFingerprintIsRefusedByTheClient() throws Exception {
        Side server = new Side();
        Side client = new Side();
        DtlsTransport[] t = pair(server, client, sdp(CLIENT_CERT), sdp(DtlsCertificate.generate()), 10_000);
        t[0].start();
        t[1].start();
        assertTrue(client.closed.await(5, TimeUnit.SECONDS));
        assertTrue(client.failure.get().contains("fingerprint"), client.failure.get());
        assertTrue(server.closed.await(5, TimeUnit.SECONDS));
    }

    @Test
    void silentPeerTimesOut() throws Exception {
        Side server = new Side();
        Side client = new Side();
        client.mute = true; // the client's datagrams never arrive
        DtlsTransport[] t = pair(server, client, sdp(CLIENT_CERT), sdp(SERVER_CERT), 1_500);
        t[0].start();
        t[1].start();
        assertTrue(client.closed.await(6, TimeUnit.SECONDS), "client gives up");
        assertNotNull(client.failure.get());
        t[0].close();
        assertTrue(server.closed.await(2, TimeUnit.SECONDS));
    }

    @Test
    void garbageDatagramsNeverThrowOutOfReceive() throws Exception {
        Side server = new Side();
        Side client = new Side();
        DtlsTransport[] t = pair(server, client, sdp(CLIENT_CERT), sdp(SERVER_CERT), 10_000);
        t[0].start();
        ByteBuf junk = Unpooled.wrappedBuffer(new byte[] {22, (byte) 0xfe, (byte) 0xfd, 0, 0, 1, 2, 3, 9, 9});
        t[0].receive(junk);
        t[0].receive(Unpooled.EMPTY_BUFFER);
        t[0].receive(Unpooled.wrappedBuffer(new byte[3000]));
        t[1].start();
        DtlsSrtpKeys keys = server.keys.get(5, TimeUnit.SECONDS);
        assertNotNull(keys, "the handshake survives junk before it");
        t[0].receive(junk.resetReaderIndex());
        t[0].close();
        t[1].close();
        t[0].receive(junk.resetReaderIndex());
        assertNull(server.failure.get());
    }

    @Test
    void closingEndsTheReaderOfAnEstablishedAssociationAtOnce() throws Exception {
        AtomicInteger running = new AtomicInteger();
        Executor counted = task -> executor.execute(() -> {
            running.incrementAndGet();
            try {
                task.run();
            } finally {
                running.decrementAndGet();
            }
        });
        Side server = new Side();
        Side client = new Side();
        DtlsTransport s = new DtlsTransport(SERVER_CERT, DtlsTransport.Role.SERVER, sdp(CLIENT_CERT), server, counted, 10_000);
        DtlsTransport c = new DtlsTransport(CLIENT_CERT, DtlsTransport.Role.CLIENT, sdp(SERVER_CERT), client, counted, 10_000);
        server.peer = c;
        client.peer = s;
        s.start();
        c.start();
        server.keys.get(5, TimeUnit.SECONDS);
        client.keys.get(5, TimeUnit.SECONDS);
        assertEquals(2, running.get(), "each side reads application data after its handshake");
        // No close_notify reaches the other side: each reader must be woken by its own close,
        // not by a record or by its wait for one running out.
        server.mute = true;
        client.mute = true;
        s.close();
        c.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (running.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(0, running.get(), "readers still waiting after close");
        assertTrue(DtlsTransport.IDLE_READ_WAIT_MILLIS > 2_000, "the test would pass by the wait running out");
    }

    @Test
    void fingerprintMatchingUnderstandsCaseAndHashNames() {
        byte[] der = new byte[] {1, 2, 3};
        String sha256 = DtlsCertificate.fingerprint("SHA-256", der);
        assertTrue(DtlsCertificate.matches("sha-256 " + sha256, der));
        assertTrue(DtlsCertificate.matches("SHA-256 " + sha256.toLowerCase(), der));
        assertTrue(DtlsCertificate.matches("sha-1 " + DtlsCertificate.fingerprint("SHA-1", der), der));
        assertTrue(!DtlsCertificate.matches("md5 " + sha256, der));
        assertTrue(!DtlsCertificate.matches("sha-256", der));
        assertTrue(!DtlsCertificate.matches(null, der));
        assertEquals(95, SERVER_CERT.sha256Fingerprint().length(), "32 bytes as AB: pairs");
    }
}
