package dev.prism.sfu.worker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;

/**
 * Paces new sessions on one media worker by whether its loop keeps up, so that a burst of joins
 * slows down instead of taking the sessions already there with it. A new session costs the
 * worker's core more than its media: a DTLS handshake, the JIT compiling what it runs first, a key
 * frame every subscriber of its layer receives. On the benchmark's one core, 600 viewers joining
 * 8 at a time pushed the loop seconds behind at ~400 (every viewer's latency 0.5-1 s, then loss as
 * the receive queue overflowed), and the sessions it had kept that up after the joins ended in
 * one run of two.
 *
 * <p>A set-up starts at once while the loop keeps up and has for {@link #CALM_NANOS}. Otherwise it
 * waits, first in first out, while the loop has gone {@link #BEHIND_NANOS} without emptying its
 * socket ({@link ReadBacklog}); then the waiting set-ups start one per {@link #SPACING_NANOS}.
 * A set-up that waited its limit fails with {@link WaitExpired} (signaling answers 503). This is
 * pacing, not refusal: the refusal by load ({@code limits.maxWorkerLoadPercent}) is separate.
 * Thread-safe; waiting set-ups are completed from one shared daemon thread.
 */
public final class SetupGate {
    /** A loop that has not emptied its socket for this long is behind: healthy at 600 viewers it did within ~60 ms, ~200 ms around a key frame. */
    static final long BEHIND_NANOS = 250_000_000L;
    /** Set-ups wait, and then start spaced, until the loop has kept up for this long. */
    static final long CALM_NANOS = 2_000_000_000L;
    /** At most one waiting set-up starts per this interval (20 a second). */
    static final long SPACING_NANOS = 50_000_000L;
    static final long POLL_MILLIS = 10;

    private static final ScheduledExecutorService SHARED = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "prism-setup-gate");
        t.setDaemon(true);
        return t;
    });

    /** A set-up waited longer than it may for a busy worker. */
    public static final class WaitExpired extends RuntimeException {
        WaitExpired(String message) {
            super(message, null, false, false);
        }
    }

    private record Waiter(CompletableFuture<Void> started, long sinceNanos, long deadlineNanos) {}

    private final LongUnaryOperator behindNanos;
    private final LongSupplier clock;
    private final ScheduledExecutorService scheduler;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private long lastBehindNanos;
    private boolean everBehind;
    private long lastStartNanos;
    private ScheduledFuture<?> polling;
    private long waited;
    private long expired;
    private long waitedNanos;

    /** @param behindNanos how long the loop has been behind at a given {@link System#nanoTime()} */
    SetupGate(LongUnaryOperator behindNanos) {
        this(behindNanos, System::nanoTime, SHARED);
    }

    SetupGate(LongUnaryOperator behindNanos, LongSupplier clock, ScheduledExecutorService scheduler) {
        this.behindNanos = behindNanos;
        this.clock = clock;
        this.scheduler = scheduler;
        this.lastStartNanos = clock.getAsLong() - SPACING_NANOS; // nanoTime's origin is arbitrary: not 0
    }

    /**
     * Completes when a new session may start on this worker: at once while it keeps up, else when
     * it has caught up and the set-ups ahead have started; fails with {@link WaitExpired} after
     * {@code maxWaitMillis}. {@code maxWaitMillis <= 0} turns pacing off (always at once).
     */
    public CompletableFuture<Void> acquire(long maxWaitMillis) {
        if (maxWaitMillis <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        synchronized (this) {
            long now = clock.getAsLong();
            boolean behind = observe(now);
            if (waiting.isEmpty() && !behind && !recentlyBehind(now)) {
                lastStartNanos = now;
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> started = new CompletableFuture<>();
            waiting.addLast(new Waiter(started, now, now + maxWaitMillis * 1_000_000L));
            waited++;
            if (polling == null) {
                polling = scheduler.scheduleWithFixedDelay(this::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
            }
            return started;
        }
    }

    /** Starts what may start and fails what waited too long (outside the lock: callers' stages run then). */
    void poll() {
        List<Waiter> failed = new ArrayList<>(0);
        Waiter start = null;
        synchronized (this) {
            long now = clock.getAsLong();
            boolean behind = observe(now);
            for (Iterator<Waiter> it = waiting.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (now - w.deadlineNanos() >= 0 || w.started().isDone()) {
                    it.remove();
                    if (!w.started().isDone()) {
                        failed.add(w);
                        expired++;
                    }
                }
            }
            if (!behind && !waiting.isEmpty() && now - lastStartNanos >= SPACING_NANOS) {
                start = waiting.pollFirst();
                lastStartNanos = now;
                waitedNanos += now - start.sinceNanos();
            }
            if (waiting.isEmpty() && polling != null) {
                polling.cancel(false);
                polling = null;
            }
        }
        for (Waiter w : failed) {
            w.started().completeExceptionally(new WaitExpired("waited " + (w.deadlineNanos() - w.sinceNanos()) / 1_000_000
                    + " ms for it to catch up"));
        }
        if (start != null) {
            start.started().complete(null);
        }
    }

    private boolean observe(long now) {
        boolean behind = behindNanos.applyAsLong(now) >= BEHIND_NANOS;
        if (behind) {
            lastBehindNanos = now;
            everBehind = true;
        }
        return behind;
    }

    private boolean recentlyBehind(long now) {
        return everBehind && now - lastBehindNanos < CALM_NANOS;
    }

    /** Set-ups waiting now. */
    public synchronized int waitingNow() {
        return waiting.size();
    }

    /** Set-ups that had to wait, since start. */
    public synchronized long waited() {
        return waited;
    }

    /** Set-ups that waited their limit and were refused, since start. */
    public synchronized long expired() {
        return expired;
    }

    /** Total time the started set-ups waited, since start. */
    public synchronized long waitedNanos() {
        return waitedNanos;
    }
}
