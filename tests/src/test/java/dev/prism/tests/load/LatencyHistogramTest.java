package dev.prism.tests.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.loadtest.LatencyHistogram;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void percentilesWithinTwoPercent() {
        LatencyHistogram h = new LatencyHistogram();
        for (long v = 1; v <= 100_000; v++) {
            h.record(v);
        }
        assertEquals(100_000, h.count());
        assertEquals(100_000, h.maxMicros());
        assertEquals(50_000, h.percentileMicros(50), 50_000 * 0.02);
        assertEquals(99_000, h.percentileMicros(99), 99_000 * 0.02);
        assertEquals(100_000, h.percentileMicros(100));
    }

    @Test
    void smallValuesAreExactAndMergingAddsCounts() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        for (int i = 0; i < 99; i++) {
            a.record(42);
        }
        b.record(5_000_000_000L); // beyond the last bucket: clamped there, max stays exact
        a.add(b);
        assertEquals(100, a.count());
        assertEquals(42, a.percentileMicros(50));
        assertEquals(5_000_000_000L, a.maxMicros());
        assertTrue(a.percentileMicros(100) == 5_000_000_000L);
        assertEquals(0, new LatencyHistogram().percentileMicros(50));
    }
}
