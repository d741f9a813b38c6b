package dev.prism.sfu.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.sfu.cc.SendSideBandwidthEstimator;
import org.junit.jupiter.api.Test;

class ProbeControllerTest {
    private static final long START = 1_000_000;
    /** No feedback yet: normal usage, no loss, estimate 1 Mbit/s. */
    private final SendSideBandwidthEstimator estimator = new SendSideBandwidthEstimator(1_000_000, 100_000, 20_000_000);

    @Test
    void probesWhenMoreWouldBeUsedAndPadsTowardsTheTarget() {
        ProbeController probe = new ProbeController();
        probe.afterAllocation(1_000_000, 400_000, 1_500_000, 900_000, true, START);
        assertTrue(probe.probing(START));
        assertEquals(1, probe.probes());
        // Padding ramps up over PROBE_RAMP_MILLIS: little at first, more once ramped.
        int early = probe.paddingPackets(estimator, 400_000, START + 10);
        int sum = 0;
        for (long t = START + 20; t <= START + 400; t += 10) {
            sum += probe.paddingPackets(estimator, 400_000, t);
        }
        int late = probe.paddingPackets(estimator, 400_000, START + 410);
        assertTrue(late > early, "ramped up: " + early + " -> " + late);
        // Target min(1.5M × 1.2 × 1.1 / 0.9, 6 × 1M) = 2.2 Mbit/s; at full ramp 1.8 Mbit/s of padding = 8.8 pkt per 10 ms.
        assertTrue(late >= 8 && late <= 9, "padding at the target less media: " + late);
        assertTrue(sum > 100, "padding sent through the probe: " + sum);
        assertEquals(0, probe.paddingPackets(estimator, 400_000, START + ProbeController.PROBE_DURATION_MILLIS),
                "the probe ends after its duration");
        assertFalse(probe.probing(START + ProbeController.PROBE_DURATION_MILLIS));
    }

    @Test
    void noProbeWhenNothingBetterWaitsOrNoPaddingIsPossible() {
        ProbeController probe = new ProbeController();
        probe.afterAllocation(1_000_000, 800_000, 800_000, 800_000, true, START);
        probe.afterAllocation(1_000_000, 400_000, 1_500_000, 900_000, false, START);
        probe.afterAllocation(-1, 400_000, 1_500_000, 900_000, true, START);
        assertEquals(0, probe.probes());
        assertFalse(probe.probing(START));
    }

    @Test
    void failureBacksOffDoublingAndSuccessProbesAgainSoon() {
        ProbeController probe = new ProbeController();
        long t = START;
        probe.afterAllocation(1_000_000, 400_000, 1_500_000, 900_000, true, t);
        t += ProbeController.PROBE_DURATION_MILLIS;
        // The estimate did not move: failed; the next attempt waits MIN_PROBE_BACKOFF_MILLIS.
        probe.afterAllocation(1_000_000, 400_000, 1_500_000, 900_000, true, t);
        assertFalse(probe.probing(t));
        probe.afterAllocation(1_000_000, 400_000, 1_500_000, 900_000, true, t + ProbeController.MIN_PROBE_BACKOFF_MILLIS - 1);
        assertEquals(1, probe.probes(), "still backing off");
        t += ProbeController.MIN_PROBE_BACKOFF_MILLIS;
        probe.afterAllocation(1_000_000, 400_000, 1_500_000, 900_000, true, t);
        assertEquals(2, probe.probes(), "second attempt after the backoff");
        t += ProbeController.PROBE_DURATION_MILLIS;
        probe.afterAllocation(1_000_000, 400_000, 1_500_000, 900_000, true, t);
        probe.afterAllocation(1_000_000, 400_000, 1_500_000, 900_000, true, t + 2 * ProbeController.MIN_PROBE_BACKOFF_MILLIS - 1);
        assertEquals(2, probe.probes(), "the backoff doubled");
        t += 2 * ProbeController.MIN_PROBE_BACKOFF_MILLIS;
        probe.afterAllocation(1_000_000, 400_000, 1_500_000, 900_000, true, t);
        assertEquals(3, probe.probes());
        // After failures the goal is the next step (900 kbit/s): target 900k × 1.2 × 1.1 / 0.9 = 1.32 Mbit/s,
        // capped at 1.25 × the estimate = 1.25 Mbit/s. Success is the estimate reaching target / 1.1.
        t += ProbeController.PROBE_DURATION_MILLIS;
        probe.afterAllocation(1_140_000, 400_000, 1_500_000, 900_000, true, t);
        probe.afterAllocation(1_140_000, 400_000, 1_500_000, 900_000, true, t + ProbeController.PROBE_AFTER_SUCCESS_MILLIS);
        assertEquals(4, probe.probes(), "after a success the next probe comes soon");
    }

    @Test
    void stopsAtOnceOnLossOrWhenCancelled() {
        ProbeController probe = new ProbeController();
        probe.afterAllocation(1_000_000, 400_000, 1_500_000, 900_000, true, START);
        probe.stop(START + 50);
        assertFalse(probe.probing(START + 50));
        assertEquals(0, probe.paddingPackets(estimator, 400_000, START + 60));

        // The stopped probe is judged at the next allocation: short of its target, so a failure.
        probe.afterAllocation(1_000_000, 400_000, 1_500_000, 900_000, true, START + 200);
        assertFalse(probe.probing(START + 200), "backing off after the stopped probe");
        long later = START + 200 + ProbeController.MIN_PROBE_BACKOFF_MILLIS;
        probe.afterAllocation(1_000_000, 400_000, 1_500_000, 900_000, true, later);
        assertTrue(probe.probing(later));
        probe.cancel(later + 10);
        assertFalse(probe.probing(later + 10));
        assertEquals(0, probe.paddingPackets(estimator, 400_000, later + 20));
    }
}
