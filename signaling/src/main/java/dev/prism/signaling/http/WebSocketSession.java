package dev.prism.signaling.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prism.signaling.MediaBackend;
import dev.prism.signaling.SignalingException;
import dev.prism.signaling.auth.AccessGrant;
import io.vertx.core.http.ServerWebSocket;
import java.util.concurrent.CompletionException;

/**
 * One WebSocket client (signaling/PROTOCOL.md): JSON messages in, JSON messages out. Errors in
 * a message are answered with an {@code error} message and the connection stays up.
 */
final class WebSocketSession implements MediaBackend.ParticipantListener {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerWebSocket ws;
    private final AccessGrant grant;
    private final MediaBackend backend;
    private final RejectionCounters rejections;
    private final int maxMessageBytes;
    private final int messagesPerSecond;
    private double tokens;
    private long lastRefillNanos = System.nanoTime();
    private volatile MediaBackend.Participant participant;
    private volatile boolean joining;

    WebSocketSession(ServerWebSocket ws, AccessGrant grant, MediaBackend backend, RejectionCounters rejections,
                     int maxMessageBytes, int messagesPerSecond) {
        this.ws = ws;
        this.maxMessageBytes = maxMessageBytes;
        this.messagesPerSecond = messagesPerSecond;
        this.tokens = messagesPerSecond;
        this.grant = grant;
        this.backend = backend;
        this.rejections = rejections;
    }

    void start() {
        ws.textMessageHandler(this::onText);
        ws.binaryMessageHandler(b -> error(null, "bad_message", "binary messages are not part of the protocol"));
        ws.closeHandler(v -> {
            MediaBackend.Participant p = participant;
            if (p != null) {
                p.leave();
            }
        });
        ws.exceptionHandler(e -> ws.close());
    }

    private void onText(String text) {
        rejections.message();
        if (!takeToken()) {
            error(null, "rate_limited", "more than " + messagesPerSecond + " messages per second; message dropped");
            return;
        }
        if (text.length() > maxMessageBytes) {
            rejections.increment("message_too_big");
            ws.close((short) 1009, "message larger than " + maxMessageBytes + " bytes");
            return;
        }
        JsonNode m;
        try {
            m = JSON.readTree(text);
        } catch (Exception e) {
            error(null, "bad_json", "message is not valid JSON");
            return;
        }
        if (m == null || !m.isObject()) {
            error(null, "bad_json", "message must be a JSON object");
            return;
        }
        String id = m.hasNonNull("id") ? m.get("id").asText() : null;
        String type = m.path("type").asText("");
        MediaBackend.Participant p = participant;
        switch (type) {
            case "join" -> join(id, m);
            case "publish" -> {
                if (p == null) {
                    error(id, "not_joined", "join a room first");
                } else if (!grant.canPublish()) {
                    error(id, "forbidden", "the access token does not grant canPublish");
                } else if (!m.hasNonNull("sdp")) {
                    error(id, "bad_message", "publish needs an sdp offer");
                } else {
                    java.util.Map<String, dev.prism.sfu.room.TrackSource> sources;
                    try {
                        sources = TrackSourcesField.parse(m.get("sources"));
                    } catch (SignalingException e) {
                        error(id, e);
                        return;
                    }
                    p.publishOffer(m.get("sdp").asText(), sources).whenComplete((answer, e) -> {
                        if (e != null) {
                            error(id, e);
                        } else {
                            send(message("publishAnswer", id).put("sdp", answer));
                        }
                    });
                }
            }
            case "answer" -> {
                if (p == null) {
                    error(id, "not_joined", "join a room first");
                } else if (!m.hasNonNull("sdp")) {
                    error(id, "bad_message", "answer needs an sdp");
                } else {
                    p.subscriberAnswer(m.get("sdp").asText()).whenComplete((v, e) -> {
                        if (e != null) {
                            error(id, e);
                        } else if (id != null) {
                            send(message("ok", id));
                        }
                    });
                }
            }
            case "maxVideoSize" -> {
                int width = m.path("width").asInt(-1);
                int height = m.path("height").asInt(-1);
                if (p == null) {
                    error(id, "not_joined", "join a room first");
                } else if (!m.path("width").isInt() || !m.path("height").isInt() || width < 0 || height < 0
                        || width > 16384 || height > 16384) {
                    error(id, "bad_message", "maxVideoSize needs integer width and height in 0..16384 (0 = no limit)");
                } else {
                    p.setMaxVideoSize(width, height).whenComplete((v, e) -> {
                        if (e != null) {
                            error(id, e);
                        } else if (id != null) {
                            send(message("ok", id));
                        }
                    });
                }
            }
            case "trickle" -> {
                // ICE-lite: the server learns candidates from connectivity checks.
                if (id != null) {
                    send(message("ok", id));
                }
            }
            case "leave" -> {
                if (p != null) {
                    p.leave();
                    participant = null;
                }
                send(message("closed", id).put("reason", "left"));
                ws.close();
            }
            default -> error(id, "unknown_type", "unknown message type '" + type + "'");
        }
    }

    /** Token bucket of one second's worth of messages; Vert.x calls handlers on one thread per socket. */
    private boolean takeToken() {
        if (messagesPerSecond <= 0) {
            return true;
        }
        long now = System.nanoTime();
        tokens = Math.min(messagesPerSecond, tokens + (now - lastRefillNanos) * messagesPerSecond / 1e9);
        lastRefillNanos = now;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    private void join(String id, JsonNode m) {
        String room = m.path("room").asText("");
        if (participant != null || joining) {
            error(id, "already_joined", "this connection already joined a room");
            return;
        }
        if (!room.equals(grant.room())) {
            error(id, "forbidden", "the access token is for room '" + grant.room() + "', not '" + room + "'");
            return;
        }
        if (!grant.roomJoin()) {
            error(id, "forbidden", "the access token does not grant roomJoin");
            return;
        }
        joining = true;
        backend.join(room, grant.identity(), grant.canPublish(), grant.canSubscribe(), this).whenComplete((p, e) -> {
            joining = false;
            if (e != null) {
                error(id, e);
                return;
            }
            participant = p;
            if (ws.isClosed()) {
                p.leave();
                return;
            }
            send(message("joined", id).put("participantId", p.id()).put("identity", grant.identity())
                    .put("room", room));
        });
    }

    @Override
    public void onSubscriberOffer(String offerSdp) {
        send(message("offer", null).put("sdp", offerSdp));
    }

    @Override
    public void onParticipantJoined(String identity) {
        send(message("participantJoined", null).put("identity", identity));
    }

    @Override
    public void onParticipantLeft(String identity) {
        send(message("participantLeft", null).put("identity", identity));
    }

    @Override
    public void onTrackPublished(String identity, String trackId, String kind, String source) {
        send(message("trackPublished", null).put("identity", identity).put("trackId", trackId).put("kind", kind)
                .put("source", source));
    }

    @Override
    public void onPublisherLayers(String trackId, String mid, java.util.Map<String, Boolean> active) {
        send(layersMessage(trackId, mid, active));
    }

    /** {@code {"type":"layers","trackId":…,"mid":…,"active":{"q":true,"h":false,…}}} (PROTOCOL.md). */
    static ObjectNode layersMessage(String trackId, String mid, java.util.Map<String, Boolean> active) {
        ObjectNode m = message("layers", null).put("trackId", trackId).put("mid", mid);
        ObjectNode layers = m.putObject("active");
        active.forEach(layers::put);
        return m;
    }

    @Override
    public void onTrackUnpublished(String identity, String trackId) {
        send(message("trackUnpublished", null).put("identity", identity).put("trackId", trackId));
    }

    @Override
    public void onActiveSpeaker(String identity, String streamId) {
        send(message("activeSpeaker", null).put("identity", identity).put("streamId", streamId));
    }

    @Override
    public void onClosed(String reason) {
        send(message("closed", null).put("reason", reason));
        ws.close();
    }

    private static ObjectNode message(String type, String id) {
        ObjectNode n = JSON.createObjectNode().put("type", type);
        if (id != null) {
            n.put("id", id);
        }
        return n;
    }

    private void error(String id, Throwable t) {
        Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (e instanceof SignalingException s) {
            error(id, s.code(), s.getMessage());
        } else {
            error(id, "internal_error", "internal error: " + e.getClass().getSimpleName());
        }
    }

    private void error(String id, String code, String text) {
        rejections.increment(code);
        send(message("error", id).put("code", code).put("message", text));
    }

    private void send(ObjectNode message) {
        if (!ws.isClosed()) {
            ws.writeTextMessage(message.toString());
        }
    }
}
