package dev.prism.sfu.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the kernel knows about a UDP socket's receive side, from {@code /proc/self/net/udp} and
 * {@code udp6} (Linux): the bytes waiting in its receive queue ("rx_queue", memory the queued
 * datagrams take) and the datagrams dropped because that queue was full ("drops", the last column).
 * Read once a second.
 *
 * @param queuedBytes bytes waiting to be read now
 * @param drops       datagrams dropped since the socket opened
 */
record UdpSocketStats(long queuedBytes, long drops) {
    private static final Path[] TABLES = {Path.of("/proc/self/net/udp"), Path.of("/proc/self/net/udp6")};

    /** Summed over the sockets bound to local {@code port}; null when the tables cannot be read. */
    static UdpSocketStats read(int port) {
        UdpSocketStats total = null;
        for (Path table : TABLES) {
            try {
                UdpSocketStats s = parse(Files.readAllLines(table), port);
                total = total == null ? s : new UdpSocketStats(total.queuedBytes + s.queuedBytes, total.drops + s.drops);
            } catch (IOException | SecurityException | UnsupportedOperationException e) {
                // not Linux, or no procfs: unknown
            }
        }
        return total;
    }

    /**
     * Sums the rows whose local address ends in {@code :PORT} (hex); rows that do not parse,
     * the header among them, are skipped.
     */
    static UdpSocketStats parse(List<String> lines, int port) {
        String suffix = String.format(":%04X", port);
        long queued = 0;
        long drops = 0;
        for (String line : lines) {
            if (!line.contains(suffix)) {
                continue; // most rows are other sockets: skip them before splitting
            }
            String[] f = line.trim().split("\\s+");
            if (f.length < 13 || !f[1].endsWith(suffix)) {
                continue;
            }
            int colon = f[4].indexOf(':'); // tx_queue:rx_queue
            try {
                long rx = Long.parseLong(f[4].substring(colon + 1), 16);
                long d = Long.parseLong(f[f.length - 1]);
                queued += rx;
                drops += d;
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                // a format we do not know
            }
        }
        return new UdpSocketStats(queued, drops);
    }
}
