package dev.prism.sfu.room;

/**
 * What a published track carries, as its publisher declares it: a camera or microphone (the
 * default, by kind) or a screen share, which subscribers' bandwidth allocators serve first.
 */
public enum TrackSource {
    CAMERA("camera"), MICROPHONE("microphone"), SCREEN("screen");

    private final String wireName;

    TrackSource(String wireName) {
        this.wireName = wireName;
    }

    /** The lower-case name used in signaling and the REST API. */
    public String wireName() {
        return wireName;
    }

    /** The source of a track of {@code kind} ("audio"/"video") whose publisher declared none. */
    public static TrackSource defaultFor(String kind) {
        return "audio".equals(kind) ? MICROPHONE : CAMERA;
    }

    /** The source with this wire name, or null when there is none. */
    public static TrackSource ofWireName(String name) {
        for (TrackSource s : values()) {
            if (s.wireName.equals(name)) {
                return s;
            }
        }
        return null;
    }
}
