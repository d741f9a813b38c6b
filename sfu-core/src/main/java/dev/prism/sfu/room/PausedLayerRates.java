package dev.prism.sfu.room;

/**
 * The bitrates of simulcast layers the publisher was asked to pause, so a subscriber's
 * bandwidth allocator can still choose them: a paused layer sends nothing, so its measured rate
 * falls to zero and its activity times out, and an allocator that saw only what is being sent
 * would never ask for it back. A paused layer is offered at the rate it had when paused, and so
 * is a resumed one for {@link #RESUME_GRACE_MILLIS} while its packets come back; after that a
 * layer still not sent is the publisher's own choice (its uplink) and is not offered. When such a
 * layer is paused again without having sent anything, it is not offered for a while (doubling
 * from {@link #MIN_BACKOFF_MILLIS}), so a publisher whose uplink cannot carry it is not told to
 * resume and pause it every few seconds. Loop thread only; time is passed in.
 */
final class PausedLayerRates {
    static final long RESUME_GRACE_MILLIS = 3000;
    /** The rate assumed for a layer paused before it was ever measured: this much per layer above the lowest. */
    static final long UNMEASURED_BPS_PER_LAYER = 300_000;

    static final long MIN_BACKOFF_MILLIS = 10_000;
    static final long MAX_BACKOFF_MILLIS = 80_000;

    private final long[] rates;
    private final long[] backoffMillis;
    private final long[] offeredAgainMillis;
    private final long[] resumedMillis;
    private final boolean[] paused;

    PausedLayerRates(int layers) {
        this.rates = new long[layers];
        this.resumedMillis = new long[layers];
        this.paused = new boolean[layers];
        this.backoffMillis = new long[layers];
        this.offeredAgainMillis = new long[layers];
        java.util.Arrays.fill(resumedMillis, Long.MIN_VALUE / 2);
        java.util.Arrays.fill(offeredAgainMillis, Long.MIN_VALUE / 2);
    }

    /** The layer was paused while it measured {@code measuredBps} (0 when it sent nothing lately). */
    void pause(int layer, long measuredBps, long nowMillis) {
        paused[layer] = true;
        boolean resumedInVain = measuredBps <= 0 && resumedMillis[layer] > Long.MIN_VALUE / 2;
        if (resumedInVain) {
            backoffMillis[layer] = Math.min(MAX_BACKOFF_MILLIS, Math.max(MIN_BACKOFF_MILLIS, backoffMillis[layer] * 2));
            offeredAgainMillis[layer] = nowMillis + backoffMillis[layer];
        } else if (measuredBps > 0) {
            backoffMillis[layer] = 0;
        }
        if (measuredBps > 0 || rates[layer] <= 0) {
            rates[layer] = measuredBps > 0 ? measuredBps : UNMEASURED_BPS_PER_LAYER * layer;
        }
    }

    /** The layer was asked to resume: it is still offered at its old rate while it comes back. */
    void resume(int layer, long nowMillis) {
        paused[layer] = false;
        resumedMillis[layer] = nowMillis;
    }

    boolean paused(int layer) {
        return paused[layer];
    }

    /** The rate to assume for a layer that is not being sent, or -1 when it is not to be offered. */
    long rate(int layer, long nowMillis) {
        if (paused[layer] && nowMillis < offeredAgainMillis[layer]) {
            return -1; // its last resume brought nothing back: not yet
        }
        if (paused[layer] || nowMillis - resumedMillis[layer] < RESUME_GRACE_MILLIS) {
            return rates[layer];
        }
        return -1;
    }
}
