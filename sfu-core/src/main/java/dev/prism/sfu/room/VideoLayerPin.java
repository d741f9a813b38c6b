package dev.prism.sfu.room;

/**
 * A subscriber's fixed choice of simulcast layer, made through signaling (WHEP
 * {@code ?video_layer=}) instead of left to its bandwidth estimate — what Janus's
 * {@code substream} does, and what a benchmark needs so that two SFUs forward the same bytes.
 * The subscriber gets layer {@link #layer} of every video track (or its top one, for
 * {@link #TOP} or a track with fewer layers), within its declared maximum video size; when that
 * layer is not being sent, the highest one below it that is. Congestion control keeps measuring
 * and pacing, but neither lowers the layer nor probes for a higher one.
 *
 * @param layer spatial layer index, 0 the lowest, or {@link #TOP}
 */
public record VideoLayerPin(int layer) {
    /** The highest layer each track has. */
    public static final int TOP = Integer.MAX_VALUE;

    public VideoLayerPin {
        if (layer < 0) {
            throw new IllegalArgumentException("a pinned video layer is 0 or more, got " + layer);
        }
    }

    /** The layer of {@code track} this pin sends, no higher than {@code maxLayer} (the size limit). */
    int layerOf(PublishedTrack track, int maxLayer) {
        int wanted = Math.min(Math.min(layer, track.layerCount - 1), maxLayer);
        for (int l = wanted; l >= 0; l--) {
            if (track.layerActive(l)) {
                return l;
            }
        }
        return wanted; // nothing received yet: the pinned layer, from its first key frame
    }
}
