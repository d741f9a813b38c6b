package dev.prism.sfu.room;

/**
 * Which simulcast layers of one published track the publisher should keep sending, from which
 * layers its subscribers receive or are moving to. A layer wanted by nobody for
 * {@link #PAUSE_AFTER_MILLIS} is paused (a subscriber's allocation dipping for a moment must not
 * cost the publisher a key frame on the way back); a layer wanted again is resumed at once. The
 * lowest layer is never paused: it is what any newcomer starts on. Layers are bits of an int,
 * lowest first. Loop thread only; time is passed in.
 */
final class LayerDemand {
    static final long PAUSE_AFTER_MILLIS = 5000;
    /** Layers a mask can hold; simulcast never comes close. */
    static final int MAX_LAYERS = 31;

    private final int layers;
    private final long[] lastWantedMillis;
    private int active;

    /** Every layer starts active, as if wanted at {@code nowMillis}. */
    LayerDemand(int layers, long nowMillis) {
        if (layers < 1 || layers > MAX_LAYERS) {
            throw new IllegalArgumentException("layers must be 1.." + MAX_LAYERS + ": " + layers);
        }
        this.layers = layers;
        this.lastWantedMillis = new long[layers];
        java.util.Arrays.fill(lastWantedMillis, nowMillis);
        this.active = (1 << layers) - 1;
    }

    /**
     * Takes the layers wanted now (bit {@code l} set: some subscriber receives, or is to receive,
     * layer {@code l}) and returns true when the layers the publisher should send changed.
     */
    boolean update(int wantedMask, long nowMillis) {
        int next = 1;
        for (int l = 1; l < layers; l++) {
            int bit = 1 << l;
            if ((wantedMask & bit) != 0) {
                lastWantedMillis[l] = nowMillis;
                next |= bit;
            } else if ((active & bit) != 0 && nowMillis - lastWantedMillis[l] < PAUSE_AFTER_MILLIS) {
                next |= bit;
            }
        }
        boolean changed = next != active;
        active = next;
        return changed;
    }

    /**
     * The layers some subscriber receives or is moving to, as bits: each down-track's current
     * layer, the layer it waits to switch to, and its allocation; a down-track without an
     * allocation (no estimate, no size limit) follows the best layer, so wants the top one.
     */
    static int wantedBy(java.util.List<DownTrack> downTracks, int layers) {
        int wanted = 0;
        for (int i = 0, n = downTracks.size(); i < n; i++) {
            DownTrack d = downTracks.get(i);
            int allocated = d.allocatedLayer();
            wanted |= 1 << (allocated >= 0 ? Math.min(allocated, layers - 1) : layers - 1);
            int current = d.currentLayer();
            if (current >= 0) {
                wanted |= 1 << current;
            }
            int target = d.wantedLayer();
            if (target >= 0) {
                wanted |= 1 << target;
            }
        }
        return wanted;
    }

    /** The layers the publisher should send, as bits (the lowest always set). */
    int activeMask() {
        return active;
    }

    boolean active(int layer) {
        return layer >= 0 && layer < layers && (active & (1 << layer)) != 0;
    }

    int layers() {
        return layers;
    }
}
