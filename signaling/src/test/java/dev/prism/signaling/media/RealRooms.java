package dev.prism.signaling.media;

import dev.prism.dtls.DtlsCertificate;
import dev.prism.sfu.room.RoomRegistry;
import dev.prism.sfu.worker.MediaWorkerPool;
import java.net.InetAddress;

/**
 * Real rooms for signaling tests: one media worker on an ephemeral loopback port and a registry
 * on it. No peer connects; tests end well before a transport's connection deadline.
 */
record RealRooms(MediaWorkerPool workers, RoomRegistry registry) implements AutoCloseable {
    static RealRooms start() throws Exception {
        MediaWorkerPool workers = new MediaWorkerPool(1, 0, InetAddress.getLoopbackAddress(), null);
        try {
            return new RealRooms(workers, new RoomRegistry(workers, DtlsCertificate.generate()));
        } catch (Exception | Error e) {
            workers.close();
            throw e;
        }
    }

    @Override
    public void close() {
        registry.close();
        workers.close();
    }
}
