package dev.prism.tests.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A Chrome DevTools Protocol connection over the JDK's WebSocket client: commands with ids,
 * replies matched by id, events handed to a listener. Flattened sessions (one socket, many
 * targets) per the CDP "Target.attachToTarget flatten" mode.
 */
final class DevToolsConnection implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebSocket socket;
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<String, Consumer<JsonNode>> eventListeners = new ConcurrentHashMap<>();

    private DevToolsConnection(WebSocket socket) {
        this.socket = socket;
    }

    static DevToolsConnection open(String webSocketUrl) throws Exception {
        Receiver receiver = new Receiver();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create(webSocketUrl), receiver)
                .get(10, TimeUnit.SECONDS);
        DevToolsConnection connection = new DevToolsConnection(ws);
        receiver.owner = connection;
        return connection;
    }

    /** Events of one session (null = browser) go to this listener: params with "method" added. */
    void onEvents(String sessionId, Consumer<JsonNode> listener) {
        eventListeners.put(sessionId == null ? "" : sessionId, listener);
    }

    JsonNode send(String sessionId, String method, ObjectNode params, long timeoutMillis) throws Exception {
        int id = nextId.getAndIncrement();
        ObjectNode message = JSON.createObjectNode();
        message.put("id", id);
        message.put("method", method);
        message.set("params", params == null ? JSON.createObjectNode() : params);
        if (sessionId != null) {
            message.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        synchronized (socket) {
            socket.sendText(JSON.writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
        }
        try {
            JsonNode result = reply.get(timeoutMillis, TimeUnit.MILLISECONDS);
            if (result.has("error")) {
                throw new IOException(method + " failed: " + result.get("error"));
            }
            return result.path("result");
        } finally {
            pending.remove(id);
        }
    }

    static ObjectNode params() {
        return JSON.createObjectNode();
    }

    private void dispatch(String text) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (IOException e) {
            return;
        }
        if (message.has("id")) {
            CompletableFuture<JsonNode> reply = pending.get(message.get("id").asInt());
            if (reply != null) {
                reply.complete(message);
            }
            return;
        }
        String session = message.path("sessionId").asText("");
        Consumer<JsonNode> listener = eventListeners.get(session);
        if (listener != null) {
            ObjectNode event = message.path("params").isObject()
                    ? ((ObjectNode) message.get("params")).deepCopy() : JSON.createObjectNode();
            event.put("method", message.path("method").asText());
            listener.accept(event);
        }
    }

    @Override
    public void close() {
        socket.abort();
    }

    private static final class Receiver implements WebSocket.Listener {
        volatile DevToolsConnection owner;
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                DevToolsConnection o = owner;
                if (o != null) {
                    o.dispatch(text);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
