package dev.prism.sfu.room;

import dev.prism.dtls.DtlsCertificate;
import dev.prism.sfu.transport.LocalTransportInfo;
import dev.prism.sfu.transport.PeerTransport;
import dev.prism.sfu.transport.RemoteTransportInfo;
import dev.prism.sfu.transport.TransportCounters;
import dev.prism.sfu.transport.TransportListener;
import dev.prism.sfu.worker.MediaWorker;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * One room on one media worker: its transports, the tracks published into it ({@link RoomTracks})
 * and who receives them. All state is touched on the worker's event loop only (DESIGN.md "one
 * thread per room"); the control plane calls the public methods from any thread and gets futures
 * back.
 */
public final class Room implements TransportListener {
    private static final Logger LOG = Logger.getLogger(Room.class.getName());

    private final String name;
    private final MediaWorker worker;
    private final List<java.net.InetSocketAddress> candidates;
    private final DtlsCertificate certificate;
    private final Executor handshakeExecutor;
    private final long dtlsTimeoutMillis;
    private final TransportCounters counters;
    private final RoomObserver observer;
    private final Map<String, PeerTransport> transports = new HashMap<>();
    private final Map<PeerTransport, Endpoint> endpoints = new HashMap<>();
    private final RoomTracks tracks;
    private final RoomIngress ingress;
    private final SpeakerTracker speakers = new SpeakerTracker();

    /** Who speaks: the owner transport and the speaker's audio track. */
    public record ActiveSpeaker(String ownerTransportId, PublishedTrackSpec audioTrack) {}
    private long emptySinceMillis;
    private volatile int transportCount;
    private volatile int trackCount;
    private volatile int subscriptionCount;
    private boolean closed;

    private final RoomTimers timers;

    public Room(String name, MediaWorker worker, List<java.net.InetSocketAddress> candidates,
                DtlsCertificate certificate, Executor handshakeExecutor, long dtlsTimeoutMillis, RoomObserver observer) {
        this.name = name;
        this.worker = worker;
        this.candidates = List.copyOf(candidates);
        this.certificate = certificate;
        this.handshakeExecutor = handshakeExecutor;
        this.dtlsTimeoutMillis = dtlsTimeoutMillis;
        this.counters = worker.counters();
        this.ingress = new RoomIngress(worker, counters, speakers);
        this.observer = observer == null ? new RoomObserver() {} : observer;
        this.tracks = new RoomTracks(name, speakers, this.observer, counters);
        this.emptySinceMillis = System.currentTimeMillis();
        this.timers = new RoomTimers(name, worker, endpoints.values(), tracks.all(), speakers, this.observer);
    }

    public String name() {
        return name;
    }

    public MediaWorker worker() {
        return worker;
    }

    /** Transports, published tracks and subscriptions (down-tracks) now; readable from any thread. */
    public int transportCount() {
        return transportCount;
    }

    public int trackCount() {
        return trackCount;
    }

    public int subscriptionCount() {
        return subscriptionCount;
    }

    /** The room's dominant speaker now, or null; readable from any thread. */
    public ActiveSpeaker activeSpeaker() {
        return speakers.current();
    }

    /** Each subscriber's bandwidth estimate in bits/s as of the last allocation (200 ms), ascending. */
    public long[] subscriberEstimates() {
        return timers.subscriberEstimates();
    }

    private void recount() {
        transportCount = transports.size();
        trackCount = tracks.size();
        subscriptionCount = tracks.subscriptionCount();
    }

    /** Runs {@code action} on the room's loop; fails with IllegalStateException once the room closed. */
    private <T> CompletableFuture<T> onLoop(Supplier<T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        worker.execute(() -> {
            if (closed) {
                result.completeExceptionally(new IllegalStateException("room " + name + " is closed"));
                return;
            }
            try {
                T value = action.get();
                recount();
                result.complete(value);
            } catch (RuntimeException e) {
                recount();
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /**
     * A new transport for a peer; its ICE credentials and candidates go into the SDP answer/offer.
     * {@code remote} is null when Prism offers first; see {@link #setRemote}.
     */
    public CompletableFuture<LocalTransportInfo> createTransport(RemoteTransportInfo remote) {
        return onLoop(() -> {
            String id = TransportIds.transportId();
            String ufrag = TransportIds.iceUfrag();
            String pwd = TransportIds.icePassword();
            PeerTransport t = new PeerTransport(id, ufrag, pwd, remote, certificate, worker, this, counters,
                    handshakeExecutor, dtlsTimeoutMillis);
            transports.put(id, t);
            endpoints.put(t, new Endpoint(t));
            worker.register(t);
            return new LocalTransportInfo(id, ufrag, pwd, "sha-256 " + certificate.sha256Fingerprint(), candidates);
        });
    }

    /** Gives a transport created without them (Prism offered first) the peer's parameters. */
    public CompletableFuture<Void> setRemote(String transportId, RemoteTransportInfo remote) {
        return onLoop(() -> {
            transport(transportId).setRemote(remote);
            return null;
        });
    }

    /** Stops sending tracks to a subscriber transport (they left the room or were unpublished). */
    public CompletableFuture<Void> unsubscribe(String transportId, java.util.Collection<String> trackIds) {
        return onLoop(() -> {
            PeerTransport t = transport(transportId);
            Endpoint e = endpoints.get(t);
            e.down.values().removeIf(d -> {
                if (trackIds.contains(d.source.spec.trackId())) {
                    d.source.downTracks.remove(d);
                    d.close();
                    return true;
                }
                return false;
            });
            return null;
        });
    }

    /** Publishes tracks received on a transport. */
    public CompletableFuture<Void> publish(String transportId, List<PublishedTrackSpec> specs) {
        return onLoop(() -> {
            Endpoint e = endpoints.get(transport(transportId));
            for (PublishedTrackSpec spec : specs) {
                tracks.publish(e, spec);
            }
            return null;
        });
    }

    /**
     * Sends tracks to a subscriber transport; video waits for (and asks for) a key frame. A track
     * that ended since it was offered is skipped: its publisher left between offer and answer,
     * which is normal, and the next offer takes its line away.
     */
    public CompletableFuture<Void> subscribe(String transportId, List<DownTrackSpec> specs) {
        return onLoop(() -> {
            PeerTransport t = transport(transportId);
            Endpoint e = endpoints.get(t);
            long now = worker.nowMillis();
            for (DownTrackSpec spec : specs) {
                PublishedTrack track = tracks.get(spec.trackId());
                if (track == null) {
                    LOG.fine(() -> "room " + name + ": track " + spec.trackId() + " ended before " + transportId + " subscribed");
                    continue;
                }
                e.down.put((int) spec.ssrc(), track.addDownTrack(t, e.downlink(spec.transportCcId()), spec));
            }
            // Allocate at once: the first key frame asked for is then one the subscriber's link carries.
            if (e.downlink() != null) {
                e.downlink().allocate(e.down.values(), speakers.owner(), now);
            }
            return null;
        });
    }

    /**
     * The largest video a subscriber wants ({@code 0} for no limit): simulcast tracks are then sent
     * no larger than that, which also saves its bandwidth. False when the transport is unknown.
     */
    public CompletableFuture<Boolean> setMaxVideoSize(String transportId, int width, int height) {
        return onEndpoint(transportId, e -> e.setMaxVideoSize(width, height));
    }

    /**
     * Fixes the video layer this subscriber transport receives ({@code null}: chosen from its
     * bandwidth estimate again); see {@link VideoLayerPin}. False when the transport is unknown.
     */
    public CompletableFuture<Boolean> pinVideoLayer(String transportId, VideoLayerPin pin) {
        return onEndpoint(transportId, e -> e.pinVideoLayer(pin));
    }

    /** Applies {@code change} to a transport's endpoint on the loop; false when the transport is unknown. */
    private CompletableFuture<Boolean> onEndpoint(String transportId, java.util.function.Consumer<Endpoint> change) {
        return onLoop(() -> {
            PeerTransport t = transports.get(transportId);
            Endpoint e = t == null ? null : endpoints.get(t);
            if (e == null) {
                return false;
            }
            change.accept(e);
            return true;
        });
    }

    /**
     * Lets Prism pause the simulcast layers nobody receives of the tracks this transport publishes
     * (its publisher hears {@link RoomObserver#onLayersWanted} and can act on it; a WHIP publisher
     * cannot be told, so it is not enabled for one). False when the transport is unknown.
     */
    public CompletableFuture<Boolean> enableLayerPausing(String transportId) {
        return onLoop(() -> {
            PeerTransport t = transports.get(transportId);
            if (t == null) {
                return false;
            }
            tracks.enableLayerPausing(t, worker.nowMillis());
            return true;
        });
    }

    /** Stops or resumes forwarding a track to every subscriber (operator mute). False when unknown. */
    public CompletableFuture<Boolean> setMuted(String trackId, boolean muted) {
        return onLoop(() -> {
            PublishedTrack t = tracks.get(trackId);
            if (t == null) {
                return false;
            }
            t.setMuted(muted, worker.nowMillis());
            return true;
        });
    }

    /** Whether a track is muted by an operator (null when unknown). */
    public CompletableFuture<Boolean> isMuted(String trackId) {
        return onLoop(() -> {
            PublishedTrack t = tracks.get(trackId);
            return t == null ? null : t.muted();
        });
    }

    /** Fraction of packets lost (0..1) on each published track since the last receiver report. */
    public CompletableFuture<Map<String, Double>> trackLoss() {
        return onLoop(tracks::loss);
    }

    /** The tracks currently published, in publication order. */
    public CompletableFuture<List<PublishedTrackSpec>> tracks() {
        return onLoop(tracks::specs);
    }

    /** Closes a transport and everything it published or received. Completes with false when unknown. */
    public CompletableFuture<Boolean> closeTransport(String transportId, String reason) {
        return onLoop(() -> {
            PeerTransport t = transports.get(transportId);
            if (t == null) {
                return false;
            }
            t.close(reason);
            return true;
        });
    }

    /** Whether a transport finished ICE, DTLS and SRTP set-up. */
    public CompletableFuture<Boolean> isConnected(String transportId) {
        return onLoop(() -> {
            PeerTransport t = transports.get(transportId);
            return t != null && t.isConnected();
        });
    }

    private PeerTransport transport(String id) {
        PeerTransport t = transports.get(id);
        if (t == null) {
            throw new IllegalArgumentException("no transport " + id + " in room " + name);
        }
        return t;
    }

    @Override
    public void onRtp(PeerTransport transport, ByteBuf packet) {
        ingress.onRtp(endpoints.get(transport), packet);
    }

    @Override
    public void onRtcp(PeerTransport transport, ByteBuf packet) {
        ingress.onRtcp(endpoints.get(transport), packet);
    }

    @Override
    public void onConnected(PeerTransport transport) {
        Endpoint e = endpoints.get(transport);
        long now = worker.nowMillis();
        // A new subscriber gets its first frame fast: ask the publishers for key frames at once.
        for (DownTrack down : e.down.values()) {
            down.source.requestKeyFrame(now, down.wantedLayer());
        }
    }

    @Override
    public void onClosed(PeerTransport transport, String reason) {
        Endpoint e = endpoints.remove(transport);
        transports.remove(transport.id());
        if (e != null && e.downlink() != null) {
            e.downlink().close();
        }
        worker.unregister(transport);
        tracks.onTransportClosed(transport, e, reason, endpoints::get);
        recount();
        observer.onTransportClosed(name, transport.id(), reason);
        if (transports.isEmpty()) {
            emptySinceMillis = worker.nowMillis();
        }
    }

    /** True when the room has had no transport for {@code idleMillis}; then it closes itself. Loop thread. */
    boolean closeIfIdle(long now, long idleMillis) {
        if (!closed && transports.isEmpty() && now - emptySinceMillis >= idleMillis) {
            closed = true;
            timers.stop();
            return true;
        }
        return false;
    }

    /** Closes every transport (server shutdown). */
    public CompletableFuture<Void> close(String reason) {
        return onLoop(() -> {
            for (PeerTransport t : new ArrayList<>(transports.values())) {
                t.close(reason);
            }
            closed = true;
            timers.stop();
            return null;
        });
    }
}
