package dev.prism.sfu.cc;

import java.util.List;

/**
 * Spends one subscriber's bandwidth estimate across its video subscriptions, in the manner of
 * Jitsi's BandwidthAllocator and LiveKit's StreamAllocator: subscriptions are served in priority
 * order (screen share, then the active speaker, then the rest), first each gets its lowest
 * usable layer, so nobody freezes while the estimate is low, then each in turn is raised to the
 * highest layer the remaining budget pays for, never above the largest layer the subscriber
 * accepts. Runs off the packet path (a timer); the packet path only reads the chosen layers.
 *
 * <p>A subscription's options are <i>steps</i>, lowest first: a spatial (simulcast) layer with
 * the frames of its temporal layers up to some TID (VP8 temporal layers, RFC 7741 §4.2), each
 * with its rate. A subscription of plain spatial layers has one step per layer, so its step
 * index is its layer; temporal steps put finer choices between the layers.
 */
public final class BandwidthAllocator {
    /** Priorities: higher is served first. */
    public static final int PRIORITY_SCREEN = 3, PRIORITY_SPEAKER = 2, PRIORITY_NORMAL = 1;
    /** A step's temporal value meaning every temporal layer (nothing dropped). */
    public static final int ALL_TEMPORAL = 3;

    /**
     * One video subscription as the allocator sees it.
     *
     * @param stepBitrates  measured bitrate of each step, lowest first, bits/s; negative = not being sent
     * @param stepLayers    the spatial layer of each step
     * @param stepTemporals the highest TID of each step ({@link #ALL_TEMPORAL}: all of the layer)
     * @param priority      one of the PRIORITY_ constants
     * @param maxLayer      highest spatial layer the subscriber accepts (its declared maximum size)
     */
    public record Subscription(long[] stepBitrates, int[] stepLayers, int[] stepTemporals, int priority, int maxLayer) {
        /** Spatial layers only: one step per layer, lowest first, every frame of it. */
        public Subscription(long[] layerBitrates, int priority, int maxLayer) {
            this(layerBitrates, layerIndices(layerBitrates.length), allTemporal(layerBitrates.length), priority, maxLayer);
        }

        private static int[] layerIndices(int n) {
            int[] layers = new int[n];
            for (int i = 0; i < n; i++) {
                layers[i] = i;
            }
            return layers;
        }

        private static int[] allTemporal(int n) {
            int[] temporals = new int[n];
            java.util.Arrays.fill(temporals, ALL_TEMPORAL);
            return temporals;
        }

        /** Whether a step is being sent and within the subscriber's maximum. */
        public boolean usable(int step) {
            return stepBitrates[step] >= 0 && stepLayers[step] <= maxLayer;
        }

        /** A step as one number ordered like the steps, {@code layer << 2 | temporal}; -1 for none. */
        public int choice(int step) {
            return step < 0 ? -1 : stepLayers[step] << 2 | stepTemporals[step];
        }

        /** The step whose {@link #choice} is {@code choice}, or -1. */
        public int stepOf(int choice) {
            for (int step = 0; step < stepBitrates.length; step++) {
                if (choice(step) == choice) {
                    return step;
                }
            }
            return -1;
        }

        int lowestUsable() {
            for (int step = 0; step < stepBitrates.length; step++) {
                if (usable(step)) {
                    return step;
                }
            }
            return -1;
        }
    }

    private BandwidthAllocator() {}

    /**
     * The step to send for each subscription (-1: nothing is being sent that it accepts); for
     * spatial-only subscriptions that is the layer. Callers read {@link #total} for the cost.
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
                remaining -= s.stepBitrates()[chosen[i]];
            }
        }
        for (int i : order) {
            Subscription s = subscriptions.get(i);
            if (chosen[i] < 0) {
                continue;
            }
            long current = s.stepBitrates()[chosen[i]];
            for (int l = s.stepBitrates().length - 1; l > chosen[i]; l--) {
                long rate = s.stepBitrates()[l];
                if (s.usable(l) && rate - current <= remaining) {
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
                sum += subscriptions.get(i).stepBitrates()[chosen[i]];
            }
        }
        return sum;
    }

    /** The layers the subscriber would get with unlimited bandwidth. */
    public static int[] ideal(List<Subscription> subscriptions) {
        return allocate(Long.MAX_VALUE / 4, subscriptions);
    }
}
