package dev.prism.loadtest;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.ToLongFunction;

/**
 * CPU time and memory of one process from Linux's /proc: utime + stime from /proc/PID/stat
 * (fields 14 and 15, in clock ticks of USER_HZ, which is 100 on Linux) and VmRSS / VmHWM from
 * /proc/PID/status. TESTING.md: CPU time, not wall time, is what to compare on a noisy machine.
 * The same counters per thread (/proc/PID/task/TID/stat) split a JVM server's time by what its
 * threads do, by name: Prism's media loops ({@code prism-media-…}), the JIT compilers
 * ({@code C1/C2 CompilerThread}) and the garbage collector (ZGC's {@code Z…}, G1's and the
 * parallel collectors' {@code GC Thread}, {@code G1 …}); a thread that ended between two reads
 * leaves its time in the process's total only.
 */
record ProcessStats(long cpuNanos, long rssKb, long peakRssKb, long mediaNanos, long jitNanos, long gcNanos) {
    private static final long NANOS_PER_TICK = 10_000_000L;

    /** What a thread does, from its name (as /proc shows it: at most 15 characters). */
    enum ThreadKind { MEDIA, JIT, GC, OTHER }

    static ThreadKind kindOf(String threadName) {
        if (threadName.startsWith("prism-media")) {
            return ThreadKind.MEDIA;
        }
        if (threadName.startsWith("C1 CompilerThre") || threadName.startsWith("C2 CompilerThre")) {
            return ThreadKind.JIT;
        }
        if (threadName.startsWith("GC Thread") || threadName.startsWith("G1 ")
                || threadName.length() > 1 && threadName.charAt(0) == 'Z' && Character.isUpperCase(threadName.charAt(1))) {
            return ThreadKind.GC;
        }
        return ThreadKind.OTHER;
    }

    /**
     * CPU seconds one of the counters grew by from {@code before} to {@code after}; 0 when either
     * read failed, or when a thread group shrank (one of its threads ended in between).
     */
    static double secondsBetween(ProcessStats before, ProcessStats after, ToLongFunction<ProcessStats> nanos) {
        if (before == null || after == null) {
            return 0;
        }
        return Math.max(0, nanos.applyAsLong(after) - nanos.applyAsLong(before)) / 1e9;
    }

    /** The process's counters now, or null when /proc is not readable (not Linux, process gone). */
    static ProcessStats read(long pid) {
        try {
            Path proc = Path.of("/proc", Long.toString(pid));
            long ticks = ticks(Files.readString(proc.resolve("stat")));
            long rss = 0;
            long hwm = 0;
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kilobytes(line);
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kilobytes(line);
                }
            }
            long[] byKind = new long[ThreadKind.values().length];
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("task"))) {
                for (Path task : tasks) {
                    try {
                        String stat = Files.readString(task.resolve("stat"));
                        byKind[kindOf(name(stat)).ordinal()] += ticks(stat);
                    } catch (IOException | RuntimeException e) {
                        // the thread ended while we listed them
                    }
                }
            }
            return new ProcessStats(ticks * NANOS_PER_TICK, rss, hwm, byKind[ThreadKind.MEDIA.ordinal()] * NANOS_PER_TICK,
                    byKind[ThreadKind.JIT.ordinal()] * NANOS_PER_TICK, byKind[ThreadKind.GC.ordinal()] * NANOS_PER_TICK);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** utime + stime of a stat line; the command name (field 2) is in parentheses and may hold spaces. */
    private static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static String name(String stat) {
        return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    }

    private static long kilobytes(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
