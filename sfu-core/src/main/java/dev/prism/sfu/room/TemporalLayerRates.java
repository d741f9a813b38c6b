package dev.prism.sfu.room;

import dev.prism.sfu.cc.BandwidthAllocator;

/**
 * Bitrates of a track's temporal layers per spatial layer: for each layer and TID t, the bits/s
 * of the packets with TID ≤ t (what a subscriber receives when frames above t are dropped),
 * and the peak of that over the last {@link #WINDOWS} measurements, as the allocator prices
 * layers. Packets without a TID count as TID 0. Counting is per packet and allocates nothing;
 * rates are computed off the packet path. Loop thread only.
 */
final class TemporalLayerRates {
    /** TIDs are two bits (RFC 7741 §4.2). */
    static final int TIDS = 4;
    static final int WINDOWS = TrackLayers.PEAK_WINDOWS;

    private final long[][] bytes;
    /** [layer][tid][window]: bits/s of TID ≤ tid in each recent window. */
    private final long[][][] recent;
    private int window;

    TemporalLayerRates(int layers) {
        bytes = new long[layers][TIDS];
        recent = new long[layers][TIDS][WINDOWS];
    }

    /** Counts a packet of {@code layer} with temporal layer {@code tid} (-1: none, counted as 0). */
    void onPacket(int layer, int tid, int packetBytes) {
        bytes[layer][tid < 0 ? 0 : tid & 3] += packetBytes;
    }

    /** Closes a measurement window of {@code elapsedMillis} (> 0). */
    void update(long elapsedMillis) {
        for (int l = 0; l < bytes.length; l++) {
            long cumulative = 0;
            for (int t = 0; t < TIDS; t++) {
                cumulative += bytes[l][t];
                bytes[l][t] = 0;
                recent[l][t][window] = cumulative * 8000 / elapsedMillis;
            }
        }
        window = (window + 1) % WINDOWS;
    }

    /** The highest recent rate of {@code layer}'s frames with TID ≤ {@code tid}, bits/s. */
    long peakBitrate(int layer, int tid) {
        long peak = 0;
        for (long rate : recent[layer][tid]) {
            peak = Math.max(peak, rate);
        }
        return peak;
    }

    /**
     * The allocator's steps for a track whose layers, whole, cost {@code wholeRates} (-1: not
     * being sent): per layer, lowest first, the temporal steps that save bits (TID ≤ 0, 1, 2,
     * each cheaper than the whole layer and dearer than the step before, so a lower layer's full
     * frame rate is not undercut), then the whole layer ({@link BandwidthAllocator#ALL_TEMPORAL}).
     * A layer not being sent is one step at -1. Codecs without TIDs get whole layers only.
     */
    BandwidthAllocator.Subscription subscription(long[] wholeRates, int priority, int maxLayer) {
        return subscription(wholeRates, priority, maxLayer, true);
    }

    /**
     * As {@link #subscription(long[], int, int)}, but temporal steps only on the lowest layer being
     * sent: a subscriber whose link cannot carry even that keeps decoding at a lower frame rate.
     * Moving to a reduced frame rate of a higher layer costs that layer's key frame, the same
     * burst as its full rate, which the steps' rates do not show; and stepping down within a
     * higher layer (instead of switching down a layer) was seen to leave a lossy viewer at 7.5
     * frames/s with freezes in AdaptationTest, so it stays off until that is understood.
     * {@code everyLayer} offers them on every layer (what the 3-argument form does).
     */
    BandwidthAllocator.Subscription subscription(long[] wholeRates, int priority, int maxLayer, boolean everyLayer) {
        int capacity = wholeRates.length * TIDS;
        int lowest = -1;
        for (int l = 0; l < wholeRates.length && lowest < 0; l++) {
            if (wholeRates[l] >= 0) {
                lowest = l;
            }
        }
        long[] rates = new long[capacity];
        int[] layers = new int[capacity];
        int[] temporals = new int[capacity];
        int n = 0;
        for (int l = 0; l < wholeRates.length; l++) {
            long whole = wholeRates[l];
            boolean temporalSteps = everyLayer || l == lowest;
            for (int t = 0; whole >= 0 && temporalSteps && t < TIDS - 1; t++) {
                long rate = peakBitrate(l, t);
                if (rate > 0 && rate < whole && (n == 0 || rate > rates[n - 1])) {
                    rates[n] = rate;
                    layers[n] = l;
                    temporals[n++] = t;
                }
            }
            rates[n] = whole;
            layers[n] = l;
            temporals[n++] = BandwidthAllocator.ALL_TEMPORAL;
        }
        return new BandwidthAllocator.Subscription(java.util.Arrays.copyOf(rates, n), java.util.Arrays.copyOf(layers, n),
                java.util.Arrays.copyOf(temporals, n), priority, maxLayer);
    }
}
