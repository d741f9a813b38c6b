package dev.prism.sfu.cc;

/**
 * The delay-based rate controller of draft-ietf-rmcat-gcc-02 §5.5: a state machine
 * (hold/increase/decrease) driven by the over-use hypothesis.
 * <ul>
 * <li>Over-use: decrease to {@link #BETA} × the acknowledged rate (what actually got through),
 *     at most once per round trip so one queue is not punished twice, then hold.</li>
 * <li>Under-use: hold, letting the queue drain without refilling it.</li>
 * <li>Normal: increase — multiplicatively ({@link #ETA} per second) while far from the last
 *     congestion point, additively (about one packet per response time) near it.</li>
 * </ul>
 * An increase never goes past 1.5 × acknowledged + 10 kbit/s (§5.5), so a rate is only claimed
 * once traffic at about that rate is seen delivered. And when the delivered rate itself is above
 * the estimate while delay is not growing (the caller padded to probe), the estimate moves up to
 * that rate at once: a rate the path carried without a queue forming is proven, which is how
 * libwebrtc's probe results reset this controller. Loop thread only.
 */
final class AimdRateControl {
    static final double BETA = 0.85;
    static final double ETA = 1.08;
    static final double MAX_INCREASE_FACTOR = 1.5;
    static final double MAX_INCREASE_HEADROOM_BPS = 10_000;
    static final long DEFAULT_RTT_MS = 200;
    /** Longer than the acknowledged-rate window plus a feedback interval. */
    static final long PROBE_SETTLE_MICROS = 1_000_000;

    private enum State { HOLD, INCREASE, DECREASE }

    private final double minBps;
    private final double maxBps;
    private final LinkCapacityEstimate linkCapacity = new LinkCapacityEstimate();
    private double bitrate;
    private State state = State.HOLD;
    private long lastUpdateMicros = -1;
    private long lastChangeMicros = -1;

    AimdRateControl(long initialBps, long minBps, long maxBps) {
        this.minBps = minBps;
        this.maxBps = maxBps;
        this.bitrate = clamp(initialBps);
    }

    /**
     * One step after a feedback. {@code ackedBps} ≤ 0 means not known yet; {@code rttMs} < 0
     * means unknown. Returns the new delay-based estimate.
     */
    long update(BandwidthUsage usage, long ackedBps, long rttMs, long nowMicros) {
        long rtt = rttMs < 0 ? DEFAULT_RTT_MS : rttMs;
        switch (usage) {
            case OVERUSE -> state = State.DECREASE;
            case UNDERUSE -> state = State.HOLD;
            case NORMAL -> {
                if (state == State.HOLD || state == State.DECREASE) {
                    state = State.INCREASE;
                    lastUpdateMicros = nowMicros; // the hold is not increase time
                }
            }
        }
        long dtMicros = lastUpdateMicros < 0 ? 0 : Math.min(nowMicros - lastUpdateMicros, 1_000_000);
        if (state == State.INCREASE) {
            increase(ackedBps, rtt, dtMicros, nowMicros);
        } else if (state == State.DECREASE) {
            if (timeToReduceFurther(nowMicros, rtt, ackedBps)) {
                decrease(ackedBps);
                lastChangeMicros = nowMicros;
            }
            state = State.HOLD;
        }
        lastUpdateMicros = nowMicros;
        return (long) bitrate;
    }

    private void increase(long ackedBps, long rttMs, long dtMicros, long nowMicros) {
        if (ackedBps <= 0) {
            return; // nothing acknowledged yet: no evidence for more
        }
        if (linkCapacity.known() && ackedBps > linkCapacity.upperBps()) {
            linkCapacity.reset(); // the path got better: the old congestion point is stale
        }
        if (ackedBps > bitrate && (lastChangeMicros < 0 || nowMicros - lastChangeMicros > PROBE_SETTLE_MICROS)) {
            // Delivered without a queue forming: proven. Not right after a decrease, while the
            // acknowledged window still holds the rate that caused it.
            bitrate = Math.min(ackedBps, maxBps);
        }
        double limit = MAX_INCREASE_FACTOR * ackedBps + MAX_INCREASE_HEADROOM_BPS;
        if (bitrate >= limit) {
            return;
        }
        double step = linkCapacity.known()
                ? additiveIncrease(rttMs, dtMicros)
                : multiplicativeIncrease(dtMicros);
        bitrate = clamp(Math.min(bitrate + step, limit));
    }

    private double multiplicativeIncrease(long dtMicros) {
        double factor = Math.pow(ETA, dtMicros / 1e6);
        return Math.max(bitrate * (factor - 1), 1000 * dtMicros / 1e6);
    }

    /** About one average packet per response time (rtt + 100 ms), at least 4 kbit/s per second. */
    private double additiveIncrease(long rttMs, long dtMicros) {
        double bitsPerFrame = bitrate / 30.0;
        double packetsPerFrame = Math.ceil(bitsPerFrame / (1200 * 8));
        double packetBits = bitsPerFrame / packetsPerFrame;
        double responseMs = rttMs + 100;
        double perSecond = Math.max(4000, packetBits * 1000 / responseMs);
        return perSecond * dtMicros / 1e6;
    }

    private void decrease(long ackedBps) {
        double base = ackedBps > 0 ? ackedBps : bitrate;
        double next = BETA * base;
        if (next > bitrate) {
            next = bitrate; // never increase on over-use
        }
        if (ackedBps > 0) {
            if (linkCapacity.known() && ackedBps < linkCapacity.lowerBps()) {
                linkCapacity.reset(); // capacity fell well below the old point: start afresh
            }
            linkCapacity.onOveruse(ackedBps);
        }
        bitrate = clamp(next);
    }

    /** At most one decrease per round trip (clamped to 10..200 ms), unless the rate is far above what gets through. */
    private boolean timeToReduceFurther(long nowMicros, long rttMs, long ackedBps) {
        if (lastChangeMicros < 0) {
            return true;
        }
        long interval = Math.max(10, Math.min(200, rttMs)) * 1000;
        if (nowMicros - lastChangeMicros >= interval) {
            return true;
        }
        return ackedBps > 0 && ackedBps < bitrate / 2;
    }

    long bitrateBps() {
        return (long) bitrate;
    }

    private double clamp(double bps) {
        return Math.max(minBps, Math.min(maxBps, bps));
    }
}
