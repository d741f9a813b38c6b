package dev.prism.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.loadtest.BenchmarkPlots.Point;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BenchmarkSummaryTest {
    /** A 100-viewer run's summary, open for more fields. */
    private static final String RUN_100 = "{\"viewers\":100,\"seconds\":10,\"packetsPerSecond\":26000,\"serverCpuSeconds\":3.0,"
            + "\"latencyP50Ms\":1.0,\"latencyP99Ms\":4.0,\"serverRssKb\":1024";

    /** The series bench/run.sh's results file {@code tsv} (server, viewers, summary per line) reads as. */
    private static Map<String, TreeMap<Integer, Point>> read(java.nio.file.Path dir, String tsv) throws java.io.IOException {
        java.nio.file.Path file = dir.resolve("results.tsv");
        java.nio.file.Files.writeString(file, tsv);
        return BenchmarkPlots.read(file);
    }

    private static Point point(int viewers, double lossMax, double p99, double rssMiB, double packetsPerCpuSecond) {
        return new Point(1, packetsPerCpuSecond * 10, 10, 10, lossMax / 2, lossMax, p99 / 4, p99, rssMiB, viewers, 0, 0.2, 3.0, 1.0, 0.5, BenchmarkPlots.ThreadCores.UNKNOWN, 2.66, "–", Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    @Test
    void mostViewersInBoundsHalfLoadAndRssSlope() {
        TreeMap<Integer, Point> prism = new TreeMap<>(Map.of(
                100, point(100, 0.0, 10, 300, 90_000),
                200, point(200, 0.5, 40, 400, 95_000),
                400, point(400, 2.0, 30, 600, 80_000))); // 2 % loss: out of bounds
        BenchmarkSummary.Figures f = BenchmarkSummary.figures(prism);
        assertEquals(200, f.maxViewersInBounds());
        assertEquals(100, f.halfLoadViewers());
        assertEquals(10.0 / 4, f.halfLoadP50(), 1e-9);
        assertEquals(95_000, f.bestPacketsPerCpuSecond(), 1e-6);
        assertEquals(1024.0, f.rssKiBPerViewer(), 1e-6); // 1 MiB per viewer
        TreeMap<Integer, Point> janus = new TreeMap<>(Map.of(100, point(100, 0.0, 60, 100, 45_000))); // p99 out of bounds
        String md = BenchmarkSummary.markdown(Map.of("prism", prism, "janus", janus));
        assertTrue(md.contains("prism / janus: best packets per CPU-second 2.11×"), md);
        assertTrue(md.contains("| janus | 45000 | none |"), md);
    }

    @Test
    void aStepWhereAServerForwardedNothingHasNoRatiosAndNoPartInTheRssSlope() {
        TreeMap<Integer, Point> prism = new TreeMap<>(Map.of(
                100, point(100, 0.0, 10, 300, 90_000),
                200, point(200, 0.0, 20, 400, 95_000)));
        TreeMap<Integer, Point> janus = new TreeMap<>(Map.of(
                100, point(100, 0.0, 20, 100, 45_000),
                200, point(200, 0.0, 30, 200, 45_000)));
        janus.put(800, point(800, 0.0, 0, 14_000, 0)); // collapsed: nothing forwarded, 14 GB
        prism.put(800, point(800, 0.0, 200, 700, 99_000));
        assertEquals(1024.0, BenchmarkSummary.rssSlopeKiB(janus), 1e-6, "the collapsed step left out");
        String md = BenchmarkPlots.markdown(Map.of("prism", prism, "janus", janus), "", "cpu.png", "p99.png");
        assertTrue(md.contains("| 800 | – | – | – | – | 0.05 |"), md);
        assertTrue(!md.contains("Infinity") && !md.contains("NaN |"), md);
    }

    @Test
    void aStepWhereAViewerGotLittleOfWhatWasPublishedIsNotInBoundsThoughNoLossWasCounted() {
        Point undecryptable = new Point(1, 900_000, 10, 10, 0, 0, 1, 4, 300, 300, 0, 0.2, 3.0, 1.0, 0.5,
                BenchmarkPlots.ThreadCores.UNKNOWN, 2.66, "–", 19.1, Double.NaN, Double.NaN, Double.NaN);
        Point fine = new Point(1, 900_000, 10, 10, 0, 0, 1, 4, 300, 200, 0, 0.2, 3.0, 1.0, 0.5,
                BenchmarkPlots.ThreadCores.UNKNOWN, 2.66, "–", 99.6, Double.NaN, Double.NaN, Double.NaN);
        assertEquals(200, BenchmarkSummary.figures(new TreeMap<>(Map.of(200, fine, 300, undecryptable))).maxViewersInBounds());
    }

    @Test
    void stepsOutOfBoundsBelowTheMostAreNamed() {
        TreeMap<Integer, Point> points = new TreeMap<>(Map.of(
                100, point(100, 0.0, 10, 300, 90_000),
                200, point(200, 0.0, 80, 400, 95_000), // p99 out of bounds in this run
                300, point(300, 0.0, 30, 500, 99_000)));
        BenchmarkSummary.Figures f = BenchmarkSummary.figures(points);
        assertEquals(300, f.maxViewersInBounds());
        assertEquals(java.util.List.of(200), f.outOfBoundsBelow());
        assertTrue(BenchmarkSummary.markdown(Map.of("prism", points)).contains("| 300 (not at 200) |"));
        assertEquals("100", BenchmarkSummary.figures(new TreeMap<>(Map.of(100, point(100, 0.0, 10, 300, 90_000),
                200, point(200, 2.0, 10, 400, 95_000)))).mostViewersCell(), "a failed step above the most is not named");
    }

    @Test
    void viewersOffTheTopLayerAreNotServedButUnmeasuredShareIs() {
        Point low = new Point(1, 900_000, 10, 10, 0, 0, 1, 4, 300, 300, 0, 0.2, 3.0, 0.5, 0.5, BenchmarkPlots.ThreadCores.UNKNOWN, 2.66, "–", Double.NaN, Double.NaN, Double.NaN, Double.NaN); // half the video from lower layers
        Point unmeasured = new Point(1, 900_000, 10, 10, 0, 0, 1, 4, 300, 100, 0, 0.2, 3.0, Double.NaN, 0.5, BenchmarkPlots.ThreadCores.UNKNOWN, 2.66, "–", Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        TreeMap<Integer, Point> points = new TreeMap<>(Map.of(100, unmeasured, 300, low));
        assertEquals(100, BenchmarkSummary.figures(points).maxViewersInBounds());
    }

    @Test
    void resultsAverageTheLoadToolsOwnCpuAndTheServersThreadsWhereRunsReportThem(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        Map<String, TreeMap<Integer, Point>> series = read(dir, "prism\t100\t" + RUN_100 + ",\"clientCores\":0.30,\"serverMediaCores\":0.20,"
                + "\"serverJitCores\":0.04,\"serverGcCores\":0.01}\n"
                + "prism\t100\t" + RUN_100 + ",\"clientCores\":0.50,\"serverMediaCores\":0.26,"
                + "\"serverJitCores\":0.00,\"serverGcCores\":0.01}\n"
                + "janus\t100\t" + RUN_100 + "}\n"); // a summary from before the load tool reported its CPU
        assertEquals(0.40, series.get("prism").get(100).clientCores(), 1e-9);
        assertTrue(Double.isNaN(series.get("janus").get(100).clientCores()));
        String md = BenchmarkPlots.markdown(series, "", "cpu.png", "p99.png");
        assertTrue(md.contains("load tool CPU cores |"), md);
        assertTrue(md.contains("| 0.40 | 0.23 / 0.02 / 0.01 |"), "the server's threads, averaged: " + md);
        assertTrue(Double.isNaN(series.get("janus").get(100).threads().media()));
    }

    @Test
    void resultsShowWhatThePublisherSentAndEachServersSrtpProfiles(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        Map<String, TreeMap<Integer, Point>> series = read(dir,
                "prism\t100\t" + RUN_100 + ",\"publishedMbps\":2.60,\"publisherSrtp\":\"AEAD_AES_128_GCM\","
                        + "\"viewerSrtp\":\"AEAD_AES_128_GCM\"}\n"
                + "prism\t100\t" + RUN_100 + ",\"publishedMbps\":2.70,\"publisherSrtp\":\"AEAD_AES_128_GCM\","
                        + "\"viewerSrtp\":\"AEAD_AES_128_GCM\"}\n"
                // A run whose window caught a burst of key frames shows it in what the publisher sent.
                + "janus\t100\t" + RUN_100 + ",\"publishedMbps\":4.06,\"publisherSrtp\":\"AEAD_AES_128_GCM\","
                        + "\"viewerSrtp\":\"AEAD_AES_256_GCM\"}\n"
                + "janus\t200\t" + RUN_100 + "}\n"); // a summary from before the load tool named the profiles
        assertEquals(2.65, series.get("prism").get(100).publishedMbps(), 1e-9);
        String md = BenchmarkPlots.markdown(series, "", "cpu.png", "p99.png");
        assertTrue(md.contains("| forwarded pkt/s | published Mbit/s |"), md);
        assertTrue(md.contains("| prism | 100 | 2 | 100 | 26000 | 2.65 | 3.00 |"), md);
        assertTrue(md.contains("| janus | 100 | 1 | 100 | 26000 | 4.06 | 3.00 |"), md);
        assertTrue(md.contains("SRTP profiles negotiated (publisher / viewers): prism AEAD_AES_128_GCM / AEAD_AES_128_GCM; "
                + "janus AEAD_AES_128_GCM / AEAD_AES_256_GCM."), md);
    }

    @Test
    void resultsShowTheLeastAnyViewerGotOfWhatThePublisherSent(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String run = "{\"viewers\":300,\"seconds\":10,\"packetsPerSecond\":72000,\"serverCpuSeconds\":9.0,"
                + "\"latencyP50Ms\":7.0,\"latencyP99Ms\":20.0,\"serverRssKb\":1024,\"lossMaxPercent\":0.0";
        Map<String, TreeMap<Integer, Point>> series = read(dir,
                "janus\t300\t" + run + ",\"deliveredMinPercent\":99.7}\n"
                // No gap at any viewer, yet a tenth of the packets never came: the server renumbered over its drops.
                + "janus\t300\t" + run + ",\"deliveredMinPercent\":89.5}\n"
                + "janus\t200\t" + run + "}\n"); // a summary from before the load tool counted it
        assertEquals(89.5, series.get("janus").get(300).deliveredMin(), 1e-9, "the worst run's");
        assertTrue(Double.isNaN(series.get("janus").get(200).deliveredMin()));
        String md = BenchmarkPlots.markdown(series, "", "cpu.png", "p99.png");
        assertTrue(md.contains("| loss avg % | loss max % | delivered min % |"), md);
        assertTrue(md.contains("| 0.000 | 0.000 | 89.50 |"), md);
        assertTrue(md.contains("| 0.000 | 0.000 | – |"), md);
    }

    @Test
    void resultsShowTheServersOwnWindowFiguresAndTheTargetsPreferTheWindowsAllocation(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String run = RUN_100 + ",\"lossMaxPercent\":0.0,\"serverAllocBytesPerPacket\":120.0";
        Map<String, TreeMap<Integer, Point>> series = read(dir,
                "prism\t100\t" + run + ",\"serverWindowAllocBytesPerPacket\":30.0,\"serverDelayP50Ms\":0.20,"
                        + "\"serverDelayP99Ms\":0.90,\"serverDelaySamples\":260000}\n"
                + "prism\t100\t" + run + ",\"serverWindowAllocBytesPerPacket\":50.0,\"serverDelayP50Ms\":0.30,"
                        + "\"serverDelayP99Ms\":1.10,\"serverDelaySamples\":260000}\n"
                // A summary from before the load tool scraped the server: only bench/run.sh's figure from start.
                + "prism-old\t100\t" + run + "}\n"
                // Janus: the load tool writes null, bench/run.sh adds nothing.
                + "janus\t100\t" + RUN_100 + ",\"lossMaxPercent\":0.0,\"serverWindowAllocBytesPerPacket\":null,"
                        + "\"serverDelayP50Ms\":null,\"serverDelayP99Ms\":null,\"serverDelaySamples\":null}\n");
        Point p = series.get("prism").get(100);
        assertEquals(40.0, p.windowAllocBytesPerPacket(), 1e-9);
        assertEquals(0.25, p.serverDelayP50(), 1e-9);
        assertEquals(1.00, p.serverDelayP99(), 1e-9);
        String md = BenchmarkPlots.markdown(series, "", "cpu.png", "p99.png");
        assertTrue(md.contains("| latency p50 ms | latency p99 ms | server delay p50 / p99 ms | RSS MiB | GC pause p99 ms "
                + "| B alloc/pkt (from start, with set-up) | B alloc/pkt (window) |"), md);
        assertTrue(md.contains("| 1.00 | 4.00 | 0.250 / 1.000 | 1.0 | – | 120.0 | 40.0 |"), md);
        assertTrue(md.contains("| prism-old | 100 | 1 | 100 | 26000 |"), md);
        assertTrue(md.contains("| 1.00 | 4.00 | – | 1.0 | – | 120.0 | – |"), "the old summary: " + md);
        assertTrue(md.contains("| 1.00 | 4.00 | – | 1.0 | – | – | – |"), "janus: " + md);
        // Against the targets: the window's figure where there is one, else the one from start, marked.
        assertTrue(md.contains("measured window, else from start with set-up) |"), md);
        assertTrue(md.contains("| – | 40.0 |\n"), md);
        assertTrue(md.contains("| – | 120.0 (from start) |\n"), md);
        assertEquals(40.0, BenchmarkSummary.figures(series.get("prism")).allocBytesPerPacket(), 1e-9);
        assertTrue(BenchmarkSummary.figures(series.get("prism")).allocInWindow());
        assertEquals(120.0, BenchmarkSummary.figures(series.get("prism-old")).allocBytesPerPacket(), 1e-9);
    }
}
