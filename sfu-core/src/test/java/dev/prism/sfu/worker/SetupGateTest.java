package dev.prism.sfu.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gate on its real polling thread, with the loop's backlog and the clock set by the test:
 * what starts, when, and in which order depends only on them.
 */
class SetupGateTest {
    private static final long MS = 1_000_000L;

    private final AtomicLong clock = new AtomicLong(10_000 * MS);
    private final AtomicLong behind = new AtomicLong();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
    private final SetupGate gate = new SetupGate(now -> behind.get(), clock::get, poller);

    @AfterEach
    void stop() {
        poller.shutdownNow();
    }

    /** Lets the poller run a few times at the current (frozen) clock. */
    private static void settle() throws InterruptedException {
        Thread.sleep(10 * SetupGate.POLL_MILLIS);
    }

    @Test
    void startsAtOnceWhileTheLoopKeepsUp() {
        behind.set(SetupGate.BEHIND_NANOS - 1);
        for (int i = 0; i < 20; i++) {
            assertTrue(gate.acquire(5_000).isDone(), "set-up " + i);
        }
        assertEquals(0, gate.waited());
    }

    @Test
    void noWaitLimitMeansNoPacingEvenWhenBehind() {
        behind.set(10 * SetupGate.BEHIND_NANOS);
        assertTrue(gate.acquire(0).isDone());
    }

    @Test
    void setUpsWaitWhileTheLoopIsBehindThenStartInOrderOneSpacingApart() throws Exception {
        behind.set(SetupGate.BEHIND_NANOS);
        List<CompletableFuture<Void>> setups = List.of(gate.acquire(5_000), gate.acquire(5_000), gate.acquire(5_000));
        settle();
        assertTrue(setups.stream().noneMatch(CompletableFuture::isDone), "nothing starts while the loop is behind");
        assertEquals(3, gate.waitingNow());

        behind.set(0);
        setups.get(0).get(1, TimeUnit.SECONDS);
        settle();
        assertFalse(setups.get(1).isDone(), "the next waits for the spacing, on the gate's clock");
        clock.addAndGet(SetupGate.SPACING_NANOS);
        setups.get(1).get(1, TimeUnit.SECONDS);
        settle();
        assertFalse(setups.get(2).isDone());
        clock.addAndGet(SetupGate.SPACING_NANOS);
        setups.get(2).get(1, TimeUnit.SECONDS);
        assertEquals(3, gate.waited());
        assertEquals(0, gate.expired());
    }

    @Test
    void aSetUpThatWaitedItsLimitIsRefused() throws Exception {
        behind.set(SetupGate.BEHIND_NANOS);
        CompletableFuture<Void> setup = gate.acquire(200);
        clock.addAndGet(199 * MS);
        settle();
        assertFalse(setup.isDone());
        clock.addAndGet(MS);
        ExecutionException e = assertThrows(ExecutionException.class, () -> setup.get(1, TimeUnit.SECONDS));
        assertInstanceOf(SetupGate.WaitExpired.class, e.getCause());
        assertEquals(1, gate.expired());
        assertEquals(0, gate.waitingNow());
    }

    @Test
    void afterFallingBehindNewSetUpsArePacedUntilTheLoopHasKeptUpForAWhile() throws Exception {
        behind.set(SetupGate.BEHIND_NANOS);
        CompletableFuture<Void> first = gate.acquire(5_000);
        behind.set(0);
        first.get(1, TimeUnit.SECONDS);

        CompletableFuture<Void> soon = gate.acquire(5_000);
        assertFalse(soon.isDone(), "just after a backlog a new set-up queues for its turn");
        clock.addAndGet(SetupGate.SPACING_NANOS);
        soon.get(1, TimeUnit.SECONDS);

        clock.addAndGet(SetupGate.CALM_NANOS);
        assertTrue(gate.acquire(5_000).isDone(), "calm again: at once");
    }

    @Test
    void aNegativeClockOriginDoesNotHoldSetUpsForever() throws Exception {
        AtomicLong negative = new AtomicLong(-4_000_000_000_000_000_000L);
        SetupGate early = new SetupGate(now -> behind.get(), negative::get, poller);
        behind.set(SetupGate.BEHIND_NANOS);
        CompletableFuture<Void> setup = early.acquire(5_000);
        settle();
        assertFalse(setup.isDone());
        behind.set(0);
        setup.get(1, TimeUnit.SECONDS); // System.nanoTime() may be negative; the gate must not compare with 0
    }
}
