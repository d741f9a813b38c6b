package dev.prism.sfu.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AimdRateControlTest {
    private static final long MS = 1_000;

    @Test
    void overuseDecreasesToEightyFivePercentOfAcknowledged() {
        AimdRateControl c = new AimdRateControl(1_000_000, 10_000, 10_000_000);
        assertEquals(425_000, c.update(BandwidthUsage.OVERUSE, 500_000, 50, 100 * MS));
        // Still over-using within one round trip: no second cut.
        assertEquals(425_000, c.update(BandwidthUsage.OVERUSE, 500_000, 50, 120 * MS));
        assertEquals(361_250, c.update(BandwidthUsage.OVERUSE, 425_000, 50, 200 * MS));
    }

    @Test
    void underuseHolds() {
        AimdRateControl c = new AimdRateControl(1_000_000, 10_000, 10_000_000);
        for (int i = 1; i <= 20; i++) {
            assertEquals(1_000_000, c.update(BandwidthUsage.UNDERUSE, 1_000_000, 50, i * 100 * MS));
        }
    }

    @Test
    void farFromCongestionIncreasesAboutEightPercentPerSecond() {
        AimdRateControl c = new AimdRateControl(1_000_000, 10_000, 10_000_000);
        long bps = 0;
        for (int i = 0; i <= 10; i++) {
            bps = c.update(BandwidthUsage.NORMAL, 1_000_000, 50, i * 100 * MS);
        }
        assertEquals(1_080_000, bps, 2_000);
    }

    @Test
    void nearTheLastCongestionIncreasesAdditively() {
        AimdRateControl c = new AimdRateControl(1_000_000, 10_000, 10_000_000);
        c.update(BandwidthUsage.OVERUSE, 1_000_000, 100, 0);
        long after = c.bitrateBps(); // 850 kbit/s
        long bps = 0;
        for (int i = 1; i <= 10; i++) {
            bps = c.update(BandwidthUsage.NORMAL, after, 100, 2_000 * MS + i * 100 * MS);
        }
        // About one packet per 200 ms response time: tens of kbit/s per second, less than 8 % (68 kbit/s).
        assertTrue(bps - after > 4_000 && bps - after < 0.06 * after, "additive step " + (bps - after));
    }

    @Test
    void neverIncreasesPastOneAndAHalfTimesAcknowledged() {
        AimdRateControl c = new AimdRateControl(300_000, 10_000, 10_000_000);
        long bps = 0;
        for (int i = 0; i < 600; i++) {
            bps = c.update(BandwidthUsage.NORMAL, 200_000, 50, i * 100 * MS);
        }
        assertEquals(310_000, bps);
    }
}
