package dev.prism.sfu.room;

import dev.prism.sfu.transport.PeerTransport;
import dev.prism.sfu.transport.TransportCounters;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The tracks published into one room, by track id in publication order: a track's start (the
 * speaker tracker hears it, the observer is told) and its end with its publisher's transport,
 * for every subscriber that received it, and what the control plane reads of them. Loop thread
 * only.
 */
final class RoomTracks {
    /** Room's logger: these lines were Room's, and logging set-ups name it. */
    private static final Logger LOG = Logger.getLogger(Room.class.getName());

    private final String room;
    private final Map<String, PublishedTrack> byId = new LinkedHashMap<>();
    private final SpeakerTracker speakers;
    private final RoomObserver observer;
    private final TransportCounters counters;

    RoomTracks(String room, SpeakerTracker speakers, RoomObserver observer, TransportCounters counters) {
        this.room = room;
        this.speakers = speakers;
        this.observer = observer;
        this.counters = counters;
    }

    /** Publishes {@code spec} from {@code publisher}; a track id already published is refused. */
    void publish(Endpoint publisher, PublishedTrackSpec spec) {
        if (byId.containsKey(spec.trackId())) {
            throw new IllegalArgumentException("track " + spec.trackId() + " is already published");
        }
        PublishedTrack track = new PublishedTrack(spec, publisher.transport, publisher.rtcpSsrc, counters);
        speakers.add(track);
        publisher.addPublished(track);
        byId.put(spec.trackId(), track);
        observer.onTrackPublished(room, publisher.transport.id(), spec);
    }

    /** The track published as {@code trackId}, or null. */
    PublishedTrack get(String trackId) {
        return byId.get(trackId);
    }

    /** Every published track, a live view (the room's timers walk it). */
    Collection<PublishedTrack> all() {
        return byId.values();
    }

    int size() {
        return byId.size();
    }

    /** Down-tracks over all published tracks. */
    int subscriptionCount() {
        int subs = 0;
        for (PublishedTrack t : byId.values()) {
            subs += t.downTracks.size();
        }
        return subs;
    }

    /**
     * A transport closed: what it published ({@code closed} is its endpoint, null when it had
     * none) ends for every subscriber ({@code endpoints} finds each one's endpoint, null once
     * gone), and what it received of the others' tracks is dropped.
     */
    void onTransportClosed(PeerTransport transport, Endpoint closed, String reason,
                           Function<PeerTransport, Endpoint> endpoints) {
        if (closed != null) {
            Set<PublishedTrack> own = closed.ownTracks();
            if (!own.isEmpty()) {
                // A publisher's transport closing ends its media for every viewer: say so, with the cause.
                LOG.info(() -> "room " + room + ": publisher transport " + transport.id() + " closed (" + reason
                        + "); its " + own.size() + " track(s) end for their subscribers");
            }
            // Each simulcast track appears once per learnt layer SSRC, or not at all before packets.
            for (PublishedTrack track : own) {
                byId.remove(track.spec.trackId());
                track.release();
                speakers.remove(track);
                for (DownTrack d : track.downTracks) {
                    Endpoint sub = endpoints.apply(d.transport);
                    if (sub != null) {
                        sub.down.remove(d.ssrc);
                    }
                    d.close();
                }
                observer.onTrackUnpublished(room, transport.id(), track.spec.trackId());
            }
        }
        for (PublishedTrack track : byId.values()) {
            track.removeDownTracksOf(transport);
        }
    }

    /** Lets layer pausing start on the tracks {@code owner} publishes ({@link Room#enableLayerPausing}). */
    void enableLayerPausing(PeerTransport owner, long nowMillis) {
        for (PublishedTrack track : byId.values()) {
            if (track.owner == owner) {
                track.enableLayerPausing(nowMillis);
            }
        }
    }

    /** Fraction of packets lost (0..1) on each track since the last receiver report. */
    Map<String, Double> loss() {
        Map<String, Double> out = new HashMap<>();
        for (PublishedTrack t : byId.values()) {
            out.put(t.spec.trackId(), t.statistics[Math.max(0, t.bestLayer())].fractionLost() / 256.0);
        }
        return out;
    }

    /** The tracks' specs, in publication order. */
    List<PublishedTrackSpec> specs() {
        List<PublishedTrackSpec> out = new ArrayList<>();
        for (PublishedTrack t : byId.values()) {
            out.add(t.spec);
        }
        return out;
    }
}
