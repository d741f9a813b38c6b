package dev.prism.sfu.cc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The estimator closed over a simulated bottleneck (see {@link LinkSimulator}); all time is simulated. */
class SendSideBandwidthEstimatorSimulationTest {
    private static final long S = 1_000_000;

    @Test
    void convergesBelowABottleneckThenRampsWithPaddingWhenItWidens() {
        SendSideBandwidthEstimator bwe = new SendSideBandwidthEstimator(1_000_000, 30_000, 20_000_000);
        // 500 kbit/s, a 64 KB buffer (~1 s at this rate), 25 ms each way; sequence starts near the wrap.
        LinkSimulator sim = new LinkSimulator(bwe, 500_000, 64_000, 25_000, 65_000, 1);
        try {
            sim.runFor(15 * S);
            long settled = sim.settledAt(0, 300_000, 600_000);
            double drops = sim.dropFraction(10 * S, 15 * S);
            System.out.printf("500 kbit/s bottleneck from 1 Mbit/s: in [300, 600] kbit/s from t=%.1f s;"
                            + " last 5 s min %d max %d kbit/s; bottleneck loss %.2f %%%n%s",
                    settled / 1e6, sim.minEstimate(10 * S, 15 * S) / 1000, sim.maxEstimate(10 * S, 15 * S) / 1000,
                    100 * drops, sim.trace(0, 15 * S + 1));
            assertTrue(settled >= 0 && settled <= 10 * S, "settles in [300, 600] kbit/s within 10 s, at " + settled);
            assertTrue(drops < 0.02, "bottleneck loss over the last 5 s under 2 %: " + drops);

            sim.capacityBps = 5_000_000;
            sim.padFactor = 1.5;
            long raisedAt = sim.nowMicros();
            sim.runFor(20 * S);
            long above = sim.firstAbove(raisedAt, 2_500_000);
            System.out.printf("capacity raised to 5 Mbit/s at t=%.1f s with padding to 1.5 x estimate:"
                            + " above 2.5 Mbit/s at t=%.1f s (%.1f s later); final %d kbit/s%n%s",
                    raisedAt / 1e6, above / 1e6, (above - raisedAt) / 1e6, bwe.estimateBps() / 1000,
                    sim.trace(raisedAt, sim.nowMicros() + 1));
            assertTrue(above >= 0, "exceeds 2.5 Mbit/s within 20 s of the capacity rise");
        } finally {
            sim.release();
        }
    }

    @Test
    void afterATightBottleneckWithTailDropsLiftsProbingClimbsBackInSeconds() {
        // 250 kbit/s with a short queue (100 ms, like the tbf in AdaptationTest): tail drops put the
        // loss-based part in charge. When the bottleneck lifts, padding to 1.5 × the estimate must
        // bring the estimate back up in seconds, not at the loss-based 8 %/s (~27 s to 2 Mbit/s).
        SendSideBandwidthEstimator bwe = new SendSideBandwidthEstimator(1_000_000, 30_000, 20_000_000);
        LinkSimulator sim = new LinkSimulator(bwe, 250_000, 3_200, 20_000, 0, 5);
        try {
            sim.runFor(15 * S);
            long low = bwe.estimateBps();
            sim.capacityBps = 10_000_000;
            sim.padFactor = 1.5;
            long raisedAt = sim.nowMicros();
            sim.runFor(15 * S);
            long above = sim.firstAbove(raisedAt, 2_000_000);
            System.out.printf("250 kbit/s, 100 ms queue: estimate %d kbit/s; lifted to 10 Mbit/s with padding:"
                            + " above 2 Mbit/s %.1f s later%n%s", low / 1000,
                    above < 0 ? -1 : (above - raisedAt) / 1e6, sim.trace(raisedAt, sim.nowMicros() + 1));
            assertTrue(low < 400_000, "settled near the bottleneck first: " + low);
            assertTrue(above >= 0 && above - raisedAt <= 8 * S, "above 2 Mbit/s within 8 s of the lift: " + above);
        } finally {
            sim.release();
        }
    }

    @Test
    void withoutPaddingAWiderLinkIsNotClaimed() {
        // The sender never sends more than 400 kbit/s of media: whatever the link could carry, the
        // estimate may not run away from what is acknowledged (1.5 × acked + 10 kbit/s).
        SendSideBandwidthEstimator bwe = new SendSideBandwidthEstimator(300_000, 30_000, 20_000_000);
        LinkSimulator sim = new LinkSimulator(bwe, 10_000_000, 200_000, 20_000, 0, 2);
        sim.maxMediaBps = 400_000;
        try {
            sim.runFor(20 * S);
            long max = sim.maxEstimate(0, 20 * S + 1);
            System.out.printf("media capped at 400 kbit/s on a 10 Mbit/s link: estimate at most %d kbit/s%n", max / 1000);
            assertTrue(max <= 700_000, "estimate stays near 1.5 x acked (610 kbit/s), far below the link: " + max);
        } finally {
            sim.release();
        }
    }

    @Test
    void fivePercentRandomLossIsNotCongestion() {
        SendSideBandwidthEstimator bwe = new SendSideBandwidthEstimator(2_000_000, 30_000, 20_000_000);
        LinkSimulator sim = new LinkSimulator(bwe, 10_000_000, 200_000, 20_000, 65_500, 3);
        sim.randomLoss = 0.05;
        sim.maxMediaBps = 3_000_000;
        try {
            sim.runFor(30 * S);
            long min = sim.minEstimate(S, 30 * S + 1);
            System.out.printf("5 %% random loss, 20 ms, 10 Mbit/s, media <= 3 Mbit/s from 2 Mbit/s:"
                            + " min %d kbit/s, final %d kbit/s, reported loss %.1f %%%n%s",
                    min / 1000, bwe.estimateBps() / 1000, 100 * bwe.lossFraction(), sim.trace(0, 30 * S + 1));
            assertTrue(min > 1_000_000, "estimate stays above 1 Mbit/s: " + min);
            assertTrue(bwe.lossFraction() > 0.02 && bwe.lossFraction() < 0.10, "loss is seen: " + bwe.lossFraction());
        } finally {
            sim.release();
        }
    }

    @Test
    void tenPercentOfLossAndMoreCutsTheEstimate() {
        SendSideBandwidthEstimator bwe = new SendSideBandwidthEstimator(2_000_000, 30_000, 20_000_000);
        LinkSimulator sim = new LinkSimulator(bwe, 10_000_000, 200_000, 20_000, 0, 4);
        sim.randomLoss = 0.25;
        try {
            sim.runFor(10 * S);
            System.out.printf("25 %% random loss from 2 Mbit/s: after 10 s %d kbit/s%n", bwe.estimateBps() / 1000);
            assertTrue(bwe.estimateBps() < 1_000_000, "heavy loss cuts the estimate: " + bwe.estimateBps());
        } finally {
            sim.release();
        }
    }
}
