package dev.prism.loadtest;

import java.util.Arrays;
import java.util.Map;

/**
 * A classic Prometheus histogram as cumulative counts per upper bound ({@code le}), ascending.
 * {@link #minus} gives a window's histogram from two scrapes; {@link #quantile} estimates as
 * PromQL's {@code histogram_quantile} does, so figures match what an operator sees in Grafana.
 */
record PrometheusHistogram(double[] bounds, double[] cumulative) {

    static PrometheusHistogram of(Map<Double, Double> countsByBound) {
        double[] b = new double[countsByBound.size()];
        double[] c = new double[b.length];
        int i = 0;
        for (Map.Entry<Double, Double> e : new java.util.TreeMap<>(countsByBound).entrySet()) {
            b[i] = e.getKey();
            c[i++] = e.getValue();
        }
        return new PrometheusHistogram(b, c);
    }

    /** Observations: the +Inf bucket's count, or NaN without one. */
    double count() {
        int n = bounds.length;
        return n > 0 && bounds[n - 1] == Double.POSITIVE_INFINITY ? cumulative[n - 1] : Double.NaN;
    }

    /**
     * This histogram less an earlier scrape of it, per bound: a bound missing from {@code earlier}
     * counts 0 there (its series started in between). Null when a count went down (the server
     * restarted, so the difference means nothing).
     */
    PrometheusHistogram minus(PrometheusHistogram earlier) {
        double[] c = new double[bounds.length];
        for (int i = 0; i < bounds.length; i++) {
            int j = earlier == null ? -1 : Arrays.binarySearch(earlier.bounds, bounds[i]);
            c[i] = cumulative[i] - (j >= 0 ? earlier.cumulative[j] : 0);
            if (c[i] < 0) {
                return null;
            }
        }
        return new PrometheusHistogram(bounds, c);
    }

    /**
     * The {@code q} quantile (0..1), as {@code histogram_quantile}: linear interpolation inside the
     * bucket the rank falls in, the lowest bucket from 0 (or its bound when that is ≤ 0), the
     * highest finite bound when the rank falls in +Inf. NaN without a +Inf bucket, with fewer than
     * two buckets, or without observations.
     */
    double quantile(double q) {
        int n = bounds.length;
        double total = count();
        if (Double.isNaN(q) || n < 2 || Double.isNaN(total) || !(total > 0)) {
            return Double.NaN;
        }
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        // Like Prometheus, a count lower than the one below it (scrape skew) is raised to it.
        double[] c = cumulative.clone();
        for (int i = 1; i < n; i++) {
            c[i] = Math.max(c[i], c[i - 1]);
        }
        double rank = q * c[n - 1];
        int b = 0;
        while (b < n - 1 && c[b] < rank) {
            b++;
        }
        if (b == n - 1) {
            return bounds[n - 2];
        }
        if (b == 0 && bounds[0] <= 0) {
            return bounds[0];
        }
        double start = b == 0 ? 0 : bounds[b - 1];
        double below = b == 0 ? 0 : c[b - 1];
        double inBucket = c[b] - below;
        return inBucket <= 0 ? bounds[b] : start + (bounds[b] - start) * ((rank - below) / inBucket);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PrometheusHistogram h && Arrays.equals(bounds, h.bounds) && Arrays.equals(cumulative, h.cumulative);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(bounds) + Arrays.hashCode(cumulative);
    }

    @Override
    public String toString() {
        return "PrometheusHistogram" + Arrays.toString(bounds) + Arrays.toString(cumulative);
    }
}
