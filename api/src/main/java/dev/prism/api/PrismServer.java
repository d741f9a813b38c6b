package dev.prism.api;

import dev.prism.api.metrics.PrismMetrics;
import dev.prism.api.rest.RoomApi;
import dev.prism.api.webhook.WebhookEvents;
import dev.prism.api.webhook.WebhookNotifier;
import dev.prism.signaling.SignalingLimits;
import dev.prism.signaling.media.RoomDirectory;
import dev.prism.dtls.DtlsCertificate;
import dev.prism.sfu.room.RoomRegistry;
import dev.prism.sfu.transport.TransportCounters;
import dev.prism.sfu.worker.MediaWorkerPool;
import dev.prism.signaling.auth.AccessTokens;
import dev.prism.signaling.auth.ApiKeys;
import dev.prism.signaling.http.RejectionCounters;
import dev.prism.signaling.http.SignalingServer;
import dev.prism.signaling.media.RoomMediaBackend;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One Prism server wired from a {@link ServerConfig}: media workers, rooms, signaling over HTTP. */
public final class PrismServer implements AutoCloseable {
    private final ServerConfig config;
    private final Map<String, String> keys;
    private final boolean developmentMode;
    private final Vertx vertx;
    private final MediaWorkerPool workers;
    private final RoomRegistry rooms;
    private final RoomMediaBackend backend;
    private final SignalingServer signaling;
    private final HttpServer http;
    private final PrismMetrics metrics;
    private io.vertx.ext.web.Router router;
    private WebhookNotifier webhooks;

    private PrismServer(ServerConfig config, Map<String, String> keys, boolean developmentMode, Vertx vertx,
                        MediaWorkerPool workers, RoomRegistry rooms, RoomMediaBackend backend,
                        SignalingServer signaling, HttpServer http, PrismMetrics metrics) {
        this.metrics = metrics;
        this.config = config;
        this.keys = keys;
        this.developmentMode = developmentMode;
        this.vertx = vertx;
        this.workers = workers;
        this.rooms = rooms;
        this.backend = backend;
        this.signaling = signaling;
        this.http = http;
    }

    public static PrismServer start(ServerConfig config) throws Exception {
        boolean dev = config.developmentMode();
        Map<String, String> keys;
        if (dev) {
            Map.Entry<String, String> k = ApiKeys.development();
            keys = Map.of(k.getKey(), k.getValue());
        } else {
            keys = ApiKeys.parse(config.keys());
        }
        MediaWorkerPool workers = new MediaWorkerPool(config.workers(), config.mediaPort(),
                address("PRISM_MEDIA_IP", config.mediaIp()), address("PRISM_PUBLIC_IP", config.publicIp()));
        Vertx vertx = Vertx.vertx();
        try {
            RoomRegistry rooms = new RoomRegistry(workers, DtlsCertificate.generate());
            Limits l = config.limits();
            RoomMediaBackend backend = new RoomMediaBackend(rooms,
                    new RoomDirectory(l.maxRooms(), l.maxParticipantsPerRoom()),
                    new SignalingLimits(l.maxPublishersPerRoom(), l.maxTracksPerParticipant(),
                            l.maxConcurrentHandshakes(), l.signalingMessagesPerSecond(), l.maxWorkerLoadPercent(),
                            l.maxSetupWaitMillis()));
            AccessTokens tokens = new AccessTokens(keys);
            SignalingServer signaling = new SignalingServer(vertx, backend, tokens).messageRate(l.signalingMessagesPerSecond());
            RoomApi api = new RoomApi(backend, rooms, tokens);
            if (dev) {
                Map.Entry<String, String> k = keys.entrySet().iterator().next();
                signaling.enableDevelopmentTokens(k.getKey(), k.getValue());
            }
            PrismMetrics metrics = new PrismMetrics(rooms, signaling.rejections());
            io.vertx.ext.web.Router[] routerHolder = new io.vertx.ext.web.Router[1];
            HttpServer http = signaling.listen(config.httpHost(), config.httpPort(),
                            router -> {
                                metrics.mount(router, signaling.rejections(), tokens, backend);
                                api.mount(router);
                                routerHolder[0] = router;
                            })
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx.setPeriodic(5000, id -> backend.directory().reapEmpty(System.currentTimeMillis()));
            Map.Entry<String, String> signingKey = keys.entrySet().iterator().next();
            WebhookNotifier webhooks = new WebhookNotifier(config.webhookUrls(), signingKey.getKey(), signingKey.getValue());
            WebhookEvents.connect(webhooks, backend, rooms);
            metrics.webhooks(webhooks);
            PrismServer server = new PrismServer(config, keys, dev, vertx, workers, rooms, backend, signaling, http, metrics);
            server.router = routerHolder[0];
            server.webhooks = webhooks;
            return server;
        } catch (Exception e) {
            vertx.close();
            workers.close();
            throw e;
        }
    }

    private static InetAddress address(String key, String value) {
        if (value == null) {
            return null;
        }
        try {
            return InetAddress.getByName(value);
        } catch (UnknownHostException e) {
            throw new ServerConfig.ConfigException(key, "is not an IP address: '" + value + "'");
        }
    }

    /** "METHOD /path/{param}" of every operator API route (for checking the OpenAPI document). */
    public java.util.Set<String> apiRoutes() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (io.vertx.ext.web.Route r : router.getRoutes()) {
            String path = r.getPath();
            if (path == null || !path.startsWith("/v1/") || path.endsWith("*") || r.methods() == null) {
                continue;
            }
            String openApiPath = path.replaceAll(":([A-Za-z]+)", "{$1}");
            r.methods().forEach(m -> out.add(m.name() + " " + openApiPath));
        }
        return out;
    }

    public int httpPort() {
        return http.actualPort();
    }

    public Map<String, String> keys() {
        return keys;
    }

    public boolean developmentMode() {
        return developmentMode;
    }

    public MediaWorkerPool workers() {
        return workers;
    }

    public WebhookNotifier webhooks() {
        return webhooks;
    }

    public RoomRegistry rooms() {
        return rooms;
    }

    public RoomMediaBackend backend() {
        return backend;
    }

    public TransportCounters mediaCounters() {
        return workers.counters();
    }

    public RejectionCounters rejections() {
        return signaling.rejections();
    }

    /** An operator token (roomCreate, roomList, roomAdmin), signed with the first key. */
    public String adminToken(long ttlSeconds) {
        Map.Entry<String, String> k = keys.entrySet().iterator().next();
        long now = System.currentTimeMillis() / 1000;
        return AccessTokens.issueAdmin(k.getKey(), k.getValue(), "operator", now - 5, now + ttlSeconds);
    }

    /** A token for {@code identity} in {@code room}, signed with the first key (development mode, tests). */
    public String token(String identity, String room, boolean canPublish, boolean canSubscribe, long ttlSeconds) {
        Map.Entry<String, String> k = keys.entrySet().iterator().next();
        long now = System.currentTimeMillis() / 1000;
        return AccessTokens.issue(k.getKey(), k.getValue(), identity, room, canPublish, canSubscribe, now - 5,
                now + ttlSeconds);
    }

    /**
     * Graceful drain: refuse new joins and report draining on /healthz, tell every client and
     * close every transport, then flush pending webhooks; returns within {@code limit}.
     */
    public void drain(java.time.Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            backend.drain().get(Math.max(1, limit.toMillis() / 2), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // closing anyway
        }
        if (webhooks != null) {
            webhooks.flush(java.time.Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
    }

    @Override
    public void close() {
        try {
            http.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing anyway
        }
        rooms.close();
        workers.close();
        metrics.close();
        if (webhooks != null) {
            webhooks.close();
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing anyway
        }
    }
}
