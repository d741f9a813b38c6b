package dev.prism.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.loadtest.ProcessStats.ThreadKind;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ProcessStatsTest {
    @Test
    void threadsAreToldApartByTheirNamesAsProcShowsThem() {
        assertEquals(ThreadKind.MEDIA, ProcessStats.kindOf("prism-media-0-1"));
        assertEquals(ThreadKind.JIT, ProcessStats.kindOf("C2 CompilerThre"));
        assertEquals(ThreadKind.JIT, ProcessStats.kindOf("C1 CompilerThre"));
        assertEquals(ThreadKind.GC, ProcessStats.kindOf("ZDirector"));
        assertEquals(ThreadKind.GC, ProcessStats.kindOf("ZWorkerYoung#0"));
        assertEquals(ThreadKind.GC, ProcessStats.kindOf("GC Thread#0"));
        assertEquals(ThreadKind.GC, ProcessStats.kindOf("G1 Conc#0"));
        assertEquals(ThreadKind.OTHER, ProcessStats.kindOf("Zebra"));
        assertEquals(ThreadKind.OTHER, ProcessStats.kindOf("vert.x-eventloo"));
        assertEquals(ThreadKind.OTHER, ProcessStats.kindOf(""));
    }

    @Test
    void aBusyMediaThreadOfThisProcessIsCountedAsMediaTime() throws Exception {
        long pid = ProcessHandle.current().pid();
        ProcessStats before = ProcessStats.read(pid);
        assertNotNull(before, "/proc is readable here (Linux)");
        AtomicBoolean on = new AtomicBoolean(true);
        Thread busy = Thread.ofPlatform().name("prism-media-test").start(() -> {
            long end = System.nanoTime() + 2_000_000_000L;
            while (on.get() && System.nanoTime() < end) {
                Thread.onSpinWait();
            }
        });
        // Enough for a dozen 10 ms ticks even when this thread gets a third of a loaded core.
        Thread.sleep(400);
        ProcessStats during = ProcessStats.read(pid);
        on.set(false);
        busy.join();
        assertNotNull(during);
        long media = during.mediaNanos() - before.mediaNanos();
        assertTrue(media >= 50_000_000L, "the spinning prism-media thread's time: " + media + " ns");
        assertTrue(during.cpuNanos() - before.cpuNanos() >= media, "within the process's total");
        assertEquals(media / 1e9, ProcessStats.secondsBetween(before, during, ProcessStats::mediaNanos), 1e-9);
        assertEquals(0, ProcessStats.secondsBetween(during, before, ProcessStats::mediaNanos), "never negative");
        assertEquals(0, ProcessStats.secondsBetween(null, during, ProcessStats::cpuNanos), "unknown: 0");
    }
}
