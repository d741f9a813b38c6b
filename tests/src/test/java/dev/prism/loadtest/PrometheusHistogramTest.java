package dev.prism.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrometheusHistogramTest {
    private static final double INF = Double.POSITIVE_INFINITY;

    private static PrometheusHistogram h(double[] bounds, double... cumulative) {
        return new PrometheusHistogram(bounds, cumulative);
    }

    private static final double[] MS = {0.001, 0.002, 0.005, 0.010, INF};

    @Test
    void interpolatesInsideTheBucketTheRankFallsIn() {
        // 100 observations: 40 ≤ 1 ms, 40 in (1, 2] ms, 15 in (2, 5], 4 in (5, 10], 1 above.
        PrometheusHistogram x = h(MS, 40, 80, 95, 99, 100);
        assertEquals(0.00125, x.quantile(0.5), 1e-12, "rank 50: a quarter into (1, 2] ms");
        assertEquals(0.010, x.quantile(0.99), 1e-12, "rank 99: the top of (5, 10]");
        assertEquals(0.00875, x.quantile(0.98), 1e-12, "rank 98: three quarters into (5, 10]");
        assertEquals(0.0005, x.quantile(0.2), 1e-12, "the lowest bucket starts at 0");
    }

    @Test
    void aRankInTheInfBucketGivesTheHighestFiniteBound() {
        PrometheusHistogram x = h(MS, 10, 10, 10, 10, 100);
        assertEquals(0.010, x.quantile(0.5), 1e-12);
        assertEquals(0.010, x.quantile(0.99), 1e-12);
    }

    @Test
    void emptyOrUnusableHistogramsGiveNaN() {
        assertTrue(Double.isNaN(h(MS, 0, 0, 0, 0, 0).quantile(0.5)), "no observations");
        assertTrue(Double.isNaN(h(new double[] {0.001, 0.002}, 1, 2).quantile(0.5)), "no +Inf bucket");
        assertTrue(Double.isNaN(h(new double[] {INF}, 5).quantile(0.5)), "one bucket");
    }

    @Test
    void theWindowIsTheDifferenceOfTwoScrapes() {
        PrometheusHistogram start = h(MS, 1000, 1000, 1000, 1000, 1000); // set-up: all under 1 ms
        PrometheusHistogram end = h(MS, 1000, 1000, 1100, 1100, 1100); // the window: all in (2, 5] ms
        PrometheusHistogram window = end.minus(start);
        assertEquals(h(MS, 0, 0, 100, 100, 100), window);
        assertEquals(0.0035, window.quantile(0.5), 1e-12);
        assertEquals(0.00055, end.quantile(0.5), 1e-12, "the whole run's would hide the window");
        assertEquals(end, end.minus(null), "nothing at the start: all in the window");
        assertNull(start.minus(end), "counts went down: the server restarted");
    }
}
