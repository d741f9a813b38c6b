package dev.prism.sfu.cc;

import java.util.List;

/**
 * Spends one subscriber's bandwidth estimate across its video subscriptions, in the manner of
 * Jitsi's BandwidthAllocator and LiveKit's StreamAllocator: subscriptions are served in priority
 * order (screen share, then the active speaker, then the rest), first each gets its lowest
 * usable layer, so nobody freezes while the estimate is low, then each in turn is raised to the
 * highest layer the remaining budget pays for, never above the largest layer the subscriber
 * accepts. Runs off the packet path (a timer); the packet path only reads the chosen layers.
 */
public final class BandwidthAllocator {
    /** Priorities: higher is served first. */
    public static final int PRIORITY_SCREEN = 3, PRIORITY_SPEAKER = 2, PRIORITY_NORMAL = 1;

    /**
     * One video subscription as the allocator sees it.
     *
     * @param layerBitrates measured bitrate of each layer, lowest first, bits/s; negative = layer not being sent
     * @param priority      one of the PRIORITY_ constants
     * @param maxLayer      highest layer the subscriber accepts (its declared maximum size)
     */
    public record Subscription(long[] layerBitrates, int priority, int maxLayer) {
        int lowestUsable() {
            for (int l = 0; l < layerBitrates.length && l <= maxLayer; l++) {
                if (layerBitrates[l] >= 0) {
                    return l;
                }
            }
            return -1;
        }
    }

    private BandwidthAllocator() {}

    /**
     * The layer to send for each subscription (-1: nothing is being sent that it accepts), and
     * in {@code result[subscriptions.size()]} nothing: callers read {@link #total} for the cost.
     */
    public static int[] allocate(long budgetBps, List<Subscription> subscriptions) {
        int n = subscriptions.size();
        int[] chosen = new int[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Integer.compare(subscriptions.get(b).priority(), subscriptions.get(a).priority()));
        long remaining = budgetBps;
        for (int i : order) {
            Subscription s = subscriptions.get(i);
            chosen[i] = s.lowestUsable();
            if (chosen[i] >= 0) {
                remaining -= s.layerBitrates()[chosen[i]];
            }
        }
        for (int i : order) {
            Subscription s = subscriptions.get(i);
            if (chosen[i] < 0) {
                continue;
            }
            long current = s.layerBitrates()[chosen[i]];
            for (int l = Math.min(s.maxLayer(), s.layerBitrates().length - 1); l > chosen[i]; l--) {
                long rate = s.layerBitrates()[l];
                if (rate >= 0 && rate - current <= remaining) {
                    remaining -= rate - current;
                    chosen[i] = l;
                    break;
                }
            }
        }
        return chosen;
    }

    /** What sending {@code chosen} costs, bits/s. */
    public static long total(List<Subscription> subscriptions, int[] chosen) {
        long sum = 0;
        for (int i = 0; i < chosen.length; i++) {
            if (chosen[i] >= 0) {
                sum += subscriptions.get(i).layerBitrates()[chosen[i]];
            }
        }
        return sum;
    }

    /** The layers the subscriber would get with unlimited bandwidth. */
    public static int[] ideal(List<Subscription> subscriptions) {
        return allocate(Long.MAX_VALUE / 4, subscriptions);
    }
}
