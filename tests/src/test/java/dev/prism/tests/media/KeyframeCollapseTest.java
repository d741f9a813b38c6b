package dev.prism.tests.media;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.prism.api.PrismServer;
import dev.prism.tests.browser.BrowserPage;
import dev.prism.tests.browser.Chromium;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Keyframe requests collapse across subscribers: ten viewers joining within a second cost the publisher few key frames. */
class KeyframeCollapseTest {
    /** KeyframeRequester.MIN_INTERVAL_MILLIS (package-private in sfu-core): at most one PLI per layer per this. */
    private static final double THROTTLE_MS = 500;

    @Test
    void tenViewersJoiningWithinASecondCauseAKeyframeRequestPerThrottleIntervalNotPerViewer() throws Exception {
        assumeTrue(Chromium.available(), "chromium is not installed (.ci/run installs it)");
        try (PrismServer server = PrismFixture.start(1); Chromium chromium = Chromium.launch()) {
            BrowserPage page = chromium.open(PrismFixture.base(server) + "/index.html");
            PrismFixture.injectScripts(page);
            page.eval("prismTest.whipPublish('kf', " + PrismFixture.js(server.token("p", "kf", true, false, 600))
                    + ").then(p => { window.pub = p; return true; })");
            page.waitUntil("prismTest.outbound(pub.pc)", v -> v.path("videoPackets").asInt() > 50, Duration.ofSeconds(15));
            Thread.sleep(1500); // the publisher's start-up key frames are behind us
            int before = page.eval("prismTest.outbound(pub.pc)").path("pliCount").asInt();
            String token = PrismFixture.js(server.token("v", "kf", false, true, 600));
            // Ten WHEP viewers in the same page: offers made first (a loaded browser takes its time),
            // then their requests sent 100 ms apart, so all ten join within one second.
            page.eval("""
                    (async () => { const ready = [];
                      for (let i = 0; i < 10; i++) ready.push(await prismTest.whepPrepare());
                      window.views = []; window.sentAt = [];
                      for (const r of ready) {
                        sentAt.push(performance.now());
                        prismTest.whepSend(r, 'kf', %s).then(v => views.push(v));
                        await new Promise(res => setTimeout(res, 100));
                      } return true; })()""".formatted(token));
            page.waitUntil("""
                    (async () => { if (views.length < 10) return 0; let n = 0;
                      for (const v of views) if ((await prismTest.inbound(v.pc)).framesDecoded > 0) n++; return n; })()""",
                    v -> v.asInt() == 10, Duration.ofSeconds(20));
            int after = page.eval("prismTest.outbound(pub.pc)").path("pliCount").asInt();
            double spread = page.eval("sentAt[9] - sentAt[0]").asDouble();
            double connected = page.eval("(t => Math.max(...t) - Math.min(...t))(views.map(v => v.connectedAt))").asDouble();
            System.out.printf("keyframes: 10 viewers joining within %.0f ms (connected within %.0f ms) caused %d PLIs"
                    + " at the publisher%n", spread, connected, after - before);
            // The server asks a layer for a key frame at most once per THROTTLE_MS (KeyframeRequester), and only
            // while some viewer waits for one, i.e. from the first viewer's connection until a key frame after the
            // last one's: one request, one per throttle interval the connections spread over, and one for the last
            // joiner. The bound follows the measured spread, so a loaded machine that connects the viewers slowly
            // gets the requests that spread honestly costs, while a request per viewer (or per packet) still fails.
            int allowed = 2 + (int) Math.ceil(connected / THROTTLE_MS);
            assertTrue(allowed < 10, "the test's premise: ten viewers connected close enough together that collapsing"
                    + " matters (bound " + allowed + " must stay below one per viewer), connected within " + connected + " ms");
            assertTrue(after - before <= allowed, "at most " + allowed + " keyframe requests for joins spread over "
                    + Math.round(connected) + " ms, was " + (after - before));
        }
    }
}
