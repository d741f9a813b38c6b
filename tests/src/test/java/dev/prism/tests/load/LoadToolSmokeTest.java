package dev.prism.tests.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.api.PrismServer;
import dev.prism.loadtest.LoadConfig;
import dev.prism.loadtest.LoadReport;
import dev.prism.loadtest.LoadRun;
import dev.prism.tests.media.PrismFixture;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The load tool against a real server on loopback, in-process: one synthetic simulcast publisher
 * (three VP8 layers) and four WHEP viewers sending transport-wide CC feedback, for about 6 s.
 * Every viewer must get video, with little loss, low added latency and no SRTP authentication
 * failure; the server must have accepted the simulcast offer, sent the pinned top layer
 * ({@code ?video_layer=top}), taken the viewers' TWCC feedback and seen their keyframe requests.
 */
class LoadToolSmokeTest {
    @Test
    void onePublisherFourViewers() throws Exception {
        String[] key = PrismFixture.KEYS.split(":", 2);
        try (PrismServer server = PrismFixture.start(1)) {
            LoadConfig config = LoadConfig.of(URI.create(PrismFixture.base(server)), "load-smoke", 1, 4,
                    Duration.ofSeconds(6), key[0], key[1], ProcessHandle.current().pid());
            LoadReport r = LoadRun.run(config, System.out);
            System.out.print(r.text());
            System.out.println(r.json());

            assertEquals(1, r.publishers(), "publisher connected");
            assertEquals(4, r.viewers(), "every viewer connected");
            assertEquals(0, r.viewersWithoutVideo(), r.text());
            // 30 fps in 6 s is 180 frames of 7 packets each; a quarter of that is plenty of margin.
            assertTrue(r.minViewerVideoPackets() > 200, "every viewer received video packets: " + r.text());
            assertTrue(r.lossMaxPercent() < 1.0, "loss below 1 % at every viewer: " + r.text());
            assertTrue(r.latencySamples() > 1000, "latency measured: " + r.text());
            assertTrue(r.latencyP50Millis() < 50, "added latency p50 below 50 ms: " + r.text());
            assertEquals(0, r.authFailures(), "no SRTP authentication failures");
            assertEquals(0, r.badStamps(), "every payload carried a readable send stamp");
            assertTrue(r.keyFrameRequests() >= 1 && r.keyFramesSent() >= 1, "viewers' PLIs reached the publisher");
            assertTrue(r.throughputMbps() > 4 * 1.0, "four viewers of a 1.8 Mbit/s top layer: " + r.text());
            assertEquals(3, r.layers(), "the publisher sent three simulcast layers");
            // The viewers pin the top layer (WHEP ?video_layer=top): Prism sends f from their first key
            // frame instead of starting low and probing up (that path: AdaptationTest, in Chromium).
            assertTrue(r.viewerTopLayerShare() > 0.97, "the viewers' video came from the top layer: " + r.text());
            // 4 viewers x 20 feedbacks/s x 6 s is 480; the server's TWCC to the publisher too.
            assertTrue(r.twccFeedbackSent() > 240, "viewers sent transport-wide CC feedback: " + r.text());
            assertTrue(r.publisherTwccReceived() > 0, "the server sent transport-wide CC feedback to the publisher");
            assertTrue(r.serverRssKb() > 0 && r.serverCpuSeconds() > 0, "server figures from /proc");
            assertEquals(0, server.mediaCounters().srtpAuthFailures.sum(), "the server authenticated every packet");
        }
    }
}
