package dev.prism.signaling.media;

import dev.prism.sfu.room.PublishedTrackSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The WebSocket participants of every room and what they hear of it: who joins and leaves, tracks
 * published and unpublished (each followed by a fresh offer of the room's tracks), which simulcast
 * layers their own publications should send, who speaks. Room events come on the room's media
 * loop; listeners are called off it, since an offer waits on the room's futures.
 */
final class ParticipantRoster {
    private final Map<String, Map<String, RoomParticipant>> byRoom = new ConcurrentHashMap<>();

    /** Adds {@code p} to its room; those already there hear that it joined. */
    void add(RoomParticipant p) {
        Map<String, RoomParticipant> members = byRoom.computeIfAbsent(p.roomName(), k -> new ConcurrentHashMap<>());
        for (RoomParticipant other : members.values()) {
            other.listener().onParticipantJoined(p.identity());
        }
        members.put(p.id(), p);
    }

    /** Removes {@code p}; those left hear that it left. False when it was not there. */
    boolean remove(RoomParticipant p) {
        Map<String, RoomParticipant> members = byRoom.get(p.roomName());
        if (members == null || members.remove(p.id()) == null) {
            return false;
        }
        for (RoomParticipant other : members.values()) {
            other.listener().onParticipantLeft(p.identity());
        }
        return true;
    }

    /** Identities of the participants in a room now (for the joined message). */
    List<String> identities(String room) {
        Map<String, RoomParticipant> members = byRoom.get(room);
        List<String> out = new ArrayList<>();
        if (members != null) {
            for (RoomParticipant p : members.values()) {
                out.add(p.identity());
            }
        }
        return out;
    }

    /** A track of {@code owner} (an identity) was published or unpublished: tell everyone, offer again. */
    void trackChanged(String room, String owner, String trackId, String kind, String source, boolean published) {
        Map<String, RoomParticipant> members = byRoom.get(room);
        if (members == null) {
            return;
        }
        CompletableFuture.runAsync(() -> {
            for (RoomParticipant p : members.values()) {
                if (published) {
                    p.listener().onTrackPublished(owner, trackId, kind, source);
                } else {
                    p.listener().onTrackUnpublished(owner, trackId);
                }
                p.offerTracks();
            }
        });
    }

    /** The room wants these layers of {@code track}: the participant publishing it hears which, by rid. */
    void layersWanted(String room, String ownerTransportId, PublishedTrackSpec track, boolean[] active) {
        Map<String, RoomParticipant> members = byRoom.get(room);
        if (members == null) {
            return;
        }
        Map<String, Boolean> byRid = new LinkedHashMap<>();
        for (int l = 0; l < active.length && l < track.rids().size(); l++) {
            byRid.put(track.rids().get(l), active[l]);
        }
        CompletableFuture.runAsync(() -> {
            for (RoomParticipant p : members.values()) {
                if (p.owns(ownerTransportId)) {
                    p.listener().onPublisherLayers(track.trackId(), track.mid(), byRid);
                }
            }
        });
    }

    /** {@code identity} speaks now, on {@code audioTrack}: everyone hears it. */
    void activeSpeaker(String room, String identity, PublishedTrackSpec audioTrack) {
        Map<String, RoomParticipant> members = byRoom.get(room);
        if (members == null) {
            return;
        }
        CompletableFuture.runAsync(() -> {
            for (RoomParticipant p : members.values()) {
                p.listener().onActiveSpeaker(identity, audioTrack.streamId());
            }
        });
    }
}
