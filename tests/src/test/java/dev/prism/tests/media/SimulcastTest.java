package dev.prism.tests.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prism.api.PrismServer;
import dev.prism.tests.browser.BrowserPage;
import dev.prism.tests.browser.Chromium;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * rid-based simulcast from Chromium: Prism accepts three layers, learns their SSRCs from the
 * MID/RID extensions, and a viewer on an unshaped link is switched, at key frames, to the top
 * layer as it appears, decoding one continuous stream throughout. The publisher keeps its
 * resolution under CPU load ('maintain-resolution'), so the top layer is 1280 wide when it comes.
 */
class SimulcastTest {
    @Test
    void viewerGetsTheTopLayerOfAThreeLayerPublisher() throws Exception {
        assumeTrue(Chromium.available(), "chromium is not installed (.ci/run installs it)");
        try (PrismServer server = PrismFixture.start(1); Chromium chromium = Chromium.launch()) {
            BrowserPage publisher = chromium.open(PrismFixture.base(server) + "/index.html");
            PrismFixture.injectScripts(publisher);
            publisher.eval("prismTest.whipPublish('sim', " + PrismFixture.js(server.token("p", "sim", true, false, 600))
                    + ", {width: 1280, height: 720, simulcast: true, degradationPreference: 'maintain-resolution'})"
                    + ".then(p => { window.pub = p; return true; })");
            publisher.waitUntil("prismTest.outbound(pub.pc)", v -> v.path("videoPackets").asInt() > 20, Duration.ofSeconds(15));

            BrowserPage viewer = chromium.open(PrismFixture.base(server) + "/index.html");
            PrismFixture.injectScripts(viewer);
            viewer.eval("prismTest.whepView('sim', " + PrismFixture.js(server.token("v", "sim", false, true, 600))
                    + ").then(v => { window.view = v; return true; })");
            long start = System.nanoTime();
            viewer.waitUntil("prismTest.inbound(view.pc)", v -> v.path("framesDecoded").asInt() > 0, Duration.ofSeconds(15));
            long firstFrame = (System.nanoTime() - start) / 1_000_000;
            JsonNode top = viewer.waitUntil("prismTest.inbound(view.pc)", v -> v.path("frameWidth").asInt() >= 1280,
                    Duration.ofSeconds(40));
            long topLayer = (System.nanoTime() - start) / 1_000_000;
            JsonNode layers = publisher.eval("prismTest.outbound(pub.pc)").path("layers");
            System.out.printf("simulcast: first frame %d ms, top layer (%d px) %d ms after the WHEP offer; layers sent %s%n",
                    firstFrame, top.path("frameWidth").asInt(), topLayer, layers);
            assertEquals(3, layers.size(), "three layers sent: " + layers);
            int before = top.path("framesDecoded").asInt();
            JsonNode later = viewer.waitUntil("prismTest.inbound(view.pc)",
                    v -> v.path("framesDecoded").asInt() > before + 60, Duration.ofSeconds(10));
            assertTrue(later.path("frameWidth").asInt() >= 320, "keeps decoding whole frames: " + later);
        }
    }
}
