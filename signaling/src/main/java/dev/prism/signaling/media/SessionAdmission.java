package dev.prism.signaling.media;

import dev.prism.sfu.room.Room;
import dev.prism.sfu.room.RoomRegistry;
import dev.prism.sfu.worker.MediaWorker;
import dev.prism.sfu.worker.SetupGate;
import dev.prism.sfu.worker.WorkerLoad;
import dev.prism.signaling.SignalingException;
import dev.prism.signaling.SignalingLimits;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Whether a new session may start: not while draining, not past the handshake, worker-load or
 * publisher limits. Each refusal is a {@link SignalingException} with a code, and is counted.
 */
final class SessionAdmission {
    private final RoomRegistry rooms;
    private final RoomDirectory directory;
    private final SignalingLimits limits;
    private final Map<String, LongAdder> refusals = new ConcurrentHashMap<>();
    private volatile boolean draining;

    SessionAdmission(RoomRegistry rooms, RoomDirectory directory, SignalingLimits limits) {
        this.rooms = rooms;
        this.directory = directory;
        this.limits = limits;
    }

    void startDraining() {
        draining = true;
    }

    boolean draining() {
        return draining;
    }

    void checkDraining() {
        if (draining) {
            throw new SignalingException(503, "draining", "the server is shutting down; connect to another node");
        }
    }

    /** Refuses new sessions while too many DTLS handshakes are in progress (429). */
    void checkHandshakes() {
        checkDraining();
        int max = limits.maxConcurrentHandshakes();
        if (max > 0 && rooms.counters().handshakesInProgress.get() >= max) {
            throw new SignalingException(429, "too_many_handshakes",
                    "the server is busy with " + max + " connection set-ups; retry shortly");
        }
    }

    /**
     * Refuses new sessions in a room whose media worker no longer keeps up (503): past saturation
     * its receive queue fills and every session on it degrades at once, the ones already there too.
     */
    void checkWorkerLoad(String room) {
        int max = limits.maxWorkerLoadPercent();
        if (max <= 0) {
            return;
        }
        Room r = rooms.find(room);
        MediaWorker worker = r != null ? r.worker() : rooms.workers().next();
        WorkerLoad load = worker.load();
        if (load.overloaded(max)) {
            throw new SignalingException(503, "worker_overloaded", "the media worker of room '" + room
                    + "' is overloaded (" + load.describe() + ", limit " + max + " %); retry later or use another node");
        }
    }

    /**
     * Completes when a new session may start in {@code room}: at once while its media worker keeps
     * up, else when it has caught up ({@link SetupGate}); fails with 503 {@code worker_overloaded}
     * (counted) when the worker stayed behind for {@code limits.maxSetupWaitMillis}.
     */
    CompletableFuture<Void> awaitSetup(String room) {
        Room r = rooms.find(room);
        MediaWorker worker = r != null ? r.worker() : rooms.workers().next();
        return worker.setupGate().acquire(limits.maxSetupWaitMillis()).exceptionallyCompose(e -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof SetupGate.WaitExpired) {
                count("worker_overloaded");
                return CompletableFuture.failedFuture(new SignalingException(503, "worker_overloaded",
                        "the media worker of room '" + room + "' is behind (" + cause.getMessage()
                                + "); retry later or use another node"));
            }
            return CompletableFuture.failedFuture(e);
        });
    }

    /**
     * Admits a WHIP publisher into {@code room} with its publisher slot taken (403
     * {@code too_many_publishers} when none is free, or a directory limit's refusal).
     */
    RoomDirectory.Member admitPublisher(String room, String identity) {
        return directory.admitPublisher(room, identity, "whip", limits.maxPublishersPerRoom());
    }

    /**
     * Takes a publisher slot for a WebSocket participant about to set up its publication (403
     * {@code too_many_publishers} when none is free, counted here, as WHIP's refusal is by its
     * caller). Its caller frees it if the set-up fails.
     */
    void reservePublisher(String room, RoomDirectory.Member member) {
        try {
            directory.reservePublisher(room, member, limits.maxPublishersPerRoom());
        } catch (SignalingException e) {
            count(e.code());
            throw e;
        }
    }

    void releasePublisher(RoomDirectory.Member member) {
        directory.releasePublisher(member);
    }

    void count(String code) {
        refusals.computeIfAbsent(code, k -> new LongAdder()).increment();
    }

    /** Refusals by code (room_full, too_many_rooms, too_many_publishers, ...). */
    Map<String, Long> refusals() {
        Map<String, Long> out = new TreeMap<>();
        refusals.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
