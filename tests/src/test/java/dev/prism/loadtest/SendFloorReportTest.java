package dev.prism.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.loadtest.BenchmarkPlots.Point;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SendFloorReportTest {

    private static String floor(long sent, double cpu, double loss) {
        return "{\"receivers\":100,\"sent\":" + sent + ",\"senderCpuSeconds\":" + cpu + ",\"lossPercent\":" + loss + "}";
    }

    private static Point point(double packets, double cpuSeconds) {
        return new Point(1, packets, 10, cpuSeconds, 0, 0, 1, 2, 300, 100, 0, 0.1, 3, 1, 0.5,
                BenchmarkPlots.ThreadCores.UNKNOWN, 2.66, "–", 99, 2, 1, 2);
    }

    @Test
    void setsEachServersCostPerPacketAgainstTheFloorOfItsViewerCount(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("floor.tsv");
        // 100 viewers: two runs, 1.0 s over 200,000 and 1.5 s over 300,000 datagrams = 5 µs each;
        // a failed run (no JSON) and a run that sent nothing are left out.
        Files.writeString(file, "100\t" + floor(200_000, 1.0, 0.0) + "\n100\t\n200\t" + floor(0, 0.1, 0) + "\n100\t"
                + floor(300_000, 1.5, 0.25) + "\n");
        TreeMap<Integer, SendFloorReport.Floor> floors = SendFloorReport.read(file);
        assertEquals(1, floors.size());
        SendFloorReport.Floor f = floors.get(100);
        assertEquals(2, f.runs());
        assertEquals(5.0, f.cpuMicrosPerDatagram(), 1e-9);
        assertEquals(0.25, f.lossMaxPercent(), 1e-9);

        Map<String, TreeMap<Integer, Point>> series = new LinkedHashMap<>();
        series.put("prism", new TreeMap<>(Map.of(100, point(1_000_000, 10)))); // 10 µs a packet: 2 × the floor
        series.put("janus-loops1", new TreeMap<>(Map.of(100, point(1_000_000, 0)))); // forwarded nothing
        String md = SendFloorReport.markdown(floors, series);
        assertTrue(md.contains("| viewers | floor runs | floor CPU µs per datagram | floor datagrams per CPU-second "
                + "| floor loss max % | prism CPU µs/pkt | prism × floor | janus-loops1 CPU µs/pkt | janus-loops1 × floor |"), md);
        assertTrue(md.contains("| 100 | 2 | 5.00 | 200000 | 0.250 | 10.00 | 2.00 | – | – |"), md);
        assertEquals("", SendFloorReport.markdown(new TreeMap<>(), series), "no floor measured, no section");
    }
}
