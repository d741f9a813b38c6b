package dev.prism.signaling.media;

import dev.prism.sfu.room.PublishedTrackSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The WebSocket participants of every room and what they hear of it: who joins and leaves, tracks
 * published and unpublished (each followed by a fresh offer of the room's tracks), which simulcast
 * layers their own publications should send, who speaks. Room events come on the room's media
 * loop; listeners are called off it, since an offer waits on the room's futures, and in the order
 * the room raised them: a track's unpublication never overtakes its publication. A listener that
 * throws is logged and the others still hear the event.
 */
final class ParticipantRoster {
    private static final Logger LOG = Logger.getLogger(ParticipantRoster.class.getName());

    private final Map<String, RoomMembers> byRoom = new ConcurrentHashMap<>();
    private final Executor relays;

    ParticipantRoster() {
        this(ForkJoinPool.commonPool());
    }

    /** Relays room events to listeners on {@code relays} (several threads or one: each room's stay in order). */
    ParticipantRoster(Executor relays) {
        this.relays = relays;
    }

    /** One room's participants by id, and its relayed events in the order they were raised. */
    private static final class RoomMembers {
        final Map<String, RoomParticipant> byId = new ConcurrentHashMap<>();
        private CompletableFuture<Void> relayed = CompletableFuture.completedFuture(null);

        /**
         * Runs {@code relay} on {@code executor} once every relay queued before it has run.
         * Each relay catches what its listeners throw, so the chain never breaks.
         */
        synchronized void relayInOrder(Runnable relay, Executor executor) {
            relayed = relayed.thenRunAsync(relay, executor);
        }
    }

    /** Adds {@code p} to its room; those already there hear that it joined. */
    void add(RoomParticipant p) {
        RoomMembers room = byRoom.compute(p.roomName(), (name, r) -> {
            RoomMembers members = r == null ? new RoomMembers() : r;
            members.byId.put(p.id(), p);
            return members;
        });
        for (RoomParticipant other : room.byId.values()) {
            if (other != p) {
                tell(other, o -> o.listener().onParticipantJoined(p.identity()));
            }
        }
    }

    /** Removes {@code p}; those left hear that it left. False when it was not there. An empty room is forgotten. */
    boolean remove(RoomParticipant p) {
        boolean[] removed = {false};
        RoomMembers room = byRoom.computeIfPresent(p.roomName(), (name, r) -> {
            removed[0] = r.byId.remove(p.id()) != null;
            return r.byId.isEmpty() ? null : r;
        });
        if (!removed[0]) {
            return false;
        }
        if (room != null) {
            for (RoomParticipant other : room.byId.values()) {
                tell(other, o -> o.listener().onParticipantLeft(p.identity()));
            }
        }
        return true;
    }

    /** Rooms with at least one participant (for tests: an emptied room is not kept). */
    int rooms() {
        return byRoom.size();
    }

    /** Identities of the participants in a room now (for the joined message). */
    List<String> identities(String room) {
        RoomMembers members = byRoom.get(room);
        List<String> out = new ArrayList<>();
        if (members != null) {
            for (RoomParticipant p : members.byId.values()) {
                out.add(p.identity());
            }
        }
        return out;
    }

    /** A track of {@code owner} (an identity) was published or unpublished: tell everyone, offer again. */
    void trackChanged(String room, String owner, String trackId, String kind, String source, boolean published) {
        relay(room, p -> {
            if (published) {
                p.listener().onTrackPublished(owner, trackId, kind, source);
            } else {
                p.listener().onTrackUnpublished(owner, trackId);
            }
            p.offerTracks();
        });
    }

    /** The room wants these layers of {@code track}: the participant publishing it hears which, by rid. */
    void layersWanted(String room, String ownerTransportId, PublishedTrackSpec track, boolean[] active) {
        Map<String, Boolean> byRid = new LinkedHashMap<>();
        for (int l = 0; l < active.length && l < track.rids().size(); l++) {
            byRid.put(track.rids().get(l), active[l]);
        }
        relay(room, p -> {
            if (p.owns(ownerTransportId)) {
                p.listener().onPublisherLayers(track.trackId(), track.mid(), byRid);
            }
        });
    }

    /** {@code identity} speaks now, on {@code audioTrack}: everyone hears it. */
    void activeSpeaker(String room, String identity, PublishedTrackSpec audioTrack) {
        relay(room, p -> p.listener().onActiveSpeaker(identity, audioTrack.streamId()));
    }

    /** Tells {@code p} alone, off this thread, after its room's earlier events (what a newcomer must learn). */
    void relayTo(RoomParticipant p, Consumer<RoomParticipant> event) {
        RoomMembers members = byRoom.get(p.roomName());
        if (members != null) {
            members.relayInOrder(() -> tell(p, event), relays);
        }
    }

    /** Tells each participant of {@code room}, off this thread, after the room's earlier events. */
    private void relay(String room, Consumer<RoomParticipant> event) {
        RoomMembers members = byRoom.get(room);
        if (members == null) {
            return;
        }
        members.relayInOrder(() -> {
            for (RoomParticipant p : members.byId.values()) {
                tell(p, event);
            }
        }, relays);
    }

    private static void tell(RoomParticipant p, Consumer<RoomParticipant> event) {
        try {
            event.accept(p);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "participant " + p.id() + " in room " + p.roomName() + ": relaying an event failed", e);
        }
    }
}
