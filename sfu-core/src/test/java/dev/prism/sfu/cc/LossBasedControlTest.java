package dev.prism.sfu.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LossBasedControlTest {
    private static final long MS = 1000;

    @Test
    void heavyLossCutsModerateLossHolds() {
        LossBasedControl c = new LossBasedControl();
        long limit = c.update(0.20, 1_000_000, 1_000_000, 900_000, 50, 0);
        assertEquals(900_000, limit, "1 - 0.5 × 20 % of the current estimate");
        assertEquals(900_000, c.update(0.05, 900_000, 1_200_000, 800_000, 50, 100 * MS), "5 % holds");
    }

    @Test
    void withLittleLossTheLimitGrowsSlowlyUnlessMoreIsProvenDelivered() {
        LossBasedControl c = new LossBasedControl();
        c.update(0.20, 300_000, 300_000, 250_000, 50, 0); // limit 270 kbit/s
        long grown = c.update(0.0, 270_000, 5_000_000, 200_000, 50, 1000 * MS);
        assertTrue(grown > 270_000 && grown < 300_000, "8 %/s when nothing more got through: " + grown);
        long probed = c.update(0.0, grown, 5_000_000, 1_500_000, 50, 1100 * MS);
        assertEquals(1_500_000, probed, "a probe delivered 1.5 Mbit/s without loss: the limit follows at once");
        assertEquals(Long.MAX_VALUE, c.update(0.0, probed, 1_400_000, 1_500_000, 50, 1200 * MS),
                "back at the delay-based estimate: the limit lifts");
    }
}
