package dev.prism.tests.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prism.api.PrismServer;
import dev.prism.tests.browser.BrowserPage;
import dev.prism.tests.browser.Chromium;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * First light: a Chromium publisher (WHIP) and Chromium viewers (WHEP) through the real server
 * over loopback. Proves ICE-lite, DTLS (fingerprints checked), SRTP both ways, forwarding with
 * rewritten SSRC/sequence/timestamps, and keyframe requests for new viewers.
 */
class FirstLightTest {
    private static PrismServer server;
    private static Chromium chromium;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Chromium.available(), "chromium is not installed (.ci/run installs it)");
        server = PrismFixture.start(1);
        chromium = Chromium.launch();
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static BrowserPage page() throws Exception {
        BrowserPage page = chromium.open(PrismFixture.base(server) + "/index.html");
        PrismFixture.injectScripts(page);
        return page;
    }

    @Test
    void whipPublisherReachesTwoWhepViewers() throws Exception {
        String room = "first-light";
        BrowserPage publisher = page();
        publisher.eval("prismTest.whipPublish(" + PrismFixture.js(room) + ", "
                + PrismFixture.js(server.token("alice", room, true, false, 600)) + ").then(p => { window.pub = p; return true; })");
        publisher.waitUntil("prismTest.outbound(pub.pc)", v -> v.path("videoPackets").asInt() > 50,
                Duration.ofSeconds(15));

        long[] firstFrameMillis = new long[2];
        BrowserPage[] viewers = {page(), page()};
        for (int i = 0; i < viewers.length; i++) {
            BrowserPage v = viewers[i];
            v.eval("prismTest.whepView(" + PrismFixture.js(room) + ", "
                    + PrismFixture.js(server.token("viewer" + i, room, false, true, 600))
                    + ").then(s => { window.view = s; return true; })");
            JsonNode first = v.waitUntil("""
                    (async () => { const s = await prismTest.inbound(view.pc);
                      s.sinceAnswer = performance.now() - view.answeredAt; return s; })()""",
                    s -> s.path("framesDecoded").asInt() > 0, Duration.ofSeconds(20));
            firstFrameMillis[i] = first.path("sinceAnswer").asLong();
        }
        for (BrowserPage v : viewers) {
            JsonNode stats = v.waitUntil("prismTest.inbound(view.pc)",
                    s -> s.path("framesDecoded").asInt() > 60 && s.path("audioPackets").asInt() > 100,
                    Duration.ofSeconds(20));
            assertTrue(stats.path("frameWidth").asInt() >= 320, "decodes real video: " + stats);
            assertEquals("connected", stats.path("dtlsState").asText(), stats.toString());
            assertTrue(stats.path("srtpCipher").asText().contains("GCM"), "GCM negotiated: " + stats);
        }
        System.out.printf("first-light: WHEP answer to first decoded frame: %d ms and %d ms%n",
                firstFrameMillis[0], firstFrameMillis[1]);
        // RTCP: viewers got sender reports (lip sync), the publisher got receiver reports and PLIs.
        String rtcp = """
                (async (pc) => { const out = {sr: 0, rr: 0, pli: 0}; (await pc.getStats()).forEach(s => {
                  if (s.type === 'remote-outbound-rtp') out.sr += s.reportsSent || 0;
                  if (s.type === 'remote-inbound-rtp') out.rr++;
                  if (s.type === 'outbound-rtp' && s.kind === 'video') out.pli += s.pliCount || 0; }); return out; })""";
        for (BrowserPage v : viewers) {
            v.waitUntil(rtcp + "(view.pc)", r -> r.path("sr").asInt() >= 2, Duration.ofSeconds(10));
        }
        JsonNode pub = publisher.waitUntil(rtcp + "(pub.pc)", r -> r.path("rr").asInt() >= 1, Duration.ofSeconds(10));
        assertTrue(pub.path("pli").asInt() >= 1, "keyframe requests reached the publisher: " + pub);

        // Server CPU with one publisher and two viewers (the test JVM runs only the server here).
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();
        Thread.sleep(5000);
        double cores = (double) (os.getProcessCpuTime() - cpu0) / (System.nanoTime() - wall0);
        System.out.printf("first-light: server CPU with 1 publisher and 2 viewers: %.1f %% of one core%n", cores * 100);
        assertTrue(server.mediaCounters().keyframeRequestsSent.sum() >= 1, "new viewers asked for a key frame");
        assertEquals(0, server.mediaCounters().srtpAuthFailures.sum());
    }
}
