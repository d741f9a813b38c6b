package dev.prism.sfu.cc;

/**
 * Estimates the one-way delay gradient from group delay variations: accumulates the variations
 * into a delay curve, smooths it exponentially, and fits a least-squares line over the last
 * {@code window} points of (arrival time, smoothed delay). The slope is how fast the bottleneck
 * queue grows (positive) or drains (negative). This is libwebrtc's trendline filter, which
 * replaced the Kalman arrival-time filter of draft-ietf-rmcat-gcc-02 §5.3 in the same role; its
 * output goes to an {@link OveruseDetector} as {@link #modifiedTrend()}, the slope scaled by
 * the number of samples (capped) and a gain, as the threshold of §5.4 expects.
 * Preallocated ring; loop thread only.
 */
final class TrendlineEstimator {
    static final int DEFAULT_WINDOW = 20;
    static final double DEFAULT_SMOOTHING = 0.9;
    static final double DEFAULT_GAIN = 4.0;
    /** Scaling by the sample count stops growing here, so a long call keeps a fixed sensitivity. */
    static final int MAX_DELTAS_SCALE = 60;

    private final int window;
    private final double smoothing;
    private final double gain;
    private final double[] xs;
    private final double[] ys;
    private int count;
    private int head;
    private long firstArrivalMicros = -1;
    private double accumulatedDelayMs;
    private double smoothedDelayMs;
    private int numDeltas;
    private double trend;

    TrendlineEstimator() {
        this(DEFAULT_WINDOW, DEFAULT_SMOOTHING, DEFAULT_GAIN);
    }

    TrendlineEstimator(int window, double smoothing, double gain) {
        this.window = window;
        this.smoothing = smoothing;
        this.gain = gain;
        xs = new double[window];
        ys = new double[window];
    }

    /** One group delay variation: the groups arrived {@code arrivalDeltaMs} apart and were sent {@code sendDeltaMs} apart. */
    void update(double arrivalDeltaMs, double sendDeltaMs, long arrivalMicros) {
        double delta = arrivalDeltaMs - sendDeltaMs;
        numDeltas = Math.min(numDeltas + 1, 1000);
        if (firstArrivalMicros < 0) {
            firstArrivalMicros = arrivalMicros;
        }
        accumulatedDelayMs += delta;
        smoothedDelayMs = smoothing * smoothedDelayMs + (1 - smoothing) * accumulatedDelayMs;
        xs[head] = (arrivalMicros - firstArrivalMicros) / 1000.0;
        ys[head] = smoothedDelayMs;
        head = (head + 1) % window;
        if (count < window) {
            count++;
        }
        if (count == window) {
            trend = slope();
        }
    }

    private double slope() {
        double sumX = 0;
        double sumY = 0;
        for (int i = 0; i < count; i++) {
            sumX += xs[i];
            sumY += ys[i];
        }
        double meanX = sumX / count;
        double meanY = sumY / count;
        double num = 0;
        double den = 0;
        for (int i = 0; i < count; i++) {
            double dx = xs[i] - meanX;
            num += dx * (ys[i] - meanY);
            den += dx * dx;
        }
        return den == 0 ? trend : num / den;
    }

    /** Slope of the smoothed delay curve in ms per ms; 0 until the window is full. */
    double trend() {
        return trend;
    }

    /** The trend scaled for the detector's threshold: min(samples, 60) × trend × gain. */
    double modifiedTrend() {
        return Math.min(numDeltas, MAX_DELTAS_SCALE) * trend * gain;
    }

    int numDeltas() {
        return numDeltas;
    }
}
