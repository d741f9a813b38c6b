package dev.prism.sfu.room;

import dev.prism.dtls.DtlsCertificate;
import dev.prism.sfu.transport.TransportCounters;
import dev.prism.sfu.worker.MediaWorker;
import dev.prism.sfu.worker.MediaWorkerPool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where the control plane meets the media plane (DESIGN.md "Threading"): finds or creates a
 * room, placed on the least busy media worker, and drops rooms idle for a minute. Safe to call
 * from any thread.
 */
public final class RoomRegistry implements AutoCloseable {
    /** A handshake not done in 10 s closes the transport (issue: DTLS). */
    public static final long DTLS_TIMEOUT_MILLIS = 10_000;
    private static final long IDLE_ROOM_MILLIS = 60_000;

    private final MediaWorkerPool workers;
    private final DtlsCertificate certificate;
    private final ExecutorService handshakes = Executors.newVirtualThreadPerTaskExecutor();
    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    private final List<RoomObserver> observers = new CopyOnWriteArrayList<>();
    private final RoomObserver fanOut = new RoomObserver() {
        @Override
        public void onTrackPublished(String room, String ownerTransportId, PublishedTrackSpec track) {
            observers.forEach(o -> o.onTrackPublished(room, ownerTransportId, track));
        }

        @Override
        public void onTrackUnpublished(String room, String ownerTransportId, String trackId) {
            observers.forEach(o -> o.onTrackUnpublished(room, ownerTransportId, trackId));
        }

        @Override
        public void onActiveSpeaker(String room, String ownerTransportId, PublishedTrackSpec audioTrack) {
            observers.forEach(o -> o.onActiveSpeaker(room, ownerTransportId, audioTrack));
        }

        @Override
        public void onLayersWanted(String room, String ownerTransportId, PublishedTrackSpec track, boolean[] active) {
            observers.forEach(o -> o.onLayersWanted(room, ownerTransportId, track, active));
        }

        @Override
        public void onTransportClosed(String room, String transportId, String reason) {
            observers.forEach(o -> o.onTransportClosed(room, transportId, reason));
        }
    };

    public RoomRegistry(MediaWorkerPool workers, DtlsCertificate certificate) {
        this.workers = workers;
        this.certificate = certificate;
        for (MediaWorker w : workers.workers()) {
            w.execute(() -> w.addTickTask(() -> reapIdleRooms(w)));
        }
    }

    /** Hears the events of every room (called on the rooms' loops; must not block). */
    public void addObserver(RoomObserver observer) {
        observers.add(observer);
    }

    public DtlsCertificate certificate() {
        return certificate;
    }

    public TransportCounters counters() {
        return workers.counters();
    }

    public MediaWorkerPool workers() {
        return workers;
    }

    /** The room of this name, created (and placed) when it does not exist. */
    public Room room(String name) {
        return rooms.computeIfAbsent(name, n -> {
            MediaWorker worker = workers.place();
            return new Room(n, worker, workers.candidates(worker), certificate, handshakes, DTLS_TIMEOUT_MILLIS,
                    fanOut);
        });
    }

    /** The room if it exists. */
    public Room find(String name) {
        return rooms.get(name);
    }

    public List<Room> rooms() {
        return new ArrayList<>(rooms.values());
    }

    private void reapIdleRooms(MediaWorker worker) {
        long now = worker.nowMillis();
        for (Room room : rooms.values()) {
            if (room.worker() == worker && room.closeIfIdle(now, IDLE_ROOM_MILLIS)) {
                rooms.remove(room.name(), room);
                workers.release(worker);
            }
        }
    }

    @Override
    public void close() {
        for (Room room : rooms.values()) {
            try {
                room.close("server shutting down").get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                // closing anyway
            }
        }
        rooms.clear();
        handshakes.shutdownNow();
    }
}
