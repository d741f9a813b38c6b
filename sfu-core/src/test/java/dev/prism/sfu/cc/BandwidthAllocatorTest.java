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
}
