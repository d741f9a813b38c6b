package dev.prism.tests.media;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prism.api.PrismServer;
import dev.prism.tests.browser.BrowserPage;
import dev.prism.tests.browser.Chromium;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Transport-wide CC feedback to a publisher: Chromium's send-side estimate only grows on
 * feedback, so with it a 1280x720 camera's estimate ramps from the start rate (300 kbit/s) past
 * 1.5 Mbit/s. The camera keeps its resolution ('maintain-resolution'): under CPU load Chromium
 * would otherwise send smaller frames however good the estimate, and the estimate is what
 * feedback drives.
 */
class PublisherFeedbackTest {
    @Test
    void chromiumPublisherRampsUpOnTransportFeedback() throws Exception {
        assumeTrue(Chromium.available(), "chromium is not installed (.ci/run installs it)");
        try (PrismServer server = PrismFixture.start(1); Chromium chromium = Chromium.launch()) {
            BrowserPage publisher = chromium.open(PrismFixture.base(server) + "/index.html");
            PrismFixture.injectScripts(publisher);
            publisher.eval("prismTest.whipPublish('bwe', " + PrismFixture.js(server.token("p", "bwe", true, false, 600))
                    + ", {width: 1280, height: 720, degradationPreference: 'maintain-resolution'}).then(p => { window.pub = p; return true; })");
            long start = System.nanoTime();
            JsonNode s = publisher.waitUntil("prismTest.outbound(pub.pc)",
                    v -> v.path("availableOutgoingBitrate").asDouble() > 1_500_000 && v.path("frameWidth").asInt() >= 1280,
                    Duration.ofSeconds(40));
            System.out.printf("publisher feedback: estimate %.2f Mbit/s and %d px wide after %d ms%n",
                    s.path("availableOutgoingBitrate").asDouble() / 1e6, s.path("frameWidth").asInt(),
                    (System.nanoTime() - start) / 1_000_000);
            assertTrue(s.path("frameWidth").asInt() >= 1280, s.toString());
        }
    }
}
