package dev.prism.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * Turns bench/run.sh's results (one line per load run: {@code server<TAB>viewers<TAB>summary
 * JSON}) into a Markdown report and two PNG plots, drawn with java.awt in headless mode (no
 * plotting tools on these machines). Repeats of one server and viewer count are averaged, CPU
 * figures as total CPU over total packets. Usage:
 * {@code BenchmarkPlots RESULTS.tsv OUT.md PLOT_DIR "header text" [FLOOR.tsv]}, the last the kernel's
 * floor measured in the same run ({@link SendFloorReport}).
 */
public final class BenchmarkPlots {
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0xff7f0e), new Color(0x9467bd)};

    /**
     * The averaged repeats of one server at one viewer count. {@code allocBytesPerPacket} is from
     * server start (bench/run.sh's, set-up included), {@code windowAllocBytesPerPacket} and the
     * server's forwarding delay from the load tool's measured window (Prism only; NaN elsewhere).
     */
    record Point(int runs, double packets, double seconds, double cpuSeconds, double lossAvg, double lossMax, double p50, double p99,
                 double rssMiB, double viewers, int failedRuns, double gcPauseP99Ms, double allocBytesPerPacket,
                 double topLayerShare, double clientCores, ThreadCores threads, double publishedMbps, String srtp,
                 double deliveredMin, double windowAllocBytesPerPacket, double serverDelayP50, double serverDelayP99) {
        double packetsPerCpuSecond() {
            return cpuSeconds > 0 ? packets / cpuSeconds : Double.NaN;
        }

        /** False for a step where the server forwarded nothing: it has no cost or latency per packet. */
        boolean forwarded() {
            return packetsPerCpuSecond() > 0;
        }

        double cpuMicrosPerPacket() {
            return packets > 0 ? cpuSeconds * 1e6 / packets : Double.NaN;
        }
    }

    /**
     * The server's CPU share by thread (the load tool's {@code serverMediaCores}, {@code serverJitCores},
     * {@code serverGcCores}), averaged over the runs that report it; NaN where none does.
     */
    record ThreadCores(double media, double jit, double gc) {
        static final ThreadCores UNKNOWN = new ThreadCores(Double.NaN, Double.NaN, Double.NaN);

        /** "media / JIT / GC" cores, or a dash for a server with none of these threads (Janus). */
        String cell() {
            return Double.isNaN(media) || media + jit + gc <= 0 ? "–" : f("%.2f / %.2f / %.2f", media, jit, gc);
        }
    }

    private BenchmarkPlots() {}

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        if (args.length < 3) {
            System.err.println("usage: BenchmarkPlots RESULTS.tsv OUT.md PLOT_DIR [header] [FLOOR.tsv]");
            System.exit(2);
        }
        Path results = Path.of(args[0]);
        Path md = Path.of(args[1]);
        Path plots = Path.of(args[2]);
        String header = args.length > 3 ? args[3] : "";
        Map<String, TreeMap<Integer, Point>> series = read(results);
        Files.createDirectories(plots);
        String cpuPng = "bench-sfu-cpu-per-packet.png";
        String p99Png = "bench-sfu-latency-p99.png";
        plot(series, Point::cpuMicrosPerPacket, "Server CPU per forwarded packet (µs, lower is better)", plots.resolve(cpuPng));
        // A step where a server forwarded nothing has no latency to draw (the tool reports 0 ms).
        plot(series, p -> p.forwarded() ? p.p99() : Double.NaN, "Added latency p99 (ms, lower is better)",
                plots.resolve(p99Png));
        String rel = md.toAbsolutePath().getParent().relativize(plots.toAbsolutePath()).toString();
        rel = rel.isEmpty() ? "" : rel + "/";
        String floor = args.length > 4 ? SendFloorReport.markdown(SendFloorReport.read(Path.of(args[4])), series) : "";
        Files.writeString(md, markdown(series, header, rel + cpuPng, rel + p99Png) + floor);
        System.out.println("wrote " + md + ", " + plots.resolve(cpuPng) + ", " + plots.resolve(p99Png));
    }

    static Map<String, TreeMap<Integer, Point>> read(Path results) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, TreeMap<Integer, List<JsonNode>>> raw = new LinkedHashMap<>();
        for (String line : Files.readAllLines(results)) {
            String[] f = line.split("\t", 3);
            if (f.length < 3 || line.isBlank()) {
                continue;
            }
            raw.computeIfAbsent(f[0], k -> new TreeMap<>()).computeIfAbsent(Integer.parseInt(f[1]), k -> new ArrayList<>())
                    .add(f[2].startsWith("{") ? json.readTree(f[2]) : null);
        }
        Map<String, TreeMap<Integer, Point>> out = new LinkedHashMap<>();
        raw.forEach((server, byViewers) -> {
            TreeMap<Integer, Point> points = new TreeMap<>();
            byViewers.forEach((viewers, runs) -> {
                double packets = 0, seconds = 0, cpu = 0, loss = 0, lossMax = 0, p50 = 0, p99 = 0, rss = 0, up = 0;
                double gcP99 = Double.NaN, alloc = 0, top = 0, client = 0, media = 0, jit = 0, gc = 0, published = 0;
                double delivered = Double.NaN, windowAlloc = 0, delayP50 = 0, delayP99 = 0;
                TreeSet<String> srtp = new TreeSet<>();
                int n = 0, failed = 0, allocRuns = 0, topRuns = 0, clientRuns = 0, threadRuns = 0, windowRuns = 0, delayRuns = 0;
                for (JsonNode r : runs) {
                    if (r == null || r.path("serverCpuSeconds").isNull() || r.path("viewers").asInt() == 0) {
                        failed++;
                        continue;
                    }
                    n++;
                    packets += r.path("packetsPerSecond").asDouble() * r.path("seconds").asDouble();
                    seconds += r.path("seconds").asDouble();
                    cpu += r.path("serverCpuSeconds").asDouble();
                    loss += r.path("lossAvgPercent").asDouble();
                    lossMax = Math.max(lossMax, r.path("lossMaxPercent").asDouble());
                    p50 += r.path("latencyP50Ms").asDouble();
                    p99 += r.path("latencyP99Ms").asDouble();
                    rss += r.path("serverRssKb").asDouble() / 1024;
                    up += r.path("viewers").asDouble();
                    published += r.path("publishedMbps").asDouble();
                    if (r.hasNonNull("viewerSrtp")) { // absent before the load tool reported the profiles
                        srtp.add(r.path("publisherSrtp").asText() + " / " + r.path("viewerSrtp").asText());
                    }
                    if (r.hasNonNull("deliveredMinPercent")) { // absent before the load tool counted it, or off the top layer
                        double d = r.path("deliveredMinPercent").asDouble();
                        delivered = Double.isNaN(delivered) ? d : Math.min(delivered, d);
                    }
                    // The load tool's own scrapes of Prism's /metrics over the window: absent in older
                    // summaries, null for Janus or when a scrape failed.
                    if (r.hasNonNull("serverWindowAllocBytesPerPacket")) {
                        windowAlloc += r.path("serverWindowAllocBytesPerPacket").asDouble();
                        windowRuns++;
                    }
                    if (r.hasNonNull("serverDelayP50Ms") && r.hasNonNull("serverDelayP99Ms")) {
                        delayP50 += r.path("serverDelayP50Ms").asDouble();
                        delayP99 += r.path("serverDelayP99Ms").asDouble();
                        delayRuns++;
                    }
                    if (r.hasNonNull("clientCores")) { // absent in summaries from before the load tool reported it
                        client += r.path("clientCores").asDouble();
                        clientRuns++;
                    }
                    if (r.hasNonNull("serverMediaCores")) { // absent before the load tool read threads
                        media += r.path("serverMediaCores").asDouble();
                        jit += r.path("serverJitCores").asDouble();
                        gc += r.path("serverGcCores").asDouble();
                        threadRuns++;
                    }
                    if (r.hasNonNull("viewerTopLayerShare") && r.path("layers").asInt() > 1) {
                        top += r.path("viewerTopLayerShare").asDouble();
                        topRuns++;
                    }
                    // Server-only figures bench/run.sh adds for Prism: the worst run's GC pause p99,
                    // the mean allocation per forwarded packet.
                    if (r.hasNonNull("serverGcPauseP99Ms")) {
                        double g = r.path("serverGcPauseP99Ms").asDouble();
                        gcP99 = Double.isNaN(gcP99) ? g : Math.max(gcP99, g);
                    }
                    if (r.hasNonNull("serverAllocBytesPerPacket")) {
                        alloc += r.path("serverAllocBytesPerPacket").asDouble();
                        allocRuns++;
                    }
                }
                double allocMean = allocRuns == 0 ? Double.NaN : alloc / allocRuns;
                double topMean = topRuns == 0 ? Double.NaN : top / topRuns;
                double clientMean = clientRuns == 0 ? Double.NaN : client / clientRuns;
                ThreadCores threads = threadRuns == 0 ? ThreadCores.UNKNOWN
                        : new ThreadCores(media / threadRuns, jit / threadRuns, gc / threadRuns);
                points.put(viewers, n == 0 ? new Point(0, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, failed,
                        Double.NaN, Double.NaN, Double.NaN, Double.NaN, ThreadCores.UNKNOWN, Double.NaN, "–", Double.NaN,
                        Double.NaN, Double.NaN, Double.NaN)
                        : new Point(n, packets, seconds, cpu, loss / n, lossMax, p50 / n, p99 / n, rss / n, up / n, failed,
                        gcP99, allocMean, topMean, clientMean, threads, published / n,
                        srtp.isEmpty() ? "–" : String.join(", ", srtp), delivered,
                        windowRuns == 0 ? Double.NaN : windowAlloc / windowRuns,
                        delayRuns == 0 ? Double.NaN : delayP50 / delayRuns, delayRuns == 0 ? Double.NaN : delayP99 / delayRuns));
            });
            out.put(server, points);
        });
        return out;
    }

    static String markdown(Map<String, TreeMap<Integer, Point>> series, String header, String cpuPng, String p99Png) {
        StringBuilder s = new StringBuilder(header);
        s.append("\n## Results\n\n");
        s.append("| server | viewers | runs | viewers up | forwarded pkt/s | published Mbit/s | server CPU s | pkt per CPU-second | CPU µs/pkt "
                + "| loss avg % | loss max % | delivered min % | latency p50 ms | latency p99 ms | server delay p50 / p99 ms | RSS MiB "
                + "| GC pause p99 ms | B alloc/pkt (from start, with set-up) | B alloc/pkt (window) | top layer % "
                + "| load tool CPU cores | server media / JIT / GC cores |\n");
        s.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        series.forEach((server, points) -> points.forEach((viewers, p) -> s.append(f(
                "| %s | %d | %d%s | %.0f | %.0f | %.2f | %.2f | %.0f | %s | %.3f | %.3f | %s | %s | %s | %s | %.1f | %s | %s | %s | %s | %s | %s |\n",
                server,
                viewers, p.runs(), p.failedRuns() > 0 ? " (+" + p.failedRuns() + " failed)" : "", p.viewers(),
                p.runs() == 0 ? Double.NaN : p.packets() / p.seconds(), p.publishedMbps(), p.cpuSeconds() / Math.max(1, p.runs()),
                p.packetsPerCpuSecond(), orDash("%.2f", finite(p.cpuMicrosPerPacket())), p.lossAvg(), p.lossMax(),
                orDash("%.2f", p.deliveredMin()),
                // A server that forwarded nothing has no latency (the tool reports 0 ms over 0 samples).
                orDash("%.2f", p.forwarded() ? p.p50() : Double.NaN),
                orDash("%.2f", p.forwarded() ? p.p99() : Double.NaN), Double.isNaN(p.serverDelayP50()) ? "–" : f("%.3f / %.3f", p.serverDelayP50(), p.serverDelayP99()),
                p.rssMiB(), orDash("%.3f", p.gcPauseP99Ms()), orDash("%.1f", p.allocBytesPerPacket()),
                orDash("%.1f", p.windowAllocBytesPerPacket()),
                orDash("%.1f", p.topLayerShare() * 100), orDash("%.2f", p.clientCores()), p.threads().cell()))));
        s.append(srtpLine(series));
        s.append(BenchmarkSummary.markdown(series));
        List<String> names = new ArrayList<>(series.keySet());
        String base = names.stream().filter(n -> n.startsWith("prism")).findFirst().orElse(null);
        if (base != null) {
            for (String other : names) {
                if (other.equals(base)) {
                    continue;
                }
                s.append("\n### ").append(base).append(" / ").append(other).append("\n\n");
                s.append("| viewers | packets per CPU-second (higher = Prism better) | CPU per packet | latency p50 | latency p99 | RSS |\n");
                s.append("|---:|---:|---:|---:|---:|---:|\n");
                TreeSet<Integer> vs = new TreeSet<>(series.get(base).keySet());
                vs.retainAll(series.get(other).keySet());
                for (int v : vs) {
                    Point a = series.get(base).get(v);
                    Point b = series.get(other).get(v);
                    if (!a.forwarded() || !b.forwarded()) {
                        // A server that forwarded nothing has no cost or latency per packet to compare.
                        s.append(f("| %d | – | – | – | – | %.2f |\n", v, a.rssMiB() / b.rssMiB()));
                        continue;
                    }
                    s.append(f("| %d | %.2f | %.2f | %.2f | %.2f | %.2f |\n", v,
                            a.packetsPerCpuSecond() / b.packetsPerCpuSecond(), a.cpuMicrosPerPacket() / b.cpuMicrosPerPacket(),
                            a.p50() / b.p50(), a.p99() / b.p99(), a.rssMiB() / b.rssMiB()));
                }
            }
        }
        s.append("\n![server CPU per forwarded packet](").append(cpuPng).append(")\n\n");
        s.append("![added latency p99](").append(p99Png).append(")\n");
        return s.toString();
    }

    /**
     * The SRTP profiles each server's DTLS handshakes chose (publisher / viewers): AES-256 costs
     * more per packet than AES-128, so a server's figures hold only with its profile beside them.
     */
    static String srtpLine(Map<String, TreeMap<Integer, Point>> series) {
        StringBuilder s = new StringBuilder();
        series.forEach((server, points) -> {
            TreeSet<String> seen = new TreeSet<>();
            points.values().forEach(p -> {
                if (!"–".equals(p.srtp())) {
                    seen.add(p.srtp());
                }
            });
            if (!seen.isEmpty()) {
                s.append(s.length() == 0 ? "" : "; ").append(server).append(' ').append(String.join(", ", seen));
            }
        });
        return s.length() == 0 ? "" : "\nSRTP profiles negotiated (publisher / viewers): " + s + ".\n";
    }

    private static double finite(double value) {
        return Double.isFinite(value) ? value : Double.NaN;
    }

    private static String orDash(String format, double value) {
        return Double.isNaN(value) ? "–" : f(format, value);
    }

    /** A line chart of {@code metric} against viewers, one line per server, y from zero. */
    static void plot(Map<String, TreeMap<Integer, Point>> series, ToDoubleFunction<Point> metric, String title, Path png)
            throws IOException {
        int w = 800, h = 500, left = 80, right = 160, top = 50, bottom = 60;
        double xMax = 1, yMax = 0;
        for (TreeMap<Integer, Point> points : series.values()) {
            for (Map.Entry<Integer, Point> e : points.entrySet()) {
                xMax = Math.max(xMax, e.getKey());
                double y = metric.applyAsDouble(e.getValue());
                if (Double.isFinite(y)) {
                    yMax = Math.max(yMax, y);
                }
            }
        }
        yMax = niceCeiling(yMax <= 0 ? 1 : yMax * 1.05);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.setColor(Color.BLACK);
        g.drawString(title, left, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int pw = w - left - right, ph = h - top - bottom;
        for (int i = 0; i <= 5; i++) {
            int y = top + ph - ph * i / 5;
            g.setColor(new Color(0xdddddd));
            g.drawLine(left, y, left + pw, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(f(yMax >= 10 ? "%.0f" : "%.2f", yMax * i / 5), 10, y + 4);
        }
        TreeSet<Integer> xs = new TreeSet<>();
        series.values().forEach(p -> xs.addAll(p.keySet()));
        for (int x : xs) {
            int px = left + (int) (pw * x / xMax);
            g.setColor(new Color(0xeeeeee));
            g.drawLine(px, top, px, top + ph);
            g.setColor(Color.DARK_GRAY);
            g.drawString(Integer.toString(x), px - 8, top + ph + 18);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, pw, ph);
        g.drawString("viewers of 1 publisher (VP8 simulcast ~2.5 Mbit/s + Opus), on the top layer", left + pw / 2 - 200, h - 15);
        int k = 0;
        for (Map.Entry<String, TreeMap<Integer, Point>> e : series.entrySet()) {
            Color c = COLORS[k % COLORS.length];
            g.setColor(c);
            g.setStroke(new BasicStroke(2.5f));
            int lastX = -1, lastY = -1;
            for (Map.Entry<Integer, Point> p : e.getValue().entrySet()) {
                double y = metric.applyAsDouble(p.getValue());
                if (!Double.isFinite(y)) {
                    lastX = -1;
                    continue;
                }
                int px = left + (int) (pw * p.getKey() / xMax);
                int py = top + ph - (int) (ph * y / yMax);
                g.fillOval(px - 4, py - 4, 8, 8);
                if (lastX >= 0) {
                    g.drawLine(lastX, lastY, px, py);
                }
                lastX = px;
                lastY = py;
            }
            g.fillRect(left + pw + 15, top + 10 + 22 * k, 14, 14);
            g.setColor(Color.BLACK);
            g.drawString(e.getKey(), left + pw + 35, top + 22 + 22 * k);
            k++;
        }
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    private static double niceCeiling(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
