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
 * loop; listeners are called off it, since an offer waits on the room's futures. Every event of a
 * room, joins and leaves included, goes through that room's one ordered relay, so each listener
 * hears them in the order they happened: a track's unpublication never overtakes its publication,
 * nor a participant's leaving its tracks' unpublication. A listener that throws is logged and the
 * others still hear the event.
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

    /**
     * Adds {@code p} to its room; those already there hear that it joined, after the room's earlier
     * events. Who joins later does not hear it: the joined reply lists who is there.
     */
    void add(RoomParticipant p) {
        byRoom.compute(p.roomName(), (name, r) -> {
            RoomMembers members = r == null ? new RoomMembers() : r;
            // Queued while the room is locked here, so joins and leaves keep the order they happened in.
            announce(members, others(members, p), o -> o.listener().onParticipantJoined(p.identity()));
            members.byId.put(p.id(), p);
            return members;
        });
    }

    /**
     * Removes {@code p}; those left hear that it left, after the room's earlier events (its tracks'
     * unpublication among them). False when it was not there. An empty room is forgotten.
     */
    boolean remove(RoomParticipant p) {
        boolean[] removed = {false};
        byRoom.computeIfPresent(p.roomName(), (name, r) -> {
            removed[0] = r.byId.remove(p.id(), p);
            if (removed[0]) {
                announce(r, others(r, p), o -> o.listener().onParticipantLeft(p.identity()));
            }
            return r.byId.isEmpty() ? null : r;
        });
        return removed[0];
    }

    private static List<RoomParticipant> others(RoomMembers members, RoomParticipant p) {
        List<RoomParticipant> out = new ArrayList<>(members.byId.size());
        for (RoomParticipant q : members.byId.values()) {
            if (q != p) {
                out.add(q);
            }
        }
        return out;
    }

    /** Tells {@code recipients} still in the room when the relay runs (who left meanwhile hears no more). */
    private void announce(RoomMembers members, List<RoomParticipant> recipients, Consumer<RoomParticipant> event) {
        if (recipients.isEmpty()) {
            return;
        }
        members.relayInOrder(() -> {
            for (RoomParticipant q : recipients) {
                if (members.byId.get(q.id()) == q) {
                    tell(q, event);
                }
            }
        }, relays);
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
