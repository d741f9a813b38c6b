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

            // From a stranger: every class of datagram, random and truncated, bounded in count.
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
            }
            // A well-formed connectivity check with the wrong password, and one for nobody.
            String serverUfrag = peer.serverUfrag();
            for (int i = 0; i < 20; i++) {
                send(stranger, JavaPeer.bindingRequest(serverUfrag + ":jpuf", "not-the-password"), media);
                send(stranger, JavaPeer.bindingRequest("nobody:jpuf", "whatever"), media);
            }
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
            waitForCounters();
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

    private static void waitForCounters() throws InterruptedException {
        Thread.sleep(300); // the worker counts on its own loop
    }

    private static void send(DatagramSocket socket, byte[] bytes, InetSocketAddress to) throws Exception {
        socket.send(new DatagramPacket(bytes, bytes.length, to));
    }
}
