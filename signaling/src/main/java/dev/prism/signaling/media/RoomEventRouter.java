package dev.prism.signaling.media;

import dev.prism.sfu.room.PublishedTrackSpec;
import dev.prism.sfu.room.Room;
import dev.prism.sfu.room.RoomObserver;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Turns the rooms' events into what signaling keeps and tells: a closed transport ends its
 * session and its WHIP/WHEP member or WebSocket participant; track, layer and speaker events go
 * to the {@link ParticipantRoster}; an ended track's operator mute is forgotten. Called on the
 * rooms' media loops, so it only updates maps and queues relays; it never blocks.
 */
final class RoomEventRouter implements RoomObserver {
    private final RoomDirectory directory;
    /** The backend's sessions (transport id → room). */
    private final Map<String, Room> sessions;
    /** The backend's publishing transports (transport id → identity of its token). */
    private final Map<String, String> publishers;
    private final ParticipantRoster participants;
    private final RoomModeration moderation;
    /** A publishing transport's identity ("unknown" once it has gone). */
    private final UnaryOperator<String> identityOf;

    RoomEventRouter(RoomDirectory directory, Map<String, Room> sessions, Map<String, String> publishers,
                    ParticipantRoster participants, RoomModeration moderation, UnaryOperator<String> identityOf) {
        this.directory = directory;
        this.sessions = sessions;
        this.publishers = publishers;
        this.participants = participants;
        this.moderation = moderation;
        this.identityOf = identityOf;
    }

    @Override
    public void onTransportClosed(String room, String transportId, String reason) {
        sessions.remove(transportId);
        RoomDirectory.Member m = directory.memberOfTransport(room, transportId);
        RoomParticipant p = m == null ? null : m.participant;
        if (m != null && p == null) {
            directory.remove(room, m.id); // a WHIP/WHEP session ends with its transport
        } else if (p != null) {
            p.transportClosed(transportId, reason); // a WebSocket participant's connection died
        }
        // Track events for this transport were sent before this one; the roster can forget it.
        publishers.remove(transportId);
    }

    @Override
    public void onTrackPublished(String room, String ownerTransportId, PublishedTrackSpec track) {
        participants.trackChanged(room, identityOf.apply(ownerTransportId), track.trackId(), track.kind(),
                track.source().wireName(), true);
    }

    @Override
    public void onTrackUnpublished(String room, String ownerTransportId, String trackId) {
        moderation.trackEnded(trackId);
        participants.trackChanged(room, identityOf.apply(ownerTransportId), trackId, null, null, false);
    }

    @Override
    public void onLayersWanted(String room, String ownerTransportId, PublishedTrackSpec track, boolean[] active) {
        participants.layersWanted(room, ownerTransportId, track, active);
    }

    @Override
    public void onActiveSpeaker(String room, String ownerTransportId, PublishedTrackSpec audioTrack) {
        participants.activeSpeaker(room, identityOf.apply(ownerTransportId), audioTrack);
    }
}
