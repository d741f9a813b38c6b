package dev.prism.sfu.cc;

/**
 * Compares the modified delay trend with an adaptive threshold (draft-ietf-rmcat-gcc-02 §5.4).
 * Over-use is signalled only after the trend stays above the threshold for more than
 * {@link #OVERUSE_TIME_MS} and at least two samples without falling, so a single jittery group
 * does not cut the rate. The threshold follows |trend| (§5.4 eq. for gamma): up slowly
 * ({@link #K_UP}) so that it does not chase a real queue, down faster ({@link #K_DOWN}) — the
 * libwebrtc constants for the trendline filter — and ignores samples far off it, so a
 * concurrent TCP flow does not starve us by pushing the threshold up (the point of §5.4).
 * Loop thread only.
 */
final class OveruseDetector {
    static final double INITIAL_THRESHOLD = 12.5;
    static final double MIN_THRESHOLD = 6;
    static final double MAX_THRESHOLD = 600;
    static final double K_UP = 0.0087;
    static final double K_DOWN = 0.039;
    static final double MAX_ADAPT_OFFSET = 15;
    static final double OVERUSE_TIME_MS = 10;

    private double threshold = INITIAL_THRESHOLD;
    private long lastUpdateMs = -1;
    private double timeOverUsingMs = -1;
    private int overuseCounter;
    private double prevTrend;
    private BandwidthUsage state = BandwidthUsage.NORMAL;

    /** One detection step after a trendline update; returns the new hypothesis. */
    BandwidthUsage detect(double modifiedTrend, double trend, double sendDeltaMs, int numDeltas, long nowMs) {
        if (numDeltas < 2) {
            return state;
        }
        if (modifiedTrend > threshold) {
            if (timeOverUsingMs == -1) {
                timeOverUsingMs = sendDeltaMs / 2; // assume we were half-way into over-use when sampled
            } else {
                timeOverUsingMs += sendDeltaMs;
            }
            overuseCounter++;
            if (timeOverUsingMs > OVERUSE_TIME_MS && overuseCounter > 1 && trend >= prevTrend) {
                timeOverUsingMs = 0;
                overuseCounter = 0;
                state = BandwidthUsage.OVERUSE;
            }
        } else if (modifiedTrend < -threshold) {
            timeOverUsingMs = -1;
            overuseCounter = 0;
            state = BandwidthUsage.UNDERUSE;
        } else {
            timeOverUsingMs = -1;
            overuseCounter = 0;
            state = BandwidthUsage.NORMAL;
        }
        prevTrend = trend;
        adaptThreshold(modifiedTrend, nowMs);
        return state;
    }

    private void adaptThreshold(double modifiedTrend, long nowMs) {
        if (lastUpdateMs == -1) {
            lastUpdateMs = nowMs;
        }
        double abs = Math.abs(modifiedTrend);
        if (abs > threshold + MAX_ADAPT_OFFSET) {
            lastUpdateMs = nowMs; // an outlier (e.g. a sudden route change): do not adapt to it
            return;
        }
        double k = abs < threshold ? K_DOWN : K_UP;
        long dt = Math.min(nowMs - lastUpdateMs, 100);
        threshold += k * (abs - threshold) * dt;
        threshold = Math.max(MIN_THRESHOLD, Math.min(MAX_THRESHOLD, threshold));
        lastUpdateMs = nowMs;
    }

    BandwidthUsage state() {
        return state;
    }

    double threshold() {
        return threshold;
    }
}
