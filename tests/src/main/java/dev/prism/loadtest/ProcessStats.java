package dev.prism.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and memory of one process from Linux's /proc: utime + stime from /proc/PID/stat
 * (fields 14 and 15, in clock ticks of USER_HZ, which is 100 on Linux) and VmRSS / VmHWM from
 * /proc/PID/status. TESTING.md: CPU time, not wall time, is what to compare on a noisy machine.
 */
record ProcessStats(long cpuNanos, long rssKb, long peakRssKb) {
    private static final long NANOS_PER_TICK = 10_000_000L;

    /** The process's counters now, or null when /proc is not readable (not Linux, process gone). */
    static ProcessStats read(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) is in parentheses and may contain spaces: split after it.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            long rss = 0;
            long hwm = 0;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kilobytes(line);
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kilobytes(line);
                }
            }
            return new ProcessStats(ticks * NANOS_PER_TICK, rss, hwm);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long kilobytes(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
