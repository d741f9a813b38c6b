package dev.prism.sfu.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The trendline filter and over-use detector on hand-made group delay series. */
class TrendlineEstimatorTest {
    private final TrendlineEstimator trendline = new TrendlineEstimator();
    private final OveruseDetector detector = new OveruseDetector();
    private long arrivalMicros = 1_000_000;

    /** Feeds {@code groups} groups sent 5 ms apart whose arrivals are 5 ms + {@code extraMs} apart; returns the last hypothesis. */
    private BandwidthUsage feed(int groups, double extraMs) {
        BandwidthUsage u = detector.state();
        for (int i = 0; i < groups; i++) {
            double arrivalDeltaMs = 5 + extraMs;
            arrivalMicros += (long) (arrivalDeltaMs * 1000);
            trendline.update(arrivalDeltaMs, 5, arrivalMicros);
            u = detector.detect(trendline.modifiedTrend(), trendline.trend(), 5, trendline.numDeltas(), arrivalMicros / 1000);
        }
        return u;
    }

    @Test
    void flatDelayStaysNormal() {
        assertEquals(BandwidthUsage.NORMAL, feed(200, 0));
        assertEquals(0, trendline.trend(), 1e-9);
    }

    @Test
    void smallJitterAroundAFlatDelayStaysNormal() {
        for (int i = 0; i < 200; i++) {
            assertEquals(BandwidthUsage.NORMAL, feed(1, (i % 2 == 0) ? 0.4 : -0.4), "group " + i);
        }
    }

    @Test
    void risingDelayIsOveruse() {
        feed(40, 0);
        // The queue grows 1 ms per 5 ms group: a 20 % overload.
        assertEquals(BandwidthUsage.OVERUSE, feed(30, 1));
        assertTrue(trendline.trend() > 0.05, "trend " + trendline.trend());
    }

    @Test
    void overuseIsNotSignalledOnAFirstSampleAboveThreshold() {
        feed(40, 0);
        // One group late then flat: the trend jumps but does not keep growing.
        assertFalse(feed(1, 8) == BandwidthUsage.OVERUSE);
    }

    @Test
    void drainingQueueIsUnderuseThenNormalAgain() {
        feed(40, 0);
        feed(30, 1);
        assertEquals(BandwidthUsage.UNDERUSE, feed(30, -1));
        assertEquals(BandwidthUsage.NORMAL, feed(60, 0));
    }

    @Test
    void thresholdSinksUnderFlatDelayAndRisesUnderASustainedModerateTrend() {
        feed(100, 0);
        assertEquals(OveruseDetector.MIN_THRESHOLD, detector.threshold(), 1e-9);
        // 0.3 ms per 5 ms group: a modified trend near 15, above the threshold but not an outlier.
        feed(100, 0.3);
        assertTrue(detector.threshold() > OveruseDetector.MIN_THRESHOLD + 3, "threshold " + detector.threshold());
        assertTrue(detector.threshold() <= OveruseDetector.MAX_THRESHOLD);
    }

    @Test
    void interArrivalGroupsBurstsOfFiveMillisecondsAndYieldsTheirDeltas() {
        InterArrivalGroups g = new InterArrivalGroups();
        // Group 1: sent 0, 2, 4 ms; group 2: sent 10, 12 ms; group 3 starts at 20 ms.
        assertFalse(g.add(0, 50_000));
        assertFalse(g.add(2_000, 52_000));
        assertFalse(g.add(4_000, 54_000));
        assertFalse(g.add(10_000, 61_000)); // closes group 1: no previous group yet
        assertFalse(g.add(12_000, 63_000));
        assertTrue(g.add(20_000, 70_000));  // closes group 2
        assertEquals(8_000, g.sendDeltaMicros());    // 12 - 4
        assertEquals(9_000, g.arrivalDeltaMicros()); // 63 - 54
        assertEquals(63_000, g.groupArrivalMicros());
    }

    @Test
    void interArrivalGroupsMergesAPacketsBurstThatArrivesFasterThanSent() {
        InterArrivalGroups g = new InterArrivalGroups();
        g.add(0, 100_000);
        g.add(10_000, 140_000); // group 2 (held up)
        // Sent 10 ms later but arrives 1 ms after: a burst released at once, same group.
        assertFalse(g.add(20_000, 141_000));
        assertTrue(g.add(40_000, 160_000));
        assertEquals(20_000 - 0, g.sendDeltaMicros());
        assertEquals(141_000 - 100_000, g.arrivalDeltaMicros());
    }
}
