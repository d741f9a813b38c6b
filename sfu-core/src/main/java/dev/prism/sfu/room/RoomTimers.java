package dev.prism.sfu.room;

import dev.prism.sfu.transport.TransportCounters;
import dev.prism.sfu.worker.MediaWorker;
import java.util.Arrays;
import java.util.Collection;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A room's periodic work, on its worker's loop (DESIGN.md: timers run on the owning event loop).
 * The fast timer, every {@link #FAST_INTERVAL_MILLIS}: probe padding and paced packets every
 * tick; transport-wide CC feedback (libwebrtc sends it about every 50-100 ms) and NACK retries to
 * publishers every {@link #FEEDBACK_TICKS} (NACKs for new gaps go at once); subscribers'
 * bandwidth allocation every {@link #ALLOCATION_TICKS}; the active speaker every
 * {@link #SPEAKER_TICKS}. Once a second: receiver reports to publishers, and key frames asked for
 * subscribers still waiting for one.
 */
final class RoomTimers {
    static final long FAST_INTERVAL_MILLIS = 10;
    static final int FEEDBACK_TICKS = 5;
    static final int ALLOCATION_TICKS = 20;
    static final int SPEAKER_TICKS = 30;

    private final String room;
    private final MediaWorker worker;
    private final Collection<Endpoint> endpoints;
    private final Collection<PublishedTrack> tracks;
    private final SpeakerTracker speakers;
    private final RoomObserver observer;
    private final TransportCounters counters;
    private final Runnable everySecond = this::everySecond;
    private final ScheduledFuture<?> fastTimer;
    private int fastTicks;
    /** Subscribers' bandwidth estimates (bits/s) at the last allocation, ascending; readable from any thread. */
    private volatile long[] subscriberEstimates = new long[0];

    /** Starts both timers; {@code endpoints} and {@code tracks} are the room's live views. */
    RoomTimers(String room, MediaWorker worker, Collection<Endpoint> endpoints, Collection<PublishedTrack> tracks,
               SpeakerTracker speakers, RoomObserver observer) {
        this.room = room;
        this.worker = worker;
        this.endpoints = endpoints;
        this.tracks = tracks;
        this.speakers = speakers;
        this.observer = observer;
        this.counters = worker.counters();
        worker.execute(() -> worker.addTickTask(everySecond));
        fastTimer = worker.eventLoop().scheduleAtFixedRate(this::fast, FAST_INTERVAL_MILLIS, FAST_INTERVAL_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    /** Stops both timers. Loop thread. */
    void stop() {
        worker.removeTickTask(everySecond);
        fastTimer.cancel(false);
    }

    long[] subscriberEstimates() {
        return subscriberEstimates;
    }

    private void fast() {
        long now = worker.nowMillis();
        int tick = fastTicks++;
        if (tick % SPEAKER_TICKS == 0) {
            PublishedTrack audio = speakers.decide(now);
            if (audio != null) {
                observer.onActiveSpeaker(room, audio.owner.id(), audio.spec);
            }
        }
        if (tick % ALLOCATION_TICKS == 0) {
            allocate(now);
        }
        for (Endpoint e : endpoints) {
            if (e.downlink() != null) {
                e.downlink().pace(now);
            }
        }
        if (tick % FEEDBACK_TICKS == 0) {
            for (Endpoint e : endpoints) {
                e.sendTransportFeedback();
            }
            for (PublishedTrack track : tracks) {
                track.sendNacks(now);
            }
        }
        worker.flush();
    }

    /** Each subscriber's estimate to its video subscriptions, then which layers publishers need to send. */
    private void allocate(long now) {
        long[] estimates = new long[endpoints.size()];
        int n = 0;
        for (Endpoint e : endpoints) {
            if (e.downlink() != null) {
                long probesBefore = e.downlink().probes();
                e.downlink().allocate(e.down.values(), speakers.owner(), now);
                counters.probes.add(e.downlink().probes() - probesBefore);
                if (e.downlink().estimateBps() >= 0) {
                    estimates[n++] = e.downlink().estimateBps();
                }
            }
        }
        for (PublishedTrack track : tracks) {
            if (track.updateLayerDemand(now)) {
                observer.onLayersWanted(room, track.owner.id(), track.spec, track.activeLayers());
            }
        }
        long[] sorted = Arrays.copyOf(estimates, n);
        Arrays.sort(sorted);
        subscriberEstimates = sorted;
    }

    private void everySecond() {
        long now = worker.nowMillis();
        for (Endpoint e : endpoints) {
            e.sendReceiverReport(now);
        }
        for (PublishedTrack track : tracks) {
            track.updateLayers(now);
            for (DownTrack d : track.downTracks) {
                if (d.waitingForKeyFrame() && d.transport.isConnected()) {
                    track.requestKeyFrame(now, d.wantedLayer());
                    break;
                }
            }
        }
    }
}
