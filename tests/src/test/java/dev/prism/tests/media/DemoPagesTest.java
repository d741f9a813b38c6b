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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo pages over the WebSocket protocol, as users open them: a publisher on the publish
 * page, viewers on the watch page (server-offered renegotiation), a second room alongside.
 */
class DemoPagesTest {
    private static PrismServer server;
    private static Chromium chromium;

    private static final String VIEWER_STATS = """
            (async () => { const s = await (await import('/prism.js')).summarize(prism.subscriber);
              s.tiles = document.querySelectorAll('#grid video').length; s.ended = window.ended.length;
              s.status = document.getElementById('status').textContent; return s; })()""";

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Chromium.available(), "chromium is not installed (.ci/run installs it)");
        server = PrismFixture.start(2);
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

    /** Each test's tabs close with it, so the next one does not share the CPU with their encoders. */
    @AfterEach
    void closePages() {
        if (chromium != null) {
            chromium.closePages();
        }
    }

    private BrowserPage open(String page, String room, String identity, boolean publish, boolean subscribe)
            throws Exception {
        String token = server.token(identity, room, publish, subscribe, 600);
        return chromium.open(PrismFixture.base(server) + "/" + page + "?room=" + room + "&identity=" + identity
                + "&token=" + token);
    }

    private static BrowserPage publish(BrowserPage page) throws Exception {
        page.waitUntil("document.getElementById('camera').options.length", v -> v.asInt() > 0, Duration.ofSeconds(10));
        page.eval("document.getElementById('publish').click(); true");
        page.waitUntil("document.getElementById('status').textContent", v -> v.asText().startsWith("publishing"),
                Duration.ofSeconds(10));
        return page;
    }

    @Test
    void publishPageToTwoWatchPagesThenThePublisherLeaves() throws Exception {
        String room = "pages";
        // A second room with its own publisher and viewer must see nothing of the first.
        BrowserPage otherPublisher = publish(open("publish.html", "other", "carol", true, false));
        BrowserPage otherViewer = open("watch.html", "other", "dave", false, true);

        BrowserPage publisher = publish(open("publish.html", room, "alice", true, false));
        BrowserPage[] viewers = {open("watch.html", room, "bob", false, true), open("watch.html", room, "eve", false, true)};
        long joined = System.nanoTime();
        for (BrowserPage v : viewers) {
            JsonNode s = v.waitUntil(VIEWER_STATS,
                    x -> x.path("inVideoFrames").asInt() > 0 && x.path("inAudioPackets").asInt() > 0,
                    Duration.ofSeconds(10));
            assertEquals(1, s.path("tiles").asInt(), "one publisher, one tile: " + s);
        }
        System.out.printf("demo pages: both watch pages decoding %d ms after opening%n",
                (System.nanoTime() - joined) / 1_000_000);
        for (BrowserPage v : viewers) {
            int before = v.eval(VIEWER_STATS).path("inVideoFrames").asInt();
            v.waitUntil(VIEWER_STATS, x -> x.path("inVideoFrames").asInt() > before + 30, Duration.ofSeconds(10));
        }
        JsonNode other = otherViewer.waitUntil(VIEWER_STATS, x -> x.path("inVideoFrames").asInt() > 0,
                Duration.ofSeconds(10));
        assertEquals(1, other.path("tiles").asInt(), "room 'other' sees only its own publisher: " + other);

        publisher.eval("document.getElementById('stop').click(); true");
        for (BrowserPage v : viewers) {
            JsonNode s = v.waitUntil(VIEWER_STATS, x -> x.path("ended").asInt() >= 2 && x.path("tiles").asInt() == 0,
                    Duration.ofSeconds(10));
            assertTrue(s.path("status").asText().contains("alice"), "viewer was told: " + s);
            JsonNode received = v.eval("prism.received");
            assertTrue(received.toString().contains("participantLeft") && received.toString().contains("trackUnpublished")
                    && !received.toString().contains("error"), received.toString());
        }
        int otherBefore = otherViewer.eval(VIEWER_STATS).path("inVideoFrames").asInt();
        otherViewer.waitUntil(VIEWER_STATS, x -> x.path("inVideoFrames").asInt() > otherBefore + 30,
                Duration.ofSeconds(10));
        otherPublisher.eval("document.getElementById('stop').click(); true");
    }

    @Test
    void roomPageEveryonePublishesAndSeesEveryoneElse() throws Exception {
        String room = "meeting";
        BrowserPage[] people = {open("room.html", room, "ann", true, true), open("room.html", room, "ben", true, true),
                open("room.html", room, "cid", true, true)};
        String state = """
                (async () => { const s = await (await import('/prism.js')).summarize(prism.subscriber);
                  s.remote = document.querySelectorAll('#grid video:not(.self)').length; return s; })()""";
        for (BrowserPage p : people) {
            JsonNode s = p.waitUntil(state, x -> x.path("remote").asInt() == 2 && x.path("inVideoFrames").asInt() > 20
                    && x.path("inAudioPackets").asInt() > 20, Duration.ofSeconds(20));
            assertEquals(2, s.path("remote").asInt(), "sees the two others, not itself: " + s);
        }
    }
}
