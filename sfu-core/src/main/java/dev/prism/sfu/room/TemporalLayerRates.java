package dev.prism.sfu.room;

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
    static final int WINDOWS = PublishedTrack.PEAK_WINDOWS;

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
}
