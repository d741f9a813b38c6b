package dev.prism.sfu.cc;

/**
 * The loss-based controller of draft-ietf-rmcat-gcc-02 §6, applied as a limit on the
 * delay-based estimate:
 * <ul>
 * <li>loss over {@link #HIGH_LOSS}: the limit drops to estimate × (1 − 0.5 × loss), at most once
 *     per 300 ms + rtt so one burst is not counted twice;</li>
 * <li>loss between {@link #LOW_LOSS} and {@link #HIGH_LOSS}: hold — no increase, but no cut
 *     either, because a few percent is what lossy links (Wi-Fi, cellular) lose without any
 *     congestion;</li>
 * <li>loss under {@link #LOW_LOSS}: increase {@link #ETA} per second, and at once to the
 *     acknowledged rate when more got through than the limit allows (a probe proved it, as a
 *     probe result resets libwebrtc's loss-based state); once the limit has climbed back to the
 *     delay-based estimate it lifts, leaving the delay-based part in charge. Without the probe
 *     step, 8 %/s takes ~27 s from 250 kbit/s to 2 Mbit/s after a bottleneck goes away.</li>
 * </ul>
 * Loop thread only.
 */
final class LossBasedControl {
    static final double LOW_LOSS = 0.02;
    static final double HIGH_LOSS = 0.10;
    static final double ETA = 1.08;
    static final long DECREASE_INTERVAL_MICROS = 300_000;

    private boolean limiting;
    private double limitBps;
    private long lastUpdateMicros = -1;
    private long lastDecreaseMicros = -1;

    /**
     * One step after a feedback: {@code currentBps} is the estimate in force, {@code delayBasedBps}
     * the new delay-based one, {@code ackedBps} what the receiver acknowledged lately (≤ 0: not
     * known). Returns the loss-based limit (Long.MAX_VALUE when not limiting).
     */
    long update(double loss, long currentBps, long delayBasedBps, long ackedBps, long rttMs, long nowMicros) {
        long dt = lastUpdateMicros < 0 ? 0 : Math.min(nowMicros - lastUpdateMicros, 1_000_000);
        lastUpdateMicros = nowMicros;
        if (loss > HIGH_LOSS) {
            long interval = DECREASE_INTERVAL_MICROS + Math.max(rttMs, 0) * 1000;
            double base = limiting ? Math.min(limitBps, currentBps) : currentBps;
            if (lastDecreaseMicros < 0 || nowMicros - lastDecreaseMicros >= interval) {
                limitBps = base * (1 - 0.5 * loss);
                lastDecreaseMicros = nowMicros;
            } else {
                limitBps = base;
            }
            limiting = true;
        } else if (loss >= LOW_LOSS) {
            limitBps = limiting ? Math.min(limitBps, currentBps) : currentBps;
            limiting = true;
        } else if (limiting) {
            limitBps = Math.max(limitBps * Math.pow(ETA, dt / 1e6) + 1000 * dt / 1e6, ackedBps);
            if (limitBps >= delayBasedBps) {
                limiting = false;
            }
        }
        return limiting ? (long) limitBps : Long.MAX_VALUE;
    }

    /** The current limit, Long.MAX_VALUE when not limiting. */
    long limitBps() {
        return limiting ? (long) limitBps : Long.MAX_VALUE;
    }

    boolean limiting() {
        return limiting;
    }
}
