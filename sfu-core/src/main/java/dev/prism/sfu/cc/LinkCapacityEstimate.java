package dev.prism.sfu.cc;

/**
 * Where the last congestion happened: an exponential average of the acknowledged rate at each
 * over-use, with its normalised variance (draft-ietf-rmcat-gcc-02 §5.5: "the average and
 * variance of the incoming bitrate measured when the over-use was detected"). Near it the rate
 * control increases additively; far from it (or when unknown) multiplicatively.
 */
final class LinkCapacityEstimate {
    private static final double ALPHA = 0.05;
    private double estimateKbps = -1;
    private double deviationKbps = 0.4;

    void onOveruse(long ackedBps) {
        double sample = ackedBps / 1000.0;
        if (estimateKbps < 0) {
            estimateKbps = sample;
        } else {
            estimateKbps = (1 - ALPHA) * estimateKbps + ALPHA * sample;
        }
        double norm = Math.max(estimateKbps, 1.0);
        double error = estimateKbps - sample;
        deviationKbps = (1 - ALPHA) * deviationKbps + ALPHA * error * error / norm;
        deviationKbps = Math.max(0.4, Math.min(2.5, deviationKbps));
    }

    boolean known() {
        return estimateKbps >= 0;
    }

    /** Three standard deviations above the average, bps. */
    double upperBps() {
        return (estimateKbps + 3 * Math.sqrt(estimateKbps * deviationKbps)) * 1000;
    }

    double lowerBps() {
        return Math.max(0, estimateKbps - 3 * Math.sqrt(estimateKbps * deviationKbps)) * 1000;
    }

    double estimateBps() {
        return estimateKbps * 1000;
    }

    void reset() {
        estimateKbps = -1;
        deviationKbps = 0.4;
    }
}
