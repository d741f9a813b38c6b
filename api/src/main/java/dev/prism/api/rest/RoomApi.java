package dev.prism.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prism.sfu.room.PublishedTrackSpec;
import dev.prism.sfu.room.Room;
import dev.prism.sfu.room.RoomRegistry;
import dev.prism.signaling.SignalingException;
import dev.prism.signaling.auth.AccessGrant;
import dev.prism.signaling.auth.AccessTokens;
import dev.prism.signaling.auth.TokenException;
import dev.prism.signaling.media.RoomDirectory;
import dev.prism.signaling.media.RoomDirectory.Member;
import dev.prism.signaling.media.RoomDirectory.RoomEntry;
import dev.prism.signaling.media.RoomDirectory.RoomSettings;
import dev.prism.signaling.media.RoomMediaBackend;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * The operators' REST API under {@code /v1} (documented in {@code /v1/openapi.json}): rooms and
 * participants, authorized by tokens with the roomCreate, roomList and roomAdmin grants.
 */
public final class RoomApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_METADATA = 16 * 1024;

    private final RoomMediaBackend backend;
    private final RoomDirectory directory;
    private final RoomRegistry rooms;
    private final AccessTokens tokens;
    private final byte[] openApi;

    public RoomApi(RoomMediaBackend backend, RoomRegistry rooms, AccessTokens tokens) {
        this.backend = backend;
        this.directory = backend.directory();
        this.rooms = rooms;
        this.tokens = tokens;
        try (InputStream in = RoomApi.class.getResourceAsStream("/openapi.json")) {
            this.openApi = in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("openapi.json missing from the jar", e);
        }
    }

    public void mount(Router router) {
        router.route("/v1/*").handler(BodyHandler.create().setBodyLimit(64 * 1024));
        router.get("/v1/openapi.json").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
                .end(io.vertx.core.buffer.Buffer.buffer(openApi)));
        router.post("/v1/rooms").handler(ctx -> run(ctx, this::createRoom));
        router.get("/v1/rooms").handler(ctx -> run(ctx, this::listRooms));
        router.get("/v1/rooms/:room").handler(ctx -> run(ctx, this::getRoom));
        router.patch("/v1/rooms/:room").handler(ctx -> run(ctx, this::updateRoom));
        router.delete("/v1/rooms/:room").handler(ctx -> run(ctx, this::deleteRoom));
        router.get("/v1/rooms/:room/participants").handler(ctx -> run(ctx, this::listParticipants));
        router.get("/v1/rooms/:room/participants/:identity").handler(ctx -> run(ctx, this::getParticipant));
        router.patch("/v1/rooms/:room/participants/:identity").handler(ctx -> run(ctx, this::updateParticipant));
        router.delete("/v1/rooms/:room/participants/:identity").handler(ctx -> run(ctx, this::removeParticipant));
        router.post("/v1/rooms/:room/participants/:identity/tracks/:track/mute")
                .handler(ctx -> run(ctx, this::muteTrack));
        router.route("/v1/*").handler(ctx -> error(ctx, new ApiError(404, "not_found",
                "no such API route: " + ctx.request().method() + " " + ctx.request().path())));
    }

    /** A reply: status and JSON body (null for none). */
    private record Reply(int status, JsonNode body) {}

    private void run(RoutingContext ctx, Function<RoutingContext, CompletableFuture<Reply>> handler) {
        CompletableFuture<Reply> reply;
        try {
            reply = handler.apply(ctx);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        reply.whenComplete((r, error) -> {
            if (error != null) {
                error(ctx, error);
            } else {
                ctx.response().setStatusCode(r.status());
                if (r.body() == null) {
                    ctx.response().end();
                } else {
                    ctx.response().putHeader("Content-Type", "application/json").end(r.body().toString());
                }
            }
        });
    }

    private static void error(RoutingContext ctx, Throwable t) {
        Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        int status;
        String code;
        if (e instanceof ApiError a) {
            status = a.status();
            code = a.code();
        } else if (e instanceof TokenException te) {
            status = te.status();
            code = te.status() == 401 ? "unauthorized" : "forbidden";
        } else if (e instanceof SignalingException se) {
            status = se.status();
            code = se.code();
        } else {
            status = 500;
            code = "internal_error";
        }
        if (!ctx.response().ended()) {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(JSON.createObjectNode().put("code", code).put("message", String.valueOf(e.getMessage())).toString());
        }
    }

    private AccessGrant grant(RoutingContext ctx) {
        String h = ctx.request().getHeader("Authorization");
        String token = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).trim() : null;
        return tokens.verify(token, System.currentTimeMillis() / 1000);
    }

    private void requireList(RoutingContext ctx) {
        AccessGrant g = grant(ctx);
        if (!g.roomList() && !g.roomAdmin()) {
            throw new ApiError(403, "forbidden", "the token grants neither roomList nor roomAdmin");
        }
    }

    private void requireCreate(RoutingContext ctx) {
        if (!grant(ctx).roomCreate()) {
            throw new ApiError(403, "forbidden", "the token does not grant roomCreate");
        }
    }

    private void requireAdmin(RoutingContext ctx, String room) {
        if (!grant(ctx).administers(room)) {
            throw new ApiError(403, "forbidden", "the token does not grant roomAdmin for room '" + room + "'");
        }
    }

    private static JsonNode body(RoutingContext ctx) {
        String text = ctx.body().asString();
        if (text == null || text.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode n = JSON.readTree(text);
            if (n == null || !n.isObject()) {
                throw new ApiError(400, "bad_json", "the body must be a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new ApiError(400, "bad_json", "the body is not valid JSON");
        }
    }

    private static int nonNegativeInt(JsonNode body, String field, int fallback) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0) {
            throw new ApiError(400, "bad_field", "'" + field + "' must be a non-negative integer");
        }
        return v.asInt();
    }

    private static String metadata(JsonNode body, String fallback) {
        JsonNode v = body.get("metadata");
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual() || v.asText().length() > MAX_METADATA) {
            throw new ApiError(400, "bad_field", "'metadata' must be a string of at most " + MAX_METADATA + " characters");
        }
        return v.asText();
    }

    private static String roomName(JsonNode body) {
        JsonNode v = body.get("name");
        if (v == null || !v.isTextual() || !v.asText().matches("[A-Za-z0-9_.-]{1,128}")) {
            throw new ApiError(400, "bad_field", "'name' must be 1-128 characters of letters, digits, '_', '.', '-'");
        }
        return v.asText();
    }

    private RoomEntry room(String name) {
        RoomEntry e = directory.find(name);
        if (e == null) {
            throw new ApiError(404, "room_not_found", "no room '" + name + "'");
        }
        return e;
    }

    private CompletableFuture<Reply> createRoom(RoutingContext ctx) {
        requireCreate(ctx);
        JsonNode body = body(ctx);
        String name = roomName(body);
        RoomSettings settings = new RoomSettings(nonNegativeInt(body, "maxParticipants", 0),
                nonNegativeInt(body, "emptyTimeout", RoomSettings.DEFAULT.emptyTimeoutSeconds()), metadata(body, ""));
        try {
            return CompletableFuture.completedFuture(new Reply(201, roomJson(directory.create(name, settings))));
        } catch (SignalingException e) {
            backend.countRefusal(e.code());
            throw e;
        }
    }

    private CompletableFuture<Reply> listRooms(RoutingContext ctx) {
        requireList(ctx);
        ArrayNode list = JSON.createArrayNode();
        directory.list().stream().sorted(java.util.Comparator.comparing(RoomEntry::name))
                .forEach(e -> list.add(roomJson(e)));
        ObjectNode out = JSON.createObjectNode();
        out.set("rooms", list);
        return CompletableFuture.completedFuture(new Reply(200, out));
    }

    private CompletableFuture<Reply> getRoom(RoutingContext ctx) {
        String name = ctx.pathParam("room");
        AccessGrant g = grant(ctx);
        if (!g.roomList() && !g.administers(name)) {
            throw new ApiError(403, "forbidden", "the token grants neither roomList nor roomAdmin for this room");
        }
        return CompletableFuture.completedFuture(new Reply(200, roomJson(room(name))));
    }

    private CompletableFuture<Reply> updateRoom(RoutingContext ctx) {
        String name = ctx.pathParam("room");
        requireAdmin(ctx, name);
        RoomEntry e = room(name);
        JsonNode body = body(ctx);
        RoomSettings s = e.settings();
        directory.update(name, new RoomSettings(nonNegativeInt(body, "maxParticipants", s.maxParticipants()),
                nonNegativeInt(body, "emptyTimeout", s.emptyTimeoutSeconds()), metadata(body, s.metadata())));
        return CompletableFuture.completedFuture(new Reply(200, roomJson(e)));
    }

    private CompletableFuture<Reply> deleteRoom(RoutingContext ctx) {
        requireCreate(ctx);
        String name = ctx.pathParam("room");
        room(name);
        return backend.moderation().deleteRoom(name).thenApply(v -> new Reply(204, null));
    }

    private CompletableFuture<Reply> listParticipants(RoutingContext ctx) {
        String name = ctx.pathParam("room");
        requireAdmin(ctx, name);
        RoomEntry e = room(name);
        List<CompletableFuture<ObjectNode>> parts = e.members().stream()
                .sorted(java.util.Comparator.comparing(Member::joinedAtMillis))
                .map(m -> participantJson(name, m)).toList();
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture[0])).thenApply(v -> {
            ArrayNode list = JSON.createArrayNode();
            parts.forEach(p -> list.add(p.join()));
            ObjectNode out = JSON.createObjectNode();
            out.set("participants", list);
            return new Reply(200, out);
        });
    }

    private Member member(String room, String identity) {
        room(room);
        List<Member> ms = directory.byIdentity(room, identity);
        if (ms.isEmpty()) {
            throw new ApiError(404, "participant_not_found", "no participant '" + identity + "' in room '" + room + "'");
        }
        return ms.get(0);
    }

    private CompletableFuture<Reply> getParticipant(RoutingContext ctx) {
        String name = ctx.pathParam("room");
        requireAdmin(ctx, name);
        return participantJson(name, member(name, ctx.pathParam("identity"))).thenApply(p -> new Reply(200, p));
    }

    private CompletableFuture<Reply> updateParticipant(RoutingContext ctx) {
        String name = ctx.pathParam("room");
        requireAdmin(ctx, name);
        Member m = member(name, ctx.pathParam("identity"));
        directory.setMetadata(m, metadata(body(ctx), m.metadata()));
        return participantJson(name, m).thenApply(p -> new Reply(200, p));
    }

    private CompletableFuture<Reply> removeParticipant(RoutingContext ctx) {
        String name = ctx.pathParam("room");
        requireAdmin(ctx, name);
        room(name);
        List<Member> ms = directory.byIdentity(name, ctx.pathParam("identity"));
        if (ms.isEmpty()) {
            throw new ApiError(404, "participant_not_found", "no participant '" + ctx.pathParam("identity") + "'");
        }
        return CompletableFuture.allOf(ms.stream().map(m -> backend.moderation().disconnect(name, m, "removed by an operator"))
                .toArray(CompletableFuture[]::new)).thenApply(v -> new Reply(204, null));
    }

    private CompletableFuture<Reply> muteTrack(RoutingContext ctx) {
        String name = ctx.pathParam("room");
        requireAdmin(ctx, name);
        Member m = member(name, ctx.pathParam("identity"));
        String track = ctx.pathParam("track");
        JsonNode body = body(ctx);
        JsonNode muted = body.get("muted");
        if (muted == null || !muted.isBoolean()) {
            throw new ApiError(400, "bad_field", "'muted' must be true or false");
        }
        if (!m.transports().contains(RoomMediaBackend.ownerTransportOf(track))) {
            throw new ApiError(404, "track_not_found", "participant '" + m.identity() + "' has no track '" + track + "'");
        }
        return backend.moderation().setMuted(name, track, muted.asBoolean()).thenApply(found -> {
            if (!found) {
                throw new ApiError(404, "track_not_found", "no track '" + track + "'");
            }
            return new Reply(200, JSON.createObjectNode().put("trackId", track).put("muted", muted.asBoolean()));
        });
    }

    private ObjectNode roomJson(RoomEntry e) {
        ObjectNode n = JSON.createObjectNode().put("name", e.name())
                .put("createdAt", Instant.ofEpochMilli(e.createdAtMillis()).toString())
                .put("maxParticipants", e.settings().maxParticipants())
                .put("emptyTimeout", e.settings().emptyTimeoutSeconds())
                .put("metadata", e.settings().metadata())
                .put("participants", e.members().size());
        Room r = rooms.find(e.name());
        n.put("publishedTracks", r == null ? 0 : r.trackCount());
        return n;
    }

    private CompletableFuture<ObjectNode> participantJson(String room, Member m) {
        Room r = rooms.find(room);
        CompletableFuture<Map<String, Double>> loss = r == null ? CompletableFuture.completedFuture(Map.of()) : r.trackLoss();
        return backend.moderation().tracksOf(room, m).thenCombine(loss, (tracks, losses) -> {
            ObjectNode n = JSON.createObjectNode().put("id", m.id()).put("identity", m.identity())
                    .put("kind", m.kind()).put("joinedAt", Instant.ofEpochMilli(m.joinedAtMillis()).toString())
                    .put("metadata", m.metadata());
            ArrayNode ts = n.putArray("tracks");
            double worst = 0;
            for (PublishedTrackSpec t : tracks) {
                double l = losses.getOrDefault(t.trackId(), 0.0);
                worst = Math.max(worst, l);
                ts.addObject().put("trackId", t.trackId()).put("kind", t.kind()).put("source", t.source().wireName())
                        .put("codec", t.codecName())
                        .put("muted", backend.moderation().isMuted(room, t.trackId())).put("loss", l);
            }
            n.put("state", m.transports().isEmpty() ? "joining" : "active");
            // From the publisher side's loss (receiver reports); "unknown" for viewers only.
            n.put("connectionQuality", tracks.isEmpty() ? "unknown" : worst < 0.02 ? "excellent" : worst < 0.1 ? "good" : "poor");
            return n;
        });
    }
}
