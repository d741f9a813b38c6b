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
 * Every viewer must get video, with little loss, bounded added latency and no SRTP authentication
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
            // Functional bounds, not performance ones: this runs in one JVM (paranoid leak detection) on a loaded
            // CI machine. A forwarder that drops or stalls packets still fails them: loss counts every gap in a
            // viewer's sequence numbers, latency is each packet's send stamp to its arrival.
            assertTrue(r.lossMaxPercent() < 5.0, "loss below 5 % at every viewer: " + r.text());
            // Against what the publisher sent on the top layer and audio in the window: a forwarder that dropped
            // packets and renumbered over the holes would pass the loss bound above and fail this one.
            assertTrue(r.deliveredMinPercent() > 90, "every viewer got what the publisher sent: " + r.text());
            assertTrue(r.latencySamples() > 1000, "latency measured: " + r.text());
            // The load tool scraped the server's /metrics (admin token from the key) at the window's start and end.
            assertTrue(r.serverWindowAllocBytesPerPacket() >= 0, "allocation per packet over the window: " + r.text());
            if (Runtime.version().feature() >= 22 && io.netty.channel.epoll.Epoll.isAvailable()) {
                // The server's own share of the latency, from its histogram over the same window.
                assertTrue(r.serverDelaySamples() > 1000, "forwarding delay timed in the window: " + r.text());
                assertTrue(r.serverDelayP50Ms() > 0 && r.serverDelayP50Ms() <= r.serverDelayP99Ms(), r.text());
            }
            assertTrue(r.latencyP50Millis() < 500, "added latency p50 below 500 ms: " + r.text());
            assertEquals(0, r.authFailures(), "no SRTP authentication failures");
            assertEquals(0, r.badStamps(), "every payload carried a readable send stamp");
            // The profile each side's handshake chose, reported so a benchmark states its cipher: Prism
            // prefers AES-128-GCM (the load tool offers both GCM sizes and both AES-CM ones).
            assertEquals("AEAD_AES_128_GCM", r.publisherSrtp(), r.text());
            assertEquals("AEAD_AES_128_GCM", r.viewerSrtp(), r.text());
            assertTrue(r.keyFrameRequests() >= 1 && r.keyFramesSent() >= 1, "viewers' PLIs reached the publisher");
            // Four viewers of the top layer, which is 1 / (0.083 + 0.28 + 1) of what the publisher sends (the
            // load tool's simulcast ladder, VideoLayer.RATE_SHARE; 1.8 of 2.45 Mbit/s): about 7.2 Mbit/s. Compared
            // with what the publisher measurably sent in the same window, so a starved publisher does not fail it;
            // half of that is still far above a forwarder that drops every other packet or serves a lower layer.
            double expectedMbps = 4 * r.publishedMbps() / (0.083 + 0.28 + 1.0);
            assertTrue(r.publishedMbps() > 0.5, "the publisher sent its layers: " + r.text());
            assertTrue(r.throughputMbps() > expectedMbps / 2, "four viewers of the top layer, expected about "
                    + String.format("%.2f", expectedMbps) + " Mbit/s: " + r.text());
            assertEquals(3, r.layers(), "the publisher sent three simulcast layers");
            // The viewers pin the top layer (WHEP ?video_layer=top): Prism sends f from their first key
            // frame instead of starting low and probing up (that path: AdaptationTest, in Chromium).
            assertTrue(r.viewerTopLayerShare() > 0.97, "the viewers' video came from the top layer: " + r.text());
            // 4 viewers x 20 feedbacks/s over the measured window (about 6 s: 480); a quarter of that allows for
            // ticks a loaded event loop runs late (a late tick reports more packets in one feedback). None fails it.
            double expectedFeedback = 4 * 20 * r.seconds();
            assertTrue(r.twccFeedbackSent() > expectedFeedback / 4, "viewers sent transport-wide CC feedback, expected about "
                    + Math.round(expectedFeedback) + ": " + r.text());
            // The server's TWCC to the publisher too.
            assertTrue(r.publisherTwccReceived() > 0, "the server sent transport-wide CC feedback to the publisher");
            assertTrue(r.serverRssKb() > 0 && r.serverCpuSeconds() > 0, "server figures from /proc");
            // The load tool's own CPU share (here the same process as the server's, so at least that).
            assertTrue(r.clientCores() > 0 && r.clientCores() >= r.serverCores() * 0.9, "load tool CPU from /proc: " + r.text());
            // In process, the server's media loops are this JVM's prism-media threads: a part of its CPU.
            assertTrue(r.serverMediaCores() > 0 && r.serverMediaCores() <= r.serverCores() + 0.01,
                    "media loops' CPU from /proc/PID/task: " + r.text());
            assertEquals(0, server.mediaCounters().srtpAuthFailures.sum(), "the server authenticated every packet");
        }
    }
}
