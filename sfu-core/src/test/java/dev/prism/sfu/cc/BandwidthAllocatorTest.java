package dev.prism.sfu.cc;

import static dev.prism.sfu.cc.BandwidthAllocator.PRIORITY_NORMAL;
import static dev.prism.sfu.cc.BandwidthAllocator.PRIORITY_SCREEN;
import static dev.prism.sfu.cc.BandwidthAllocator.PRIORITY_SPEAKER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.prism.sfu.cc.BandwidthAllocator.Subscription;
import java.util.List;
import org.junit.jupiter.api.Test;

class BandwidthAllocatorTest {
    private static final long[] SIMULCAST = {150_000, 500_000, 1_800_000};

    private static Subscription camera(int priority) {
        return new Subscription(SIMULCAST, priority, 2);
    }

    @Test
    void oneSubscriptionGetsTheHighestLayerTheEstimatePaysFor() {
        assertArrayEquals(new int[] {2}, BandwidthAllocator.allocate(2_000_000, List.of(camera(PRIORITY_NORMAL))));
        assertArrayEquals(new int[] {1}, BandwidthAllocator.allocate(1_000_000, List.of(camera(PRIORITY_NORMAL))));
        assertArrayEquals(new int[] {0}, BandwidthAllocator.allocate(400_000, List.of(camera(PRIORITY_NORMAL))));
    }

    @Test
    void belowTheLowestLayerTheLowestIsStillSentSoNothingFreezes() {
        assertArrayEquals(new int[] {0, 0}, BandwidthAllocator.allocate(100_000,
                List.of(camera(PRIORITY_NORMAL), camera(PRIORITY_NORMAL))));
    }

    @Test
    void screenShareThenSpeakerThenTheRest() {
        List<Subscription> subs = List.of(camera(PRIORITY_NORMAL), camera(PRIORITY_SPEAKER), camera(PRIORITY_SCREEN));
        // 0.45 M for three lowest layers, then 1.65 M extra on the screen share takes it to the top.
        assertArrayEquals(new int[] {0, 0, 2}, BandwidthAllocator.allocate(2_100_000, subs));
        // 0.35 M more lifts the speaker to the middle layer, not the normal camera.
        assertArrayEquals(new int[] {0, 1, 2}, BandwidthAllocator.allocate(2_450_000, subs));
        assertArrayEquals(new int[] {2, 2, 2}, BandwidthAllocator.allocate(6_000_000, subs));
    }

    @Test
    void theSubscribersMaximumSizeAndPausedLayersAreRespected() {
        Subscription small = new Subscription(SIMULCAST, PRIORITY_NORMAL, 1);
        Subscription topPaused = new Subscription(new long[] {150_000, 500_000, -1}, PRIORITY_NORMAL, 2);
        Subscription onlyTop = new Subscription(new long[] {-1, -1, 1_800_000}, PRIORITY_NORMAL, 2);
        int[] chosen = BandwidthAllocator.allocate(10_000_000, List.of(small, topPaused, onlyTop));
        assertArrayEquals(new int[] {1, 1, 2}, chosen);
        assertEquals(500_000 + 500_000 + 1_800_000, BandwidthAllocator.total(List.of(small, topPaused, onlyTop), chosen));
        assertArrayEquals(new int[] {-1}, BandwidthAllocator.allocate(10_000_000,
                List.of(new Subscription(new long[] {-1, -1, -1}, PRIORITY_NORMAL, 2))));
    }

    /** L1T3 simulcast priced per step: each layer at TID ≤ 0, TID ≤ 1, then whole (ALL_TEMPORAL). */
    private static Subscription temporalCamera(int priority, int maxLayer) {
        int all = BandwidthAllocator.ALL_TEMPORAL;
        return new Subscription(
                new long[] {60_000, 100_000, 150_000, 200_000, 330_000, 500_000, 700_000, 1_200_000, 1_800_000},
                new int[] {0, 0, 0, 1, 1, 1, 2, 2, 2},
                new int[] {0, 1, all, 0, 1, all, 0, 1, all}, priority, maxLayer);
    }

    @Test
    void temporalStepsFillTheGapsBetweenSpatialLayers() {
        Subscription s = temporalCamera(PRIORITY_NORMAL, 2);
        // 400 k pays for spatial 1 at TID ≤ 1 (330 k) but not all of it (500 k).
        int[] chosen = BandwidthAllocator.allocate(400_000, List.of(s));
        assertArrayEquals(new int[] {4}, chosen);
        assertEquals(1 << 2 | 1, s.choice(chosen[0]), "spatial 1, TID ≤ 1");
        assertEquals(330_000, BandwidthAllocator.total(List.of(s), chosen));
        assertEquals(1 << 2 | BandwidthAllocator.ALL_TEMPORAL, s.choice(BandwidthAllocator.allocate(600_000, List.of(s))[0]));
        assertEquals(8, BandwidthAllocator.allocate(5_000_000, List.of(s))[0], "enough for everything: the whole top layer");
        assertEquals(-1, s.choice(-1));
        assertEquals(4, s.stepOf(1 << 2 | 1));
        assertEquals(-1, s.stepOf(3 << 2), "no such step");
    }

    @Test
    void everyoneGetsTheLowestStepFirstThenUpgradesGoByPriorityAndMaxLayer() {
        Subscription speaker = temporalCamera(PRIORITY_SPEAKER, 2);
        Subscription normal = temporalCamera(PRIORITY_NORMAL, 2);
        Subscription small = temporalCamera(PRIORITY_NORMAL, 0);
        List<Subscription> subs = List.of(normal, speaker, small);
        // Below three lowest steps: all get spatial 0 at TID 0, nobody freezes.
        assertArrayEquals(new int[] {0, 0, 0}, BandwidthAllocator.allocate(100_000, subs));
        // 180 k for the lowest steps, 120 k more: the speaker first climbs to spatial 0 whole (+90 k),
        // then the normal camera gets the next step that fits the 30 k left (TID ≤ 1, +40 k does not).
        assertArrayEquals(new int[] {0, 2, 0}, BandwidthAllocator.allocate(300_000, subs));
        // Unlimited: the small subscriber never goes above spatial 0.
        assertArrayEquals(new int[] {8, 8, 2}, BandwidthAllocator.ideal(subs));
    }

    @Test
    void stepsNotBeingSentAreSkipped() {
        int all = BandwidthAllocator.ALL_TEMPORAL;
        Subscription s = new Subscription(new long[] {60_000, 150_000, -1, 1_800_000},
                new int[] {0, 0, 1, 2}, new int[] {0, all, all, all}, PRIORITY_NORMAL, 2);
        assertArrayEquals(new int[] {1}, BandwidthAllocator.allocate(1_000_000, List.of(s)));
        assertArrayEquals(new int[] {3}, BandwidthAllocator.allocate(2_000_000, List.of(s)));
    }
}
