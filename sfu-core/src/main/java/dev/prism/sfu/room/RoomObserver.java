package dev.prism.sfu.room;

/** Room events for signaling (renegotiation, participant lists). Called on the room's loop; must not block. */
public interface RoomObserver {
    default void onTrackPublished(String room, String ownerTransportId, PublishedTrackSpec track) {}

    default void onTrackUnpublished(String room, String ownerTransportId, String trackId) {}

    default void onTransportClosed(String room, String transportId, String reason) {}

    /** The room's dominant speaker changed to the owner of this audio track. */
    default void onActiveSpeaker(String room, String ownerTransportId, PublishedTrackSpec audioTrack) {}

    /**
     * The simulcast layers (lowest first, as the track's rids) its publisher should send changed:
     * a layer nobody receives is paused, one wanted again resumed. Only for transports enabled
     * with {@link Room#enableLayerPausing}.
     */
    default void onLayersWanted(String room, String ownerTransportId, PublishedTrackSpec track, boolean[] active) {}
}
