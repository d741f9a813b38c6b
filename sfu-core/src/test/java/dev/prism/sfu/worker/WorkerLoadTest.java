package dev.prism.sfu.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WorkerLoadTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void cpuShareIsSmoothedOverSamples() {
        WorkerLoad load = new WorkerLoad();
        load.sample(0, 0, 0, 0);
        assertEquals(0, load.cpu(), "one sample has no interval");
        load.sample(SECOND, SECOND / 2, 0, 0);
        assertEquals(0.5, load.cpu(), 1e-9, "the first interval is taken as it is");
        load.sample(2 * SECOND, SECOND / 2 + SECOND, 0, 0);
        assertEquals(0.7, load.cpu(), 1e-9, "a busy second moves it 40 % of the way");
        assertFalse(load.overloaded(90));
        for (int i = 3; i < 10; i++) {
            load.sample(i * SECOND, SECOND / 2 + (i - 1) * SECOND, 0, 0);
        }
        assertTrue(load.cpu() > 0.98, "sustained saturation: " + load.cpu());
        assertTrue(load.overloaded(90));
        assertFalse(load.overloaded(0), "0 turns the check off");
    }

    @Test
    void kernelDropsInTheLastIntervalMeanOverloadWhateverTheCpu() {
        WorkerLoad load = new WorkerLoad();
        load.sample(0, 0, 1000, 0);
        assertEquals(0, load.recentDrops(), "drops before the first sample are history");
        load.sample(SECOND, SECOND / 10, 1250, 0);
        assertEquals(250, load.recentDrops());
        assertTrue(load.overloaded(90), "dropping input at 10 % CPU: the core is taken by others");
        for (int i = 2; i < 2 + WorkerLoad.HOLD_SAMPLES - 1; i++) {
            load.sample(i * SECOND, i * SECOND / 10, 1250, 0);
            assertTrue(load.overloaded(90), "held for a few samples after input was lost: " + i);
        }
        load.sample(10 * SECOND, SECOND, 1250, 0);
        assertFalse(load.overloaded(90), "no new drops for " + WorkerLoad.HOLD_SAMPLES + " samples, low CPU");
        assertTrue(load.describe().contains("0 datagrams dropped"), load.describe());
    }

    @Test
    void unknownCountersLeaveTheLoadAtZero() {
        WorkerLoad load = new WorkerLoad();
        load.sample(0, -1, -1, -1);
        load.sample(SECOND, -1, -1, -1);
        assertEquals(0, load.cpu());
        assertEquals(0, load.recentDrops());
        assertFalse(load.overloaded(50));
    }

    @Test
    void aReceiveQueueThatDoesNotDrainMeansOverload() {
        WorkerLoad load = new WorkerLoad();
        load.sample(0, 0, 0, 0);
        load.sample(SECOND, SECOND * 7 / 10, 0, WorkerLoad.BACKLOG_BYTES - 1);
        assertFalse(load.overloaded(90), "70 % and a queue under the backlog mark");
        load.sample(2 * SECOND, SECOND * 14 / 10, 0, 7 << 20);
        assertTrue(load.overloaded(90), "7 MiB waiting at 70 % of a core: the core is shared and the loop is behind");
        assertEquals(7 << 20, load.queuedBytes());
        assertTrue(load.describe().contains("7168 KiB queued"), load.describe());
        for (int i = 3; i < 3 + WorkerLoad.HOLD_SAMPLES; i++) {
            assertTrue(load.overloaded(90), "still held");
            load.sample(i * SECOND, i * SECOND * 7 / 10, 0, 0);
        }
        assertFalse(load.overloaded(90), "drained for " + WorkerLoad.HOLD_SAMPLES + " samples");
    }
}
