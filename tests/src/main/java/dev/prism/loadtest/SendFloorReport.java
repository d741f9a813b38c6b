package dev.prism.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prism.loadtest.BenchmarkPlots.Point;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The benchmark's servers against the kernel's floor measured in the same run: bench/run.sh runs
 * {@code dev.prism.sfu.worker.SendFloor} before and after each viewer count's server runs and
 * writes its summaries, one per line ({@code viewers<TAB>JSON}); this turns them into a Markdown
 * section that sets each server's CPU per forwarded packet against the CPU the kernel alone took
 * per datagram of the same fan-out on the same host at about the same time.
 */
final class SendFloorReport {

    /** One viewer count's floor: its runs' sender CPU over their datagrams. */
    record Floor(int runs, long datagrams, double cpuSeconds, double lossMaxPercent) {
        double cpuMicrosPerDatagram() {
            return datagrams == 0 ? Double.NaN : cpuSeconds * 1e6 / datagrams;
        }
    }

    private SendFloorReport() {}

    /** The floor file's runs by viewer count (receivers); unreadable lines are skipped, as in results.tsv. */
    static TreeMap<Integer, Floor> read(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        TreeMap<Integer, Floor> floors = new TreeMap<>();
        for (String line : Files.readAllLines(file)) {
            String[] f = line.split("\t", 2);
            if (f.length < 2 || !f[1].startsWith("{")) {
                continue;
            }
            JsonNode r = json.readTree(f[1]);
            if (!r.hasNonNull("sent") || !r.hasNonNull("senderCpuSeconds") || r.path("sent").asLong() == 0) {
                continue;
            }
            Floor add = new Floor(1, r.path("sent").asLong(), r.path("senderCpuSeconds").asDouble(),
                    r.path("lossPercent").asDouble());
            floors.merge(Integer.parseInt(f[0].strip()), add, (a, b) -> new Floor(a.runs + b.runs,
                    a.datagrams + b.datagrams, a.cpuSeconds + b.cpuSeconds, Math.max(a.lossMaxPercent, b.lossMaxPercent)));
        }
        return floors;
    }

    /** The section: per viewer count, the floor and each server's CPU per packet as a multiple of it. */
    static String markdown(TreeMap<Integer, Floor> floors, Map<String, TreeMap<Integer, Point>> series) {
        if (floors.isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder("\n## Against the kernel's floor\n\n");
        s.append("What the kernel alone costs per datagram on this host, measured in the same run before and after each "
                + "viewer count's server runs: `dev.prism.sfu.worker.SendFloor` sends the same fan-out (a 1,200-byte "
                + "datagram to each of N loopback sockets, 262 times a second, as the servers forward to N viewers) with "
                + "the media worker's own `sendmmsg` batches from a loop on CPU 0, while a loop on CPU 1 reads the N "
                + "sockets; nothing else runs, so no RTP, no SRTP, no copy. On loopback the kernel runs each datagram's "
                + "receive on the sender's core, so the floor holds that too, as the servers' figures do. *× floor* is a "
                + "server's CPU per forwarded packet over the floor's per datagram: 1 would be a server that costs "
                + "nothing but the system call; the share above 1 is the server's own work.\n\n");
        s.append("| viewers | floor runs | floor CPU µs per datagram | floor datagrams per CPU-second | floor loss max %");
        series.keySet().forEach(name -> s.append(" | ").append(name).append(" CPU µs/pkt | ").append(name).append(" × floor"));
        s.append(" |\n|---:|---:|---:|---:|---:");
        series.keySet().forEach(name -> s.append("|---:|---:"));
        s.append("|\n");
        floors.forEach((viewers, floor) -> {
            double us = floor.cpuMicrosPerDatagram();
            s.append(String.format(Locale.ROOT, "| %d | %d | %.2f | %.0f | %.3f", viewers, floor.runs(), us, 1e6 / us,
                    floor.lossMaxPercent()));
            series.forEach((name, points) -> {
                Point p = points.get(viewers);
                double cost = p == null || !p.forwarded() ? Double.NaN : p.cpuMicrosPerPacket();
                s.append(Double.isFinite(cost) ? String.format(Locale.ROOT, " | %.2f | %.2f", cost, cost / us) : " | – | –");
            });
            s.append(" |\n");
        });
        return s.toString();
    }
}
