package dev.prism.tests.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A Chrome DevTools Protocol connection: commands with ids, replies matched by id, events
 * handed to a listener. Flattened sessions (one connection, many targets) per the CDP
 * "Target.attachToTarget flatten" mode. Two transports: the JDK's WebSocket client
 * ({@code --remote-debugging-port}) or a pipe ({@code --remote-debugging-pipe}: JSON messages
 * terminated by a NUL byte), for a browser in another network namespace.
 */
final class DevToolsConnection implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Carries whole messages to the browser; replies and events come back through {@link #dispatch}. */
    interface Transport {
        void send(String message) throws Exception;

        void close();
    }

    private final Transport transport;
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<String, Consumer<JsonNode>> eventListeners = new ConcurrentHashMap<>();

    private DevToolsConnection(Transport transport) {
        this.transport = transport;
    }

    static DevToolsConnection open(String webSocketUrl) throws Exception {
        Receiver receiver = new Receiver();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create(webSocketUrl), receiver)
                .get(10, TimeUnit.SECONDS);
        DevToolsConnection connection = new DevToolsConnection(new Transport() {
            @Override
            public void send(String message) throws Exception {
                ws.sendText(message, true).get(10, TimeUnit.SECONDS);
            }

            @Override
            public void close() {
                ws.abort();
            }
        });
        receiver.owner = connection;
        return connection;
    }

    /**
     * Over {@code --remote-debugging-pipe}: {@code toBrowser} is the browser's fd 3,
     * {@code fromBrowser} its fd 4. A reader thread splits messages at NUL bytes.
     */
    static DevToolsConnection openPipe(OutputStream toBrowser, InputStream fromBrowser) {
        DevToolsConnection connection = new DevToolsConnection(new Transport() {
            @Override
            public void send(String message) throws Exception {
                toBrowser.write(message.getBytes(StandardCharsets.UTF_8));
                toBrowser.write(0);
                toBrowser.flush();
            }

            @Override
            public void close() {
                try {
                    toBrowser.close();
                } catch (IOException ignored) {
                    // browser gone
                }
            }
        });
        Thread.ofVirtual().name("devtools-pipe-reader").start(() -> {
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = fromBrowser) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    int start = 0;
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == 0) {
                            message.write(buffer, start, i - start);
                            connection.dispatch(message.toString(StandardCharsets.UTF_8));
                            message.reset();
                            start = i + 1;
                        }
                    }
                    message.write(buffer, start, n - start);
                }
            } catch (IOException ignored) {
                // the browser closed the pipe
            }
        });
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
        synchronized (transport) {
            transport.send(JSON.writeValueAsString(message));
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
        transport.close();
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
