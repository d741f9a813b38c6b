package dev.prism.signaling.http;

import dev.prism.signaling.MediaBackend;
import dev.prism.signaling.SignalingException;
import dev.prism.signaling.auth.AccessGrant;
import dev.prism.signaling.auth.AccessTokens;
import dev.prism.signaling.auth.TokenException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * The front door (DESIGN.md "signaling"): health, WHIP (RFC 9725) and WHEP endpoints, the
 * WebSocket protocol of {@code signaling/PROTOCOL.md}, and the demo pages. Every media entry
 * point needs an access token with the right grant.
 */
public final class SignalingServer {
    public static final int MAX_BODY_BYTES = 64 * 1024;
    private static final String SDP = "application/sdp";
    private static final String TRICKLE = "application/trickle-ice-sdpfrag";

    private final Vertx vertx;
    private final MediaBackend backend;
    private final AccessTokens tokens;
    private final RejectionCounters rejections = new RejectionCounters();
    /** Who created each WHIP/WHEP resource, to authorize DELETE and PATCH on it. */
    private final SessionOwners owners;

    public SignalingServer(Vertx vertx, MediaBackend backend, AccessTokens tokens) {
        this.vertx = vertx;
        this.backend = backend;
        this.tokens = tokens;
        this.owners = new SessionOwners(backend::isSessionOpen);
    }

    private volatile String[] developmentKey;
    private volatile int messagesPerSecond;

    /** WebSocket messages per connection per second (0: unlimited); excess messages get rate_limited. */
    public SignalingServer messageRate(int perSecond) {
        this.messagesPerSecond = perSecond;
        return this;
    }

    /**
     * Development mode only: {@code GET /dev/token?room=&identity=&publish=&subscribe=} hands out
     * one-hour tokens so the demo pages work without an operator. Never enable with real keys.
     */
    public SignalingServer enableDevelopmentTokens(String apiKey, String secret) {
        developmentKey = new String[] {apiKey, secret};
        return this;
    }

    public RejectionCounters rejections() {
        return rejections;
    }

    /** Starts an HTTP server with this router on host:port (port 0: any free port). */
    public Future<HttpServer> listen(String host, int port) {
        return listen(host, port, r -> { });
    }

    /** As {@link #listen(String, int)}, with more routes (the operators' API, metrics) added before the pages. */
    public Future<HttpServer> listen(String host, int port, java.util.function.Consumer<Router> extraRoutes) {
        HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port)
                .setMaxWebSocketFrameSize(4 * MAX_BODY_BYTES).setMaxWebSocketMessageSize(4 * MAX_BODY_BYTES);
        // Messages up to 4x the limit reach the session, which closes with 1009 and a reason;
        // beyond that Vert.x drops the connection itself.
        return vertx.createHttpServer(options).requestHandler(router(extraRoutes)).listen();
    }

    public Router router() {
        return router(r -> { });
    }

    public Router router(java.util.function.Consumer<Router> extraRoutes) {
        Router router = Router.router(vertx);
        router.route().handler(CorsHandler.create().addOrigin("*")
                .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PATCH, HttpMethod.DELETE,
                        HttpMethod.OPTIONS))
                .allowedHeaders(Set.of("Authorization", "Content-Type", "If-Match"))
                .exposedHeaders(Set.of("Location", "ETag", "Link")));
        router.get("/healthz").handler(ctx -> {
            // While draining, load balancers should stop sending new clients here.
            boolean draining = backend instanceof dev.prism.signaling.media.RoomMediaBackend b && b.draining();
            ctx.response().setStatusCode(draining ? 503 : 200).putHeader("Content-Type", "text/plain")
                    .end(draining ? "draining" : "ok");
        });
        router.get("/ws").handler(this::webSocket);
        router.get("/dev/token").handler(this::developmentToken);
        router.route("/whip/*").handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES));
        router.route("/whep/*").handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES));
        for (String kind : new String[] {"whip", "whep"}) {
            boolean publish = kind.equals("whip");
            router.post("/" + kind + "/:room").handler(ctx -> create(ctx, kind, publish));
            router.delete("/" + kind + "/:room/:session").handler(ctx -> delete(ctx, publish));
            router.patch("/" + kind + "/:room/:session").handler(ctx -> patch(ctx, publish));
        }
        extraRoutes.accept(router);
        router.route("/*").handler(StaticHandler.create("webroot"));
        return router;
    }

    private void create(RoutingContext ctx, String kind, boolean publish) {
        rejections.message();
        String room = ctx.pathParam("room");
        AccessGrant grant = authorize(ctx, room, publish);
        if (grant == null) {
            return;
        }
        if (!isContentType(ctx, SDP)) {
            refuse(ctx, 415, "unsupported_media_type", "Content-Type must be " + SDP);
            return;
        }
        String offer = ctx.body().asString();
        if (offer == null || offer.isBlank()) {
            refuse(ctx, 400, "bad_sdp", "the request body must be an SDP offer");
            return;
        }
        String layer = ctx.request().getParam("video_layer");
        if (publish && layer != null) {
            refuse(ctx, 400, "bad_request", "video_layer is a WHEP (viewer) option");
            return;
        }
        MediaBackend.SubscribeOptions options;
        try {
            options = subscribeOptions(layer);
        } catch (IllegalArgumentException e) {
            refuse(ctx, 400, "bad_request", e.getMessage());
            return;
        }
        var answer = publish ? backend.publish(room, grant.identity(), offer)
                : backend.subscribe(room, grant.identity(), offer, options);
        answer.whenComplete((session, error) -> {
            if (error != null) {
                fail(ctx, error);
                return;
            }
            owners.record(session.id(), new SessionOwners.Owner(room, publish, grant.identity()));
            ctx.response().setStatusCode(201)
                    .putHeader("Content-Type", SDP)
                    .putHeader("Location", "/" + kind + "/" + room + "/" + session.id())
                    .putHeader("ETag", "\"" + session.id() + "\"")
                    .end(session.answerSdp());
        });
    }

    /**
     * WHEP {@code ?video_layer=}: {@code auto} (or absent) lets the bandwidth estimate choose the
     * simulcast layer; {@code top} or a layer index (0 the lowest) pins it.
     */
    static MediaBackend.SubscribeOptions subscribeOptions(String videoLayer) {
        if (videoLayer == null || videoLayer.equals("auto")) {
            return MediaBackend.SubscribeOptions.DEFAULT;
        }
        if (videoLayer.equals("top")) {
            return new MediaBackend.SubscribeOptions(MediaBackend.SubscribeOptions.TOP_LAYER);
        }
        if (videoLayer.length() == 1 && videoLayer.charAt(0) >= '0' && videoLayer.charAt(0) <= '9') {
            return new MediaBackend.SubscribeOptions(videoLayer.charAt(0) - '0');
        }
        throw new IllegalArgumentException("video_layer must be auto, top or a layer index 0..9");
    }

    private void delete(RoutingContext ctx, boolean publish) {
        String room = ctx.pathParam("room");
        AccessGrant grant = authorize(ctx, room, publish);
        if (grant == null) {
            return;
        }
        String session = ctx.pathParam("session");
        if (!owners.isOwner(session, room, publish, grant.identity())) {
            // The same answer whether it does not exist or is someone else's: ids are not secrets.
            refuse(ctx, 404, "unknown_session", "no session " + session + " of yours in room " + room);
            return;
        }
        backend.closeSession(session).whenComplete((closed, error) -> {
            owners.forget(session);
            if (error != null) {
                fail(ctx, error);
            } else if (Boolean.TRUE.equals(closed)) {
                ctx.response().setStatusCode(200).end();
            } else {
                refuse(ctx, 404, "unknown_session", "session " + session + " has ended");
            }
        });
    }

    private void patch(RoutingContext ctx, boolean publish) {
        String room = ctx.pathParam("room");
        AccessGrant grant = authorize(ctx, room, publish);
        if (grant == null) {
            return;
        }
        if (!isContentType(ctx, TRICKLE)) {
            refuse(ctx, 415, "unsupported_media_type", "Content-Type must be " + TRICKLE);
            return;
        }
        String session = ctx.pathParam("session");
        if (!owners.isOwner(session, room, publish, grant.identity())) {
            refuse(ctx, 404, "unknown_session", "no session " + session + " of yours in room " + room);
            return;
        }
        backend.trickle(session, ctx.body().asString()).whenComplete((known, error) -> {
            if (error != null) {
                fail(ctx, error);
            } else if (Boolean.TRUE.equals(known)) {
                ctx.response().setStatusCode(204).end();
            } else {
                refuse(ctx, 404, "unknown_session", "session " + session + " has ended");
            }
        });
    }

    private void webSocket(RoutingContext ctx) {
        String token = bearer(ctx);
        if (token == null) {
            token = ctx.request().getParam("access_token");
        }
        AccessGrant grant;
        try {
            grant = tokens.verify(token, nowSeconds());
        } catch (TokenException e) {
            refuse(ctx, e.status(), e.status() == 401 ? "bad_token" : "forbidden", e.getMessage());
            return;
        }
        if (!ctx.request().canUpgradeToWebSocket()) {
            refuse(ctx, 400, "not_websocket", "this endpoint speaks WebSocket only");
            return;
        }
        ctx.request().toWebSocket().onSuccess(ws -> new WebSocketSession(ws, grant, backend, rejections, MAX_BODY_BYTES, messagesPerSecond).start());
    }

    private void developmentToken(RoutingContext ctx) {
        String[] key = developmentKey;
        if (key == null) {
            refuse(ctx, 404, "not_found", "development tokens are off (the server has configured keys)");
            return;
        }
        String room = ctx.request().getParam("room", "demo");
        String identity = ctx.request().getParam("identity", "guest");
        long now = nowSeconds();
        String token = AccessTokens.issue(key[0], key[1], identity, room,
                !"false".equals(ctx.request().getParam("publish")), !"false".equals(ctx.request().getParam("subscribe")),
                now - 5, now + 3600);
        ctx.response().putHeader("Content-Type", "application/json")
                .end(new io.vertx.core.json.JsonObject().put("token", token).encode());
    }

    private AccessGrant authorize(RoutingContext ctx, String room, boolean publish) {
        try {
            return tokens.authorize(bearer(ctx), room, publish, !publish, nowSeconds());
        } catch (TokenException e) {
            refuse(ctx, e.status(), e.status() == 401 ? "bad_token" : "forbidden", e.getMessage());
            return null;
        }
    }

    private static String bearer(RoutingContext ctx) {
        String h = ctx.request().getHeader("Authorization");
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return h.substring(7).trim();
    }

    private static boolean isContentType(RoutingContext ctx, String expected) {
        String type = ctx.request().getHeader("Content-Type");
        return type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith(expected);
    }

    private void fail(RoutingContext ctx, Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof SignalingException s) {
            refuse(ctx, s.status(), s.code(), s.getMessage());
        } else {
            refuse(ctx, 500, "internal_error", "internal error: " + e.getClass().getSimpleName());
            java.util.logging.Logger.getLogger(SignalingServer.class.getName())
                    .log(java.util.logging.Level.WARNING, "request failed", e);
        }
    }

    private void refuse(RoutingContext ctx, int status, String code, String message) {
        rejections.increment(code);
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8")
                .end(code + ": " + message + "\n");
    }

    static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }
}
