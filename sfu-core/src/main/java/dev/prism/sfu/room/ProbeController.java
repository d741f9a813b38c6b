package dev.prism.sfu.room;

import dev.prism.sfu.cc.BandwidthUsage;
import dev.prism.sfu.cc.SendSideBandwidthEstimator;

/**
 * When and how hard one subscriber's link is probed (libwebrtc's ProbeController plays the same
 * part): a probe tops the media rate up with RTX padding towards a target for
 * {@link #PROBE_DURATION_MILLIS}, so the estimate can show whether a better allocation fits.
 * Success (the estimate reached the goal) allows the next probe soon; failure backs off
 * exponentially and makes later probes go one allocation step at a time. A probe stops at the
 * first sign of a queue. Loop thread only; driven by {@link Downlink}.
 */
final class ProbeController {
    /** A probe aims this far past the rate that would allow the upgrade; reaching the latter is success. */
    static final double PROBE_OVERSHOOT = 1.1;
    /** A probe aims at most this many times the estimate (libwebrtc's initial probes: 3 and 6 × a low start). */
    static final double PROBE_MAX_MULTIPLE = 2.0;
    static final double PROBE_MAX_MULTIPLE_AFTER_FAILURE = 1.25;
    /** The first probe of a subscriber may go to 6 × the start rate, as libwebrtc's initial probes do. */
    static final double FIRST_PROBE_MAX_MULTIPLE = 6.0;
    static final long PROBE_DURATION_MILLIS = 500;
    /** After a successful probe the next step is tried this soon (libwebrtc probes further at once). */
    static final long PROBE_AFTER_SUCCESS_MILLIS = 500;
    /**
     * Failed probes back off from the minimum, doubling up to the maximum. The maximum bounds how
     * long a viewer stays low after its bottleneck goes away: only a probe can find that out.
     */
    static final long MIN_PROBE_BACKOFF_MILLIS = 1500;
    static final long MAX_PROBE_BACKOFF_MILLIS = 6000;
    static final int PADDING_BYTES = 255;
    static final long PROBE_RAMP_MILLIS = 300;
    static final double PROBE_ABORT_LOSS = 0.03;

    private long probeEndMillis;
    private long probeTargetBps;
    private long probeStartBps;
    private long nextProbeMillis;
    private long probeBackoffMillis = MIN_PROBE_BACKOFF_MILLIS;
    /** The last probe fell short: probe one allocation step at a time until one succeeds. */
    private boolean probeFailed;
    private long lastPaceMillis;
    private double paddingCredit;
    private long probes;

    boolean probing(long nowMillis) {
        return nowMillis < probeEndMillis;
    }

    long probes() {
        return probes;
    }

    /** Ends a running probe now (a loss while probing: the probe overran a queue, or the link is lossy). */
    void stop(long nowMillis) {
        if (nowMillis < probeEndMillis) {
            probeEndMillis = nowMillis;
        }
    }

    /** No probing while nothing better could be chosen (a pinned layer): ends a probe and forgets its target. */
    void cancel(long nowMillis) {
        probeTargetBps = 0;
        probeEndMillis = nowMillis;
    }

    /**
     * After an allocation: judges a probe that has ended, then starts one when the subscriber
     * could use more ({@code idealBps} over {@code allocatedBps}), {@code canPad} and the backoff
     * allow it. {@code nextStepBps}: what the cheapest single upgrade would need, the goal after
     * a failure.
     */
    void afterAllocation(long estimateBps, long allocatedBps, long idealBps, long nextStepBps, boolean canPad,
                         long nowMillis) {
        boolean probing = probing(nowMillis);
        if (!probing && probeTargetBps > 0) {
            if (estimateBps >= probeTargetBps / PROBE_OVERSHOOT) {
                probeBackoffMillis = MIN_PROBE_BACKOFF_MILLIS;
                nextProbeMillis = nowMillis + PROBE_AFTER_SUCCESS_MILLIS;
                probeFailed = false;
            } else {
                nextProbeMillis = nowMillis + probeBackoffMillis;
                probeBackoffMillis = Math.min(MAX_PROBE_BACKOFF_MILLIS, probeBackoffMillis * 2);
                probeFailed = true;
            }
            probeTargetBps = 0;
        }
        if (probing || estimateBps < 0 || !canPad || idealBps <= allocatedBps || nowMillis < nextProbeMillis) {
            return;
        }
        // Aim a little past the goal so that success leaves the headroom the allocator keeps. The
        // goal is everything the subscriber could use until a probe fails (libwebrtc likewise
        // probes at 3 and 6 × its start rate at once), then one step up at a time.
        long goal = probeFailed ? Math.min(idealBps, nextStepBps) : idealBps;
        // Never more than a multiple of the estimate at once: a probe far past a full link
        // overfills its queue before the first feedback can stop it, and costs media packets.
        probeTargetBps = Math.min((long) (goal * Downlink.UPGRADE_MARGIN * PROBE_OVERSHOOT / Downlink.HEADROOM),
                (long) (estimateBps * (probeFailed ? PROBE_MAX_MULTIPLE_AFTER_FAILURE
                        : probes == 0 ? FIRST_PROBE_MAX_MULTIPLE : PROBE_MAX_MULTIPLE)));
        probeEndMillis = nowMillis + PROBE_DURATION_MILLIS;
        probeStartBps = estimateBps;
        lastPaceMillis = nowMillis;
        paddingCredit = 0;
        probes++;
    }

    /**
     * How many {@link #PADDING_BYTES} padding packets to send now (every 10 ms) to top
     * {@code allocatedBps} up towards the probe target. The padding ramps up over the first part
     * of the probe, and the probe stops at the first sign of a queue (over-use, or loss in the
     * feedback), so probing a full link costs it a few packets of queueing rather than a burst
     * of tail drops.
     */
    int paddingPackets(SendSideBandwidthEstimator estimator, long allocatedBps, long nowMillis) {
        if (!probing(nowMillis)) {
            return 0;
        }
        if (estimator.bandwidthUsage() == BandwidthUsage.OVERUSE || estimator.lossFraction() > PROBE_ABORT_LOSS
                || estimator.estimateBps() < probeStartBps) {
            probeEndMillis = nowMillis; // the link is full: stop now rather than fill its queue
            return 0;
        }
        long elapsed = nowMillis - lastPaceMillis;
        lastPaceMillis = nowMillis;
        double ramp = Math.min(1.0, (double) (nowMillis - (probeEndMillis - PROBE_DURATION_MILLIS)) / PROBE_RAMP_MILLIS);
        long paddingBps = (long) ((probeTargetBps - allocatedBps) * ramp);
        if (paddingBps <= 0 || elapsed <= 0) {
            return 0;
        }
        paddingCredit += paddingBps / 8.0 * Math.min(elapsed, 50) / 1000.0;
        int packets = (int) (paddingCredit / PADDING_BYTES);
        paddingCredit -= packets * PADDING_BYTES;
        return Math.min(packets, 40);
    }
}
