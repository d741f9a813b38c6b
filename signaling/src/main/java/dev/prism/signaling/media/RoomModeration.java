package dev.prism.signaling.media;

import dev.prism.sfu.room.PublishedTrackSpec;
import dev.prism.sfu.room.Room;
import dev.prism.sfu.room.RoomRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What operators do to rooms and members (the REST API, and a draining server): disconnect a
 * member, end a room, list a member's tracks, mute a track for everyone. Shares the backend's
 * session table, so a session it closes is gone from signaling at once.
 */
public final class RoomModeration {
    private final RoomRegistry rooms;
    private final RoomDirectory directory;
    /** The backend's sessions (transport id → room). */
    private final Map<String, Room> sessions;
    /** Tracks an operator muted, until unmuted or ended ({@link #trackEnded}). */
    private final Set<String> mutedTracks = ConcurrentHashMap.newKeySet();

    RoomModeration(RoomRegistry rooms, RoomDirectory directory, Map<String, Room> sessions) {
        this.rooms = rooms;
        this.directory = directory;
        this.sessions = sessions;
    }

    /** Disconnects a member: a WebSocket participant is told and leaves; a WHIP/WHEP session's transport closes. */
    public CompletableFuture<Void> disconnect(String room, RoomDirectory.Member member, String reason) {
        RoomParticipant p = member.participant;
        if (p != null) {
            p.listener().onClosed(reason);
            p.leave();
            return CompletableFuture.completedFuture(null);
        }
        directory.remove(room, member.id);
        Room r = rooms.find(room);
        if (r == null) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<Boolean>> closing = new ArrayList<>();
        for (String t : member.transports) {
            sessions.remove(t);
            closing.add(r.closeTransport(t, reason));
        }
        return CompletableFuture.allOf(closing.toArray(new CompletableFuture[0]));
    }

    /** Disconnects every member of every room (a draining server). */
    CompletableFuture<Void> disconnectEveryone(String reason) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (RoomDirectory.RoomEntry e : directory.list()) {
            for (RoomDirectory.Member m : e.members()) {
                all.add(disconnect(e.name(), m, reason));
            }
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture[0]));
    }

    /** Ends a room: every member is disconnected and the room forgotten. False when unknown. */
    public CompletableFuture<Boolean> deleteRoom(String room) {
        RoomDirectory.RoomEntry entry = directory.find(room);
        if (entry == null) {
            return CompletableFuture.completedFuture(false);
        }
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (RoomDirectory.Member m : entry.members()) {
            all.add(disconnect(room, m, "room deleted"));
        }
        directory.delete(room);
        return CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).thenApply(v -> true);
    }

    /** The tracks a member publishes now. */
    public CompletableFuture<List<PublishedTrackSpec>> tracksOf(String room, RoomDirectory.Member member) {
        Room r = rooms.find(room);
        if (r == null) {
            return CompletableFuture.completedFuture(List.of());
        }
        return r.tracks().thenApply(all -> all.stream()
                .filter(t -> member.transports.contains(RoomMediaBackend.ownerOf(t.trackId()))).toList());
    }

    /** Stops (or resumes) forwarding a published track to everyone. False when there is no such track. */
    public CompletableFuture<Boolean> setMuted(String room, String trackId, boolean muted) {
        Room r = rooms.find(room);
        if (r == null) {
            return CompletableFuture.completedFuture(false);
        }
        // Noted before the room applies it: the track's end, raised on the room's loop, may come
        // before this caller sees the result, and must then find the id to forget.
        if (muted) {
            mutedTracks.add(trackId);
        } else {
            mutedTracks.remove(trackId);
        }
        return r.setMuted(trackId, muted).whenComplete((found, error) -> {
            if (error != null || !found) {
                mutedTracks.remove(trackId);
            }
        });
    }

    /** A published track ended (unpublished, its transport or room closed): its muted state goes with it. */
    void trackEnded(String trackId) {
        mutedTracks.remove(trackId);
    }

    /** Whether an operator muted this track. */
    public boolean isMuted(String room, String trackId) {
        return mutedTracks.contains(trackId);
    }
}
