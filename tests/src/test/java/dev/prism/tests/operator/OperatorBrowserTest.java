package dev.prism.tests.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.prism.api.PrismServer;
import dev.prism.tests.browser.BrowserPage;
import dev.prism.tests.browser.Chromium;
import dev.prism.tests.media.PrismFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What operators see and do, with Chromium peers: metrics rise with real media; removal really ends a publisher. */
class OperatorBrowserTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static double metric(PrismServer s, String name) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create(PrismFixture.base(s) + "/metrics"))
                .header("Authorization", "Bearer " + s.adminToken(60)).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(body);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(2));
        }
        return sum;
    }

    @Test
    void metricsRiseWithMediaAndARemovedWhipPublisherIsCutOff() throws Exception {
        assumeTrue(Chromium.available(), "chromium is not installed (.ci/run installs it)");
        String room = "ops-live";
        try (PrismServer s = PrismFixture.start(1); Chromium chromium = Chromium.launch()) {
            double forwardedBefore = metric(s, "prism_packets_forwarded_total");
            BrowserPage publisher = chromium.open(PrismFixture.base(s) + "/index.html");
            PrismFixture.injectScripts(publisher);
            publisher.eval("prismTest.whipPublish(" + PrismFixture.js(room) + ", "
                    + PrismFixture.js(s.token("streamer", room, true, false, 600)) + ").then(p => { window.pub = p; return true; })");
            publisher.waitUntil("prismTest.outbound(pub.pc)", v -> v.path("videoPackets").asInt() > 20, Duration.ofSeconds(15));
            BrowserPage viewer = chromium.open(PrismFixture.base(s) + "/index.html");
            PrismFixture.injectScripts(viewer);
            viewer.eval("prismTest.whepView(" + PrismFixture.js(room) + ", "
                    + PrismFixture.js(s.token("fan", room, false, true, 600)) + ").then(v => { window.view = v; return true; })");
            viewer.waitUntil("prismTest.inbound(view.pc)", v -> v.path("framesDecoded").asInt() > 30, Duration.ofSeconds(15));

            assertTrue(metric(s, "prism_packets_forwarded_total") > forwardedBefore + 100, "forwarded packets counted");
            assertTrue(metric(s, "prism_datagrams_received_total") > 100);
            assertEquals(2.0, metric(s, "prism_transports"), "one publisher and one viewer transport");
            assertEquals(2.0, metric(s, "prism_published_tracks"));
            assertEquals(2.0, metric(s, "prism_subscriptions"));
            assertTrue(metric(s, "prism_dtls_handshakes_seconds_count") >= 2);
            if (Runtime.version().feature() >= 22 && io.netty.channel.epoll.Epoll.isAvailable()) {
                // Timed where the media loop makes its own system calls: every forwarded copy, from its arrival.
                double timed = metric(s, "prism_forwarding_delay_seconds_count");
                assertTrue(timed > 100, "forwarded copies timed: " + timed);
                double mean = metric(s, "prism_forwarding_delay_seconds_sum") / timed;
                assertTrue(mean > 0 && mean < 0.05, "a copy spends well under 50 ms in the server on loopback: " + mean);
            }
            // The viewer's transport-wide CC feedback gives it a bandwidth estimate.
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (metric(s, "prism_subscriber_estimate_bits_per_second") <= 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(metric(s, "prism_subscriber_estimate_bits_per_second") >= 100_000,
                    "the viewer has a bandwidth estimate");

            HttpResponse<String> removed = HTTP.send(HttpRequest.newBuilder(URI.create(PrismFixture.base(s)
                    + "/v1/rooms/" + room + "/participants/streamer")).DELETE()
                    .header("Authorization", "Bearer " + s.adminToken(60)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(204, removed.statusCode(), removed.body());
            // The server closes the DTLS association (close_notify): the browser's connection ends at once.
            publisher.waitUntil("pub.pc.connectionState", v -> !v.asText().equals("connected"), Duration.ofSeconds(10));
            assertEquals(0.0, metric(s, "prism_published_tracks"));
        }
    }
}
