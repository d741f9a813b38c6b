package dev.prism.sfu.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class HousekeepingPriorityTest {
    private static final Path TASKS = Path.of("/proc/self/task");

    @Test
    void recognisesGcAndJitThreadsByTheirKernelNames() {
        for (String name : new String[] {"C2 CompilerThre", "C1 CompilerThre", "ZWorkerYoung#0", "ZDirector",
                "ZDriverMajor", "GC Thread#0", "G1 Conc#0", "G1 Refine#0"}) {
            assertTrue(HousekeepingPriority.isHousekeeping(name), name);
        }
        for (String name : new String[] {"prism-media-0-1", "main", "VM Thread", "Zeta", "Z", "vert.x-eventloop",
                "Signal Dispatch", "Reference Handl"}) {
            assertFalse(HousekeepingPriority.isHousekeeping(name), name);
        }
    }

    @Test
    void readsTheNiceFieldEvenWhenTheNameHoldsParenthesesAndSpaces() {
        String stat = "4242 (a (b) c) S 1 4242 4242 0 -1 4194624 10 0 0 0 3 1 0 0 20 7 30 0 12345 0 0";
        assertEquals(7, HousekeepingPriority.niceOf(stat));
    }

    @Test
    void rejectsNiceValuesTheKernelDoesNotHave() {
        assertThrows(IllegalArgumentException.class, () -> HousekeepingPriority.start(20));
        assertThrows(IllegalArgumentException.class, () -> HousekeepingPriority.start(-1));
    }

    /** Real threads of this JVM, through the real renice(1): GC/JIT-named ones move, others do not. */
    @Test
    void raisesTheNiceValueOfHousekeepingThreadsOnly() throws Exception {
        assumeTrue(Files.isDirectory(TASKS) && canRun("renice"), "needs Linux /proc and renice(1)");
        CountDownLatch done = new CountDownLatch(1);
        // Named as HotSpot names its GC workers: a thread that starts after the JVM's own, as
        // compiler threads started on demand do.
        Thread gcNamed = new Thread(() -> await(done), "GC Thread#prism");
        Thread plain = new Thread(() -> await(done), "prism-plain");
        gcNamed.start();
        plain.start();
        try {
            // The new thread gives itself its kernel name once running, which may be after start()
            // returns: on a loaded machine /proc showed no such thread yet (a fresh-clone CI run).
            awaitKernelName("GC Thread#prism");
            awaitKernelName("prism-plain");
            HousekeepingPriority.start(0).close(); // 0: changes nothing
            assertEquals(0, niceOf("GC Thread#prism"));
            HousekeepingPriority once = HousekeepingPriority.unscheduled(3);
            assertTrue(once.apply() >= 1, "at least the GC-named thread was below 3");
            assertTrue(niceOf("GC Thread#prism") >= 3);
            assertEquals(0, niceOf("prism-plain"));
            assertEquals(0, once.apply(), "a thread is changed once");
            assertTrue(HousekeepingPriority.below(TASKS, 3).isEmpty());
            // The scheduled form does the same on its own thread, right away.
            try (HousekeepingPriority scheduled = HousekeepingPriority.start(4)) {
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (niceOf("GC Thread#prism") < 4 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(4, niceOf("GC Thread#prism"));
                assertEquals(0, niceOf("prism-plain"));
            }
        } finally {
            done.countDown();
            gcNamed.join();
            plain.join();
        }
    }

    private static int niceOf(String threadName) throws IOException {
        try (var dir = Files.newDirectoryStream(TASKS)) {
            for (Path t : dir) {
                if (Files.readString(t.resolve("comm")).strip().equals(threadName)) {
                    return HousekeepingPriority.niceOf(Files.readString(t.resolve("stat")));
                }
            }
        }
        throw new AssertionError("no thread named " + threadName);
    }

    private static void awaitKernelName(String threadName) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!hasThreadNamed(threadName)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no thread named " + threadName + " within 5 s of its start");
            }
            Thread.sleep(5);
        }
    }

    private static boolean hasThreadNamed(String threadName) throws IOException {
        try (var dir = Files.newDirectoryStream(TASKS)) {
            for (Path t : dir) {
                try {
                    if (Files.readString(t.resolve("comm")).strip().equals(threadName)) {
                        return true;
                    }
                } catch (java.nio.file.NoSuchFileException gone) {
                    // a thread that ended while listed
                }
            }
        }
        return false;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean canRun(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
