package dev.prism.sfu.room;

import dev.prism.sfu.cc.BandwidthAllocator;
import java.util.Arrays;

/**
 * What a published track's layers are doing, measured from the packets that arrive: each layer's
 * bitrate and its peak over the last few seconds (what a subscriber's link must carry for it, key
 * frames and the publisher's ramp-ups included, so allocations do not flap), its VP8 temporal
 * sub-rates, whether it is being sent, and its frame size from its latest VP8 key frame; from
 * those, the best layer to offer. Loop thread only.
 */
final class TrackLayers {
    /** A layer with no packet for this long is not offered to subscribers. */
    static final long LAYER_TIMEOUT_MILLIS = 1500;
    /** Rate measurements kept per layer for {@link #peakBitrate}. */
    static final int PEAK_WINDOWS = 5;

    final int count;
    private final boolean simulcast;
    private final long[] bytes;
    private final long[] bitrate;
    private final long[][] recentBitrates;
    private int recentIndex;
    private final long[] lastPacketMillis;
    /** Per-layer rates of TID ≤ t (VP8 temporal layers), for the allocator's finer steps. */
    private final TemporalLayerRates temporalRates;
    /** Frame size per layer from its latest VP8 key frame (0 while unknown or for other codecs). */
    private final int[] width;
    private final int[] height;
    private final boolean[] active;
    private long lastRateUpdateMillis;
    private int best;

    TrackLayers(int count, boolean simulcast) {
        this.count = count;
        this.simulcast = simulcast;
        this.bytes = new long[count];
        this.bitrate = new long[count];
        this.recentBitrates = new long[count][PEAK_WINDOWS];
        this.lastPacketMillis = new long[count];
        this.temporalRates = new TemporalLayerRates(count);
        this.width = new int[count];
        this.height = new int[count];
        this.active = new boolean[count];
        Arrays.fill(lastPacketMillis, Long.MIN_VALUE / 2);
        this.best = simulcast ? -1 : 0;
    }

    /**
     * Counts a packet of {@code size} bytes in temporal layer {@code tid} (-1: none); updates the
     * best layer at once when none is known yet or a simulcast layer (re)appears.
     */
    void onPacket(int layer, int tid, int size, long nowMillis) {
        bytes[layer] += size;
        temporalRates.onPacket(layer, tid, size);
        boolean newlyActive = nowMillis - lastPacketMillis[layer] > LAYER_TIMEOUT_MILLIS;
        lastPacketMillis[layer] = nowMillis;
        if (best < 0 || newlyActive && simulcast) {
            update(nowMillis);
        }
    }

    /** A layer's frame size from a key frame's header. */
    void onFrameSize(int layer, int frameWidth, int frameHeight) {
        width[layer] = frameWidth;
        height[layer] = frameHeight;
    }

    /**
     * Recomputes bitrates (at most every 500 ms: the room's once-a-second tick, and when a layer
     * appears) and the best layer: active layers only, highest bitrate first.
     */
    void update(long nowMillis) {
        long elapsed = nowMillis - lastRateUpdateMillis;
        if (elapsed >= 500) {
            for (int i = 0; i < count; i++) {
                bitrate[i] = bytes[i] * 8000 / elapsed;
                recentBitrates[i][recentIndex] = bitrate[i];
                bytes[i] = 0;
            }
            temporalRates.update(elapsed);
            lastRateUpdateMillis = nowMillis;
            recentIndex = (recentIndex + 1) % PEAK_WINDOWS;
        }
        int b = -1;
        for (int i = 0; i < count; i++) {
            active[i] = nowMillis - lastPacketMillis[i] <= LAYER_TIMEOUT_MILLIS;
            if (active[i] && (b < 0 || bitrate[i] > bitrate[b])) {
                b = i;
            }
        }
        best = simulcast ? b : 0;
    }

    /** The layer subscribers should get: the active one with the highest bitrate (-1 before any). */
    int best() {
        return best;
    }

    /** Whether a layer is being sent (as of the last {@link #update}). */
    boolean active(int layer) {
        return layer >= 0 && layer < count && active[layer];
    }

    long bitrate(int layer) {
        return bitrate[layer];
    }

    /** The highest rate a layer had over the last {@link #PEAK_WINDOWS} measurements. */
    long peakBitrate(int layer) {
        long peak = 0;
        for (long rate : recentBitrates[layer]) {
            peak = Math.max(peak, rate);
        }
        return peak;
    }

    /** The peak rate of {@code layer}'s frames with TID ≤ {@code tid} (0 for codecs without temporal layers). */
    long temporalPeakBitrate(int layer, int tid) {
        return temporalRates.peakBitrate(layer, tid);
    }

    /** Frame width of a layer from its last VP8 key frame, 0 while unknown. */
    int width(int layer) {
        return width[layer];
    }

    int height(int layer) {
        return height[layer];
    }

    /**
     * The highest layer whose frames fit {@code maxWidth} × {@code maxHeight} (0 = no limit), at
     * least the lowest; a layer of unknown size (no key frame seen: e.g. paused before it was
     * ever sent) is taken to double a known lower layer per step, the usual simulcast ladder, or
     * counts as fitting when no lower size is known.
     */
    int highestFitting(int maxWidth, int maxHeight) {
        int fit = 0;
        int known = -1;
        for (int l = 0; l < count; l++) {
            int w = width[l];
            int h = height[l];
            if (w > 0) {
                known = l;
            } else if (known >= 0) {
                w = width[known] << (l - known);
                h = height[known] << (l - known);
            }
            if ((maxWidth <= 0 || w <= maxWidth) && (maxHeight <= 0 || h <= maxHeight)) {
                fit = l;
            }
        }
        return fit;
    }

    /** See {@link TemporalLayerRates#subscription(long[], int, int)}. */
    BandwidthAllocator.Subscription subscription(long[] layerRates, int priority, int maxLayer) {
        return temporalRates.subscription(layerRates, priority, maxLayer);
    }

    /** The steps the allocator uses: reduced frame rates on the lowest layer only; see {@link TemporalLayerRates}. */
    BandwidthAllocator.Subscription allocatorSubscription(long[] layerRates, int priority, int maxLayer) {
        return temporalRates.subscription(layerRates, priority, maxLayer, false);
    }
}
