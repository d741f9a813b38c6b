package dev.prism.tests.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prism.api.PrismServer;
import dev.prism.sfu.transport.TransportCounters;
import dev.prism.tests.browser.BrowserPage;
import dev.prism.tests.browser.Chromium;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Random;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * Garbage at the media port, from strangers and from a peer ICE has validated, while a
 * Chromium publisher and viewer share the room: every bad datagram is dropped and counted,
 * and the running session keeps decoding.
 */
class BadMediaInputTest {
    private static final String VIEWER = "prismTest.inbound(view.pc)";

    @Test
    void garbageIsDroppedAndCountedWhileTheRoomKeepsDecoding() throws Exception {
        assumeTrue(Chromium.available(), "chromium is not installed (.ci/run installs it)");
        String room = "bad-input";
        try (PrismServer server = PrismFixture.start(1); Chromium chromium = Chromium.launch();
             JavaPeer peer = new JavaPeer(); DatagramSocket stranger = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            BrowserPage publisher = chromium.open(PrismFixture.base(server) + "/index.html");
            PrismFixture.injectScripts(publisher);
            publisher.eval("prismTest.whipPublish(" + PrismFixture.js(room) + ", "
                    + PrismFixture.js(server.token("pub", room, true, false, 600)) + ").then(p => { window.pub = p; return true; })");
            BrowserPage viewer = chromium.open(PrismFixture.base(server) + "/index.html");
            PrismFixture.injectScripts(viewer);
            publisher.waitUntil("prismTest.outbound(pub.pc)", v -> v.path("videoPackets").asInt() > 20, Duration.ofSeconds(15));
            viewer.eval("prismTest.whepView(" + PrismFixture.js(room) + ", "
                    + PrismFixture.js(server.token("view", room, false, true, 600)) + ").then(s => { window.view = s; return true; })");
            viewer.waitUntil(VIEWER, s -> s.path("framesDecoded").asInt() > 10, Duration.ofSeconds(15));

            peer.publish(PrismFixture.base(server), room, server.token("java", room, true, false, 600));
            InetSocketAddress media = peer.server();
            TransportCounters c = server.mediaCounters();
            long stunBad = c.stunBadCredentials.sum(), unknown = c.unknownSource.sum(), other = c.otherDatagrams.sum();
            long auth = c.srtpAuthFailures.sum(), replays = c.srtpReplays.sum(), malformed = c.srtpMalformed.sum();
            long rtcpBad = c.rtcpMalformed.sum(), stunMalformed = c.stunMalformed.sum() + c.stunUnknownUfrag.sum();
            int framesBefore = viewer.eval(VIEWER).path("framesDecoded").asInt();

            // From a stranger: every class of datagram, random and truncated, bounded in count. Paced (a pause
            // after each 26 datagrams, ~8 KB) so a loaded media loop's socket buffer does not overflow: a datagram
            // the kernel drops never reaches the counters, and some checks below count exactly what was sent.
            Random random = new Random(7);
            int[] firstBytes = {0, 1, 3, 20, 22, 63, 64, 127, 0x80, 0x90, 0xBF, 0xC0, 0xFF};
            for (int round = 0; round < 40; round++) {
                for (int first : firstBytes) {
                    byte[] junk = new byte[random.nextInt(1200)];
                    random.nextBytes(junk);
                    if (junk.length > 0) {
                        junk[0] = (byte) first;
                    }
                    if (junk.length >= 8 && first <= 3) {
                        junk[4] = 0x21; junk[5] = 0x12; junk[6] = (byte) 0xA4; junk[7] = 0x42; // STUN cookie
                    }
                    send(stranger, junk, media);
                    send(stranger, new byte[] {(byte) first}, media);
                }
                Thread.sleep(5);
            }
            LongSupplier strangerCounted = () -> c.unknownSource.sum() + c.otherDatagrams.sum() + c.stunMalformed.sum()
                    + c.stunUnknownUfrag.sum();
            awaitQuiet(strangerCounted); // the loop has worked through the burst before the next one arrives
            // A well-formed connectivity check with the wrong password, and one for nobody.
            String serverUfrag = peer.serverUfrag();
            for (int i = 0; i < 20; i++) {
                send(stranger, JavaPeer.bindingRequest(serverUfrag + ":jpuf", "not-the-password"), media);
                send(stranger, JavaPeer.bindingRequest("nobody:jpuf", "whatever"), media);
            }
            awaitAtLeast(c.stunBadCredentials::sum, stunBad + 20);
            // From the validated peer: bad tags, replays, truncated SRTP, garbage RTCP inside valid SRTCP.
            for (int i = 0; i < 50; i++) {
                byte[] good = peer.protectedRtp();
                peer.sendRaw(good);
                peer.sendRaw(good.clone()); // replay
                byte[] tampered = peer.protectedRtp();
                tampered[tampered.length - 1] ^= 0x5A;
                peer.sendRaw(tampered);
                peer.sendRaw(java.util.Arrays.copyOf(peer.protectedRtp(), 14));
                Thread.sleep(2);
            }
            byte[] lengthOvershoot = {(byte) 0x80, (byte) 200, 0x7F, 0x7F, 0, 0, 0x11, 0x11};
            for (int i = 0; i < 5; i++) {
                peer.sendRaw(peer.protectedRtcp(lengthOvershoot));
            }

            JsonNode after = viewer.waitUntil(VIEWER, s -> s.path("framesDecoded").asInt() > framesBefore + 60,
                    Duration.ofSeconds(15));
            assertEquals("connected", after.path("dtlsState").asText(), "the viewer's session survived: " + after);
            // The worker counts on its own loop: wait (up to 10 s each) for every count, then check them all.
            awaitAtLeast(c.unknownSource::sum, unknown + 40);
            awaitAtLeast(c.otherDatagrams::sum, other + 40);
            awaitAtLeast(() -> c.stunMalformed.sum() + c.stunUnknownUfrag.sum(), stunMalformed + 20);
            awaitAtLeast(c.srtpReplays::sum, replays + 50);
            awaitAtLeast(c.srtpAuthFailures::sum, auth + 50);
            awaitAtLeast(c.srtpMalformed::sum, malformed + 50);
            awaitAtLeast(c.rtcpMalformed::sum, rtcpBad + 5);
            assertTrue(c.unknownSource.sum() - unknown >= 40, "DTLS/RTP/RTCP from a stranger: " + (c.unknownSource.sum() - unknown));
            assertTrue(c.otherDatagrams.sum() - other >= 40, "unassigned first bytes");
            assertTrue(c.stunMalformed.sum() + c.stunUnknownUfrag.sum() - stunMalformed >= 20, "garbage STUN and unknown ufrags");
            assertTrue(c.stunBadCredentials.sum() - stunBad >= 20, "wrong password");
            assertTrue(c.srtpReplays.sum() - replays >= 50, "replays: " + (c.srtpReplays.sum() - replays));
            assertTrue(c.srtpAuthFailures.sum() - auth >= 50, "bad tags: " + (c.srtpAuthFailures.sum() - auth));
            assertTrue(c.srtpMalformed.sum() - malformed >= 50, "truncated SRTP");
            assertTrue(c.rtcpMalformed.sum() - rtcpBad >= 5, "malformed RTCP inside valid SRTCP");
        }
    }

    /** Polls until {@code counter} reaches {@code target} or 10 s pass (the caller asserts). */
    private static void awaitAtLeast(LongSupplier counter, long target) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (counter.getAsLong() < target && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** Pacing only: waits until {@code counter} has not moved for 100 ms, or 10 s pass. */
    private static void awaitQuiet(LongSupplier counter) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        long last = counter.getAsLong();
        while (System.nanoTime() < deadline) {
            Thread.sleep(100);
            long now = counter.getAsLong();
            if (now == last) {
                return;
            }
            last = now;
        }
    }

    private static void send(DatagramSocket socket, byte[] bytes, InetSocketAddress to) throws Exception {
        socket.send(new DatagramPacket(bytes, bytes.length, to));
    }
}
