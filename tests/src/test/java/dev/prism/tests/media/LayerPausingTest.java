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
 * A prism.js simulcast publisher and one WebSocket viewer that wants small video: Prism tells
 * the publisher (a {@code layers} message) to pause the top layer nobody receives, so Chromium
 * stops sending it; when the viewer lifts its size limit the layer is resumed and the viewer
 * decodes full-size frames.
 */
class LayerPausingTest {
    private static final String ROOM = "layers";
    /** Each simulcast rid's outbound-rtp: bytes sent, whether active, frame width; and the layers messages heard. */
    private static final String PUBLISHER_STATS = """
            (async () => { const out = {layersMessages: (pubClient.received || []).filter(t => t === 'layers').length};
              (await pubClient.publisher.getStats()).forEach(s => { if (s.type === 'outbound-rtp' && s.rid)
                out[s.rid] = {bytes: s.bytesSent || 0, active: s.active, width: s.frameWidth || 0}; });
              return out; })()""";

    @Test
    void theTopLayerIsPausedWhileNobodyWantsItAndResumedWhenWanted() throws Exception {
        assumeTrue(Chromium.available(), "chromium is not installed (.ci/run installs it)");
        try (PrismServer server = PrismFixture.start(1); Chromium chromium = Chromium.launch()) {
            long start = System.nanoTime();
            BrowserPage publisher = chromium.open(PrismFixture.base(server) + "/index.html");
            publisher.eval("""
                    (async () => { const {PrismClient} = await import('/prism.js');
                      const c = new PrismClient(location.origin, %s); await c.join('%s');
                      const stream = await navigator.mediaDevices.getUserMedia({video: {width: 1280, height: 720, frameRate: 30}});
                      await c.publish(stream, {simulcast: true}); window.pubClient = c; return true; })()"""
                    .formatted(PrismFixture.js(server.token("pub", ROOM, true, false, 600)), ROOM));

            BrowserPage viewer = chromium.open(PrismFixture.base(server) + "/index.html");
            viewer.eval("""
                    (async () => { const {PrismClient} = await import('/prism.js');
                      const c = new PrismClient(location.origin, %s); await c.join('%s');
                      await c.setMaxVideoSize(320, 180); window.subClient = c; return true; })()"""
                    .formatted(PrismFixture.js(server.token("view", ROOM, false, true, 600)), ROOM));
            String inbound = "(async () => (await import('/prism.js')).summarize(subClient.subscriber))()";
            viewer.waitUntil(inbound, v -> v.path("inVideoFrames").asInt() > 10, Duration.ofSeconds(10));

            // Nobody wants f (the viewer fits q; f may not even have ramped up yet): after 5 s of
            // hysteresis and a message, f stops.
            JsonNode paused = publisher.waitUntil(PUBLISHER_STATS, s -> s.path("f").path("active").isBoolean()
                    && !s.path("f").path("active").asBoolean(), Duration.ofSeconds(12));
            long pausedAt = (System.nanoTime() - start) / 1_000_000;
            Thread.sleep(1000); // let bytes in flight drain from the stats
            long before = publisher.eval(PUBLISHER_STATS).path("f").path("bytes").asLong();
            Thread.sleep(1500);
            JsonNode later = publisher.eval(PUBLISHER_STATS);
            long growth = later.path("f").path("bytes").asLong() - before;
            assertTrue(growth < 2000, "f sends nothing while paused: " + growth + " bytes in 1.5 s; " + later);
            assertTrue(later.path("q").path("active").asBoolean(true), "the lowest layer keeps flowing: " + later);
            JsonNode small = viewer.eval(inbound);
            assertTrue(small.path("inWidth").asInt() <= 320, "the viewer gets the small layer: " + small);

            // The viewer lifts its limit: f is resumed and the viewer decodes full-size frames.
            viewer.eval("subClient.setMaxVideoSize(0, 0).then(() => true)");
            long lifted = System.nanoTime();
            JsonNode resumed = publisher.waitUntil(PUBLISHER_STATS, s -> s.path("f").path("active").asBoolean(false),
                    Duration.ofSeconds(15));
            long resumedAfter = (System.nanoTime() - lifted) / 1_000_000;
            // Full size is the top layer's current width: 1280, unless Chromium scaled its camera down under CPU
            // load, which scales every layer alike. Frames as wide as f's and wider than twice q's (which keeps
            // flowing, so its width is fresh) can only be f's; a viewer left on q or h never gets there.
            long fullDeadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            JsonNode full = viewer.eval(inbound);
            JsonNode sent = publisher.eval(PUBLISHER_STATS);
            while (!fullSize(full, sent) && System.nanoTime() < fullDeadline) {
                Thread.sleep(200);
                full = viewer.eval(inbound);
                sent = publisher.eval(PUBLISHER_STATS);
            }
            assertTrue(fullSize(full, sent), "the viewer decodes the top layer within 20 s: viewer " + full
                    + ", publisher " + sent);
            long fullAfter = (System.nanoTime() - lifted) / 1_000_000;
            System.out.printf("layer pausing: f paused %d ms after start (%s); after the limit was lifted f resumed in"
                    + " %d ms, full-size frames decoded in %d ms; publisher %s; viewer %s%n", pausedAt, paused,
                    resumedAfter, fullAfter, resumed, full);
        }
    }

    /** The viewer's frames are the publisher's top layer: as wide as f and wider than h (twice q). */
    private static boolean fullSize(JsonNode viewer, JsonNode publisher) {
        int width = viewer.path("inWidth").asInt();
        int f = publisher.path("f").path("width").asInt();
        int q = publisher.path("q").path("width").asInt();
        return f > 0 && q > 0 && width >= f && width > 2 * q;
    }
}
