package dev.prism.sfu.worker;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Lowers the CPU priority of the JVM's housekeeping threads, its garbage collector and JIT
 * compilers, by raising their nice value, so that where one shares a core with a media worker's
 * loop the loop keeps most of that core and packets do not queue behind a GC cycle.
 *
 * <p>Why: with the server on one core and 400 viewers, ZGC's first cycle after the viewers joined
 * took 170 ms of CPU within 400 ms. The scheduler shared the core evenly, the loop (70 % busy)
 * got 45 % of it, and the p99 of that second rose to 120-200 ms while every other second stayed
 * under 30 ms. At nice 10 (weight 110 against the loop's 1024) the worst second measured 39-78 ms.
 * The forwarding path allocates nothing, so a slower GC cycle costs it nothing; threads that do
 * allocate (signalling, handshakes) could wait for a starved GC only while the core is saturated,
 * and admission by worker load refuses new sessions then.
 *
 * <p>Linux only: a thread's nice value is set with setpriority(2) on its thread id, here through
 * renice(1), as Java has no call for it short of the FFM API. Raising nice needs no privilege
 * (lowering it again would), so a thread is changed once and never back. The JVM starts compiler
 * threads on demand, so the threads are looked up again every {@link #RESCAN_SECONDS} s. Not the
 * VM thread: it runs the safepoints, where every thread waits for it. Not the carriers of virtual
 * threads (DTLS handshakes) either, though the ramp of hundreds of viewers competes with the loop
 * too: a new thread inherits its creator's nice value, and Netty starts an event loop's thread
 * from whichever thread first hands it a task; in the load tool that was a virtual thread, and its
 * measuring loop ran at nice 10.
 */
public final class HousekeepingPriority implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HousekeepingPriority.class.getName());
    static final long RESCAN_SECONDS = 30;
    private static final Path TASKS = Path.of("/proc/self/task");
    /** Index of the nice value among the fields after the ')' closing the name in /proc/.../stat (field 19, proc(5)). */
    private static final int NICE_FIELD = 16;

    private final int nice;
    private final ScheduledExecutorService rescan;
    private volatile boolean failed;

    private HousekeepingPriority(int nice, ScheduledExecutorService rescan) {
        this.nice = nice;
        this.rescan = rescan;
    }

    /**
     * Sets the housekeeping threads to {@code nice} (1..19) now and on every rescan; 0 does
     * nothing. Off Linux, or where renice(1) is missing or fails, logs a warning once and stops.
     */
    public static HousekeepingPriority start(int nice) {
        if (nice < 0 || nice > 19) {
            throw new IllegalArgumentException("nice must be 0..19, got " + nice);
        }
        if (nice == 0 || !Files.isDirectory(TASKS)) {
            return new HousekeepingPriority(nice, null);
        }
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "prism-housekeeping-priority");
            t.setDaemon(true);
            return t;
        });
        HousekeepingPriority p = new HousekeepingPriority(nice, executor);
        executor.scheduleWithFixedDelay(p::applyQuietly, 0, RESCAN_SECONDS, TimeUnit.SECONDS);
        return p;
    }

    /** Without the rescan schedule: {@link #apply} runs only when called (tests). */
    static HousekeepingPriority unscheduled(int nice) {
        return new HousekeepingPriority(nice, null);
    }

    /** True for the thread names (as /proc shows them, cut to 15 characters) of GC and JIT threads. */
    static boolean isHousekeeping(String name) {
        return name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler") || name.startsWith("GC Thread")
                || name.startsWith("G1 ") || name.startsWith("Shenandoah")
                // ZGC: ZWorkerYoung#0, ZDirector, ZDriverMajor, ZStat, ZUncommitter#0 ...
                || name.length() > 1 && name.charAt(0) == 'Z' && Character.isUpperCase(name.charAt(1));
    }

    /** Renices the housekeeping threads still below {@code nice}; returns how many it changed. */
    int apply() throws IOException, InterruptedException {
        List<String> tids = below(TASKS, nice);
        if (tids.isEmpty()) {
            return 0;
        }
        // The system's renice rather than whatever PATH finds first, where it is in the usual place.
        String renice = Files.isExecutable(Path.of("/usr/bin/renice")) ? "/usr/bin/renice" : "renice";
        List<String> command = new ArrayList<>(List.of(renice, "-n", Integer.toString(nice), "-p"));
        command.addAll(tids);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        // A line per thread: far below a pipe's capacity, so renice cannot block on its output.
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("renice did not finish in 5 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException("renice exited " + p.exitValue() + ": "
                    + new String(p.getInputStream().readAllBytes()).strip());
        }
        return tids.size();
    }

    private void applyQuietly() {
        if (failed) {
            return;
        }
        try {
            int n = apply();
            if (n > 0) {
                LOG.fine(() -> "nice " + nice + " for " + n + " GC/JIT thread(s)");
            }
        } catch (IOException | RuntimeException e) {
            failed = true;
            LOG.log(Level.WARNING, "could not lower the GC/JIT threads' priority (media.housekeepingNice); "
                    + "they keep sharing the media workers' cores evenly: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Thread ids under {@code tasks} whose name is housekeeping and whose nice value is below {@code nice}. */
    static List<String> below(Path tasks, int nice) throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
            for (Path task : dir) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    if (isHousekeeping(name) && niceOf(Files.readString(task.resolve("stat"))) < nice) {
                        out.add(task.getFileName().toString());
                    }
                } catch (IOException | RuntimeException e) {
                    // The thread ended between listing and reading: nothing to do for it.
                }
            }
        }
        return out;
    }

    /** The nice value in a /proc/[pid]/task/[tid]/stat line (the name may hold spaces and parentheses). */
    static int niceOf(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[NICE_FIELD]);
    }

    @Override
    public void close() {
        if (rescan != null) {
            rescan.shutdownNow();
        }
    }
}
