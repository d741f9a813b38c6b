package dev.prism.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadReportTest {
    /**
     * A 100-viewer Prism run's report; the server's window figures as given. Auth failures 2,
     * replays 3, early media 17 and unreadable payloads 5 differ, so a mis-wired one shows.
     */
    private static LoadReport report(double alloc, double p50, double p99, long samples) {
        return new LoadReport(1, 1, 100, 100, 0, 10, 26000, 25000, 60, 2.6, 0, 0, 0, 1, 4, 9, 1000, 2000, 0, 2, 3, 17,
                5, 0, 0, 1, 1, 4242, 3, 0.3, 1024, 2048, 3, 1, 100, 0, 0, 250000, 5000, 500, 0.4, 0, 0.2, 0.04, 0.01,
                "AEAD_AES_128_GCM", "AEAD_AES_128_GCM", 99.5, alloc, p50, p99, samples);
    }

    @Test
    void textAndJsonCarryTheServersWindowFigures() throws Exception {
        LoadReport r = report(31.24, 0.2, 1.5, 260_000);
        assertTrue(r.text().contains("server           forwarding delay p50 0.20 ms, p99 1.50 ms (260000 samples); "
                + "31.2 B allocated per forwarded packet"), r.text());
        JsonNode j = new ObjectMapper().readTree(r.json());
        assertEquals(31.24, j.path("serverWindowAllocBytesPerPacket").asDouble(), 1e-9);
        assertEquals(0.2, j.path("serverDelayP50Ms").asDouble(), 1e-9);
        assertEquals(1.5, j.path("serverDelayP99Ms").asDouble(), 1e-9);
        assertEquals(260_000, j.path("serverDelaySamples").asLong());
        assertFalse(j.has("serverAllocBytesPerPacket"), "bench/run.sh's key, from server start");
    }

    @Test
    void textAndJsonCarryTheErrorCountsIncludingMediaBeforeKeys() throws Exception {
        LoadReport r = report(31.24, 0.2, 1.5, 260_000);
        assertTrue(r.text().contains("errors           SRTP auth failures 2, replays 3, early (before keys, whole run) 17, "
                + "unreadable payloads 5" + System.lineSeparator()), r.text());
        JsonNode j = new ObjectMapper().readTree(r.json());
        assertEquals(2, j.path("authFailures").asLong());
        assertEquals(3, j.path("replays").asLong());
        assertTrue(j.path("earlyMedia").isIntegralNumber(), r.json());
        assertEquals(17, j.path("earlyMedia").asLong());
        assertEquals(5, j.path("badStamps").asLong());
        assertEquals(0, j.path("nacksSent").asLong(), "the fields after it keep their places");
        assertEquals(1, j.path("keyFrameRequests").asLong());
    }

    @Test
    void unmeasuredFiguresAreLeftOutOfTheTextAndNullInJson() throws Exception {
        LoadReport janus = report(Double.NaN, Double.NaN, Double.NaN, -1);
        assertFalse(janus.text().contains("server           "), janus.text());
        JsonNode j = new ObjectMapper().readTree(janus.json());
        for (String k : new String[] {"serverWindowAllocBytesPerPacket", "serverDelayP50Ms", "serverDelayP99Ms", "serverDelaySamples"}) {
            assertTrue(j.has(k) && j.get(k).isNull(), k + " in " + janus.json());
        }
        LoadReport noHistogram = report(12.0, Double.NaN, Double.NaN, -1);
        assertTrue(noHistogram.text().contains("server           12.0 B allocated per forwarded packet"), noHistogram.text());
        assertFalse(noHistogram.text().contains("forwarding delay"), noHistogram.text());
    }

    @Test
    void theSummaryReadsBackIntoTheBenchmarkResults(@TempDir Path dir) throws Exception {
        Path tsv = dir.resolve("results.tsv");
        Files.writeString(tsv, "prism\t100\t" + report(31.24, 0.2, 1.5, 260_000).json() + "\n"
                + "janus\t100\t" + report(Double.NaN, Double.NaN, Double.NaN, -1).json() + "\n");
        var series = BenchmarkPlots.read(tsv);
        BenchmarkPlots.Point p = series.get("prism").get(100);
        assertEquals(31.24, p.windowAllocBytesPerPacket(), 1e-9);
        assertEquals(1.5, p.serverDelayP99(), 1e-9);
        assertTrue(Double.isNaN(series.get("janus").get(100).serverDelayP50()));
        assertTrue(Double.isNaN(series.get("janus").get(100).windowAllocBytesPerPacket()));
    }
}
