package dev.prism.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

class ServerMetricsWindowTest {
    private static final String KEY = "bench";
    private static final String SECRET = "bench-secret-of-at-least-thirty-two-characters";

    /** Two workers' delay histograms (ms bounds in seconds) and the allocation counters. */
    private static String exposition(long forwarded, long allocated, long w0Fast, long w0Slow, long w1Slow) {
        StringBuilder s = new StringBuilder("# TYPE prism_packets_forwarded_total counter\n");
        s.append("prism_packets_forwarded_total ").append(forwarded).append(".0\n");
        s.append("prism_media_allocated_bytes_total ").append(allocated).append(".0\n");
        long[][] w = {{w0Fast, w0Slow}, {0, w1Slow}};
        for (int i = 0; i < 2; i++) {
            long fast = w[i][0];
            long all = fast + w[i][1];
            s.append("prism_forwarding_delay_seconds_bucket{worker=\"").append(i).append("\",le=\"5.0E-4\"} ").append(fast).append('\n');
            s.append("prism_forwarding_delay_seconds_bucket{worker=\"").append(i).append("\",le=\"0.001\"} ").append(fast).append('\n');
            s.append("prism_forwarding_delay_seconds_bucket{worker=\"").append(i).append("\",le=\"0.002\"} ").append(all).append('\n');
            s.append("prism_forwarding_delay_seconds_bucket{worker=\"").append(i).append("\",le=\"+Inf\"} ").append(all).append('\n');
            s.append("prism_forwarding_delay_seconds_count{worker=\"").append(i).append("\"} ").append(all).append('\n');
        }
        return s.toString();
    }

    @Test
    void theWindowsFiguresLeaveOutWhatCameBefore() {
        // Set-up: 1000 packets, 5 MB allocated, all fast. The window: 10,000 packets, 2 MB, all in (1, 2] ms.
        PrometheusText.Scrape start = PrometheusText.parse(exposition(1_000, 5_000_000, 1_000, 0, 0));
        PrometheusText.Scrape end = PrometheusText.parse(exposition(11_000, 7_000_000, 1_000, 6_000, 4_000));
        ServerMetricsWindow.Figures f = ServerMetricsWindow.figures(start, end);
        assertEquals(200.0, f.allocBytesPerPacket(), 1e-9);
        assertEquals(1.5, f.delayP50Ms(), 1e-9);
        assertEquals(1.99, f.delayP99Ms(), 1e-9);
        assertEquals(10_000, f.delaySamples());
    }

    @Test
    void noPacketsOrNoMetricGivesNaN() {
        PrometheusText.Scrape same = PrometheusText.parse(exposition(1_000, 5_000_000, 1_000, 0, 0));
        ServerMetricsWindow.Figures idle = ServerMetricsWindow.figures(same, same);
        assertTrue(Double.isNaN(idle.allocBytesPerPacket()), "no packet forwarded in the window");
        assertTrue(Double.isNaN(idle.delayP50Ms()));
        assertEquals(0, idle.delaySamples());
        PrometheusText.Scrape bare = PrometheusText.parse("prism_packets_forwarded_total 5\n");
        ServerMetricsWindow.Figures none = ServerMetricsWindow.figures(bare, PrometheusText.parse("prism_packets_forwarded_total 9\n"));
        assertTrue(Double.isNaN(none.allocBytesPerPacket()), "no allocation counter");
        assertTrue(Double.isNaN(none.delayP99Ms()), "a server without the histogram");
        assertEquals(-1, none.delaySamples());
    }

    @Test
    void scrapesWithAnAdminTokenAndGoesOnWithoutFigures() throws Exception {
        List<String> bodies = new ArrayList<>(List.of(exposition(1_000, 5_000_000, 1_000, 0, 0),
                exposition(11_000, 7_000_000, 1_000, 6_000, 4_000)));
        ConcurrentLinkedQueue<String> auth = new ConcurrentLinkedQueue<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/metrics", x -> {
            auth.add(String.valueOf(x.getRequestHeaders().getFirst("Authorization")));
            byte[] body = bodies.isEmpty() ? new byte[0] : bodies.remove(0).getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(body.length == 0 ? 403 : 200, body.length == 0 ? -1 : body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
            ServerMetricsWindow.Figures f = ServerMetricsWindow.of(true, base, KEY, SECRET, out).start().end();
            assertEquals(200.0, f.allocBytesPerPacket(), 1e-9);
            assertEquals(2, auth.size());
            for (String a : auth) {
                String claims = new String(java.util.Base64.getUrlDecoder().decode(a.substring("Bearer ".length()).split("\\.")[1]),
                        StandardCharsets.UTF_8);
                assertTrue(claims.contains("\"roomAdmin\":true") && claims.contains("\"iss\":\"bench\""), claims);
            }
            assertEquals("", log.toString(StandardCharsets.UTF_8));

            ServerMetricsWindow refused = ServerMetricsWindow.of(true, base, KEY, SECRET, out);
            assertFalse(refused.warm(), "a 403 to a warm-up scrape");
            assertEquals(ServerMetricsWindow.Figures.NONE, refused.start().end(), "a 403 leaves the figures NaN");
            ServerMetricsWindow keyless = ServerMetricsWindow.of(true, base, null, null, out);
            assertFalse(keyless.warm());
            assertEquals(ServerMetricsWindow.Figures.NONE, keyless.start().end());
            ServerMetricsWindow janus = ServerMetricsWindow.of(false, base, KEY, SECRET, out);
            assertFalse(janus.warm());
            assertEquals(ServerMetricsWindow.Figures.NONE, janus.start().end(), "Janus: nothing scraped, nothing said");
            assertEquals(2, log.toString(StandardCharsets.UTF_8).lines().count(), "one warning per run: " + log);
            assertEquals(4, auth.size(), "no scrape without a key, or of Janus");
        } finally {
            server.stop(0);
        }
    }
}
