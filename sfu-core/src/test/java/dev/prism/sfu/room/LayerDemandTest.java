package dev.prism.sfu.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The pause/resume decisions for one track's simulcast layers, with time passed in. */
class LayerDemandTest {
    private static final int Q = 1, H = 2, F = 4, ALL = Q | H | F;

    @Test
    void everyLayerStartsActive() {
        LayerDemand d = new LayerDemand(3, 1000);
        assertEquals(ALL, d.activeMask());
    }

    @Test
    void aLayerWantedByNobodyIsPausedAfterFiveSecondsNotBefore() {
        LayerDemand d = new LayerDemand(3, 0);
        assertFalse(d.update(Q, 100));
        assertFalse(d.update(Q, LayerDemand.PAUSE_AFTER_MILLIS - 1), "4.999 s: still sent");
        assertTrue(d.update(Q, LayerDemand.PAUSE_AFTER_MILLIS));
        assertEquals(Q, d.activeMask());
        assertFalse(d.update(Q, 60_000), "nothing new to tell");
    }

    @Test
    void aLayerWantedAgainIsResumedAtOnce() {
        LayerDemand d = new LayerDemand(3, 0);
        d.update(Q, 10_000);
        assertEquals(Q, d.activeMask());
        assertTrue(d.update(Q | F, 10_200));
        assertEquals(Q | F, d.activeMask(), "the top layer back, the middle one still paused");
        assertTrue(d.active(2));
        assertFalse(d.active(1));
    }

    @Test
    void aShortDipDoesNotPauseTheHysteresisRestartsWhenWanted() {
        LayerDemand d = new LayerDemand(3, 0);
        d.update(Q, 4_000);
        d.update(ALL, 4_500);                     // wanted again just before the deadline
        assertFalse(d.update(Q, 9_000), "5 s counts from the last time it was wanted");
        assertEquals(ALL, d.activeMask());
        assertTrue(d.update(Q, 9_500));
        assertEquals(Q, d.activeMask());
    }

    @Test
    void onlyTheUnwantedLayerIsPaused() {
        LayerDemand d = new LayerDemand(3, 0);
        assertTrue(d.update(Q | H, 6_000));
        assertEquals(Q | H, d.activeMask());
    }

    @Test
    void theLowestLayerIsNeverPaused() {
        LayerDemand d = new LayerDemand(3, 0);
        assertTrue(d.update(0, 10_000));
        assertEquals(Q, d.activeMask(), "nobody wants anything: the lowest is still sent");
        LayerDemand single = new LayerDemand(1, 0);
        assertFalse(single.update(0, 60_000));
        assertEquals(Q, single.activeMask());
    }

    @Test
    void layerCountsOutsideAMaskAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LayerDemand(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new LayerDemand(LayerDemand.MAX_LAYERS + 1, 0));
    }

    @Test
    void pausedLayersKeepTheirRateUntilTheirGraceAfterResumingEnds() {
        PausedLayerRates r = new PausedLayerRates(3);
        assertEquals(-1, r.rate(2, 0), "never paused: nothing to assume");
        r.pause(2, 1_500_000, 0);
        r.pause(1, 0, 0);
        assertTrue(r.paused(2));
        assertEquals(1_500_000, r.rate(2, 100_000), "paused: offered at its last rate however long");
        assertEquals(PausedLayerRates.UNMEASURED_BPS_PER_LAYER, r.rate(1, 100_000), "never measured: a guess");
        r.resume(2, 200_000);
        assertFalse(r.paused(2));
        assertEquals(1_500_000, r.rate(2, 200_000 + PausedLayerRates.RESUME_GRACE_MILLIS - 1));
        assertEquals(-1, r.rate(2, 200_000 + PausedLayerRates.RESUME_GRACE_MILLIS),
                "resumed but still not sent: the publisher's own choice");
    }

    @Test
    void aLayerThatCameBackWithNothingIsNotOfferedAgainForAWhileDoublingEachTime() {
        PausedLayerRates r = new PausedLayerRates(3);
        r.pause(2, 1_500_000, 0);
        long t = 10_000;
        for (long backoff : new long[] {10_000, 20_000, 40_000, 80_000, 80_000}) {
            r.resume(2, t);
            t += PausedLayerRates.RESUME_GRACE_MILLIS + LayerDemand.PAUSE_AFTER_MILLIS;
            r.pause(2, 0, t); // the publisher sent nothing after the resume (its uplink)
            assertEquals(-1, r.rate(2, t + backoff - 1), "backing off " + backoff);
            assertEquals(1_500_000, r.rate(2, t + backoff), "offered again at its last real rate");
            t += backoff;
        }
        r.resume(2, t);
        r.pause(2, 900_000, t + 8000); // this time it came back
        assertEquals(900_000, r.rate(2, t + 8000), "no backoff after a resume that worked");
        r.resume(2, t + 9000);
        r.pause(2, 0, t + 20_000);
        assertEquals(-1, r.rate(2, t + 20_000 + PausedLayerRates.MIN_BACKOFF_MILLIS - 1), "backoff starts over");
    }
}
