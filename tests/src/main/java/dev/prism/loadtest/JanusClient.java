package dev.prism.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One session on a Janus gateway over its plain HTTP API (janus.transport.http): {@code create}
 * gives the session, {@code attach} a plugin handle, {@code message} a plugin request (answered
 * at once with {@code success} for synchronous requests, or with {@code ack} and later an event
 * carrying the same transaction for asynchronous ones, the ones with JSEP). Events arrive on a
 * long poll ({@code GET /janus/SESSION?maxev=N}) run by one virtual thread; a keep-alive goes out
 * every {@link #KEEPALIVE_SECONDS} s because Janus drops sessions idle for 60 s. All handles of
 * a load run share this session (one long poll for everyone, as little HTTP as Prism's WHIP/WHEP
 * set-ups). Thread-safe; blocking calls are made from virtual threads.
 */
final class JanusClient implements AutoCloseable {
    static final long KEEPALIVE_SECONDS = 25;
    private static final long EVENT_TIMEOUT_SECONDS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicLong transactions = new AtomicLong();
    private final long session;
    private final Thread poller;
    private final Thread keepalive;
    private volatile boolean closed;
    volatile long hangups;
    volatile long webrtcUps;

    /** Creates a session on the gateway at {@code base} (e.g. http://127.0.0.2:8088/janus). */
    JanusClient(URI base) throws IOException, InterruptedException {
        this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
        JsonNode r = post(this.base, envelope("create"));
        session = r.path("data").path("id").asLong();
        poller = Thread.ofVirtual().name("janus-poll").start(this::poll);
        keepalive = Thread.ofVirtual().name("janus-keepalive").start(this::keepAlive);
    }

    /** Attaches a new handle to {@code plugin}; returns its id. */
    long attach(String plugin) throws IOException, InterruptedException {
        ObjectNode m = envelope("attach");
        m.put("plugin", plugin);
        return post(sessionUri(), m).path("data").path("id").asLong();
    }

    /**
     * Sends a plugin request (with an optional JSEP of {@code type} and {@code sdp}) and returns
     * the plugin's reply: for a synchronous request the {@code success} message, for an
     * asynchronous one the event with the same transaction (plugindata and possibly jsep). A
     * plugin error (error_code in the data) throws.
     */
    JsonNode message(long handle, ObjectNode body, String jsepType, String sdp) throws Exception {
        ObjectNode m = envelope("message");
        m.set("body", body);
        if (jsepType != null) {
            ObjectNode jsep = m.putObject("jsep").put("type", jsepType).put("sdp", sdp);
            if ("offer".equals(jsepType)) {
                // Janus takes the first rid of a=simulcast as the highest layer unless told; ours
                // are listed lowest first (q;h;f), as Chromium lists them.
                jsep.put("rid_order", "lmh");
            }
        }
        String tx = m.path("transaction").asText();
        CompletableFuture<JsonNode> event = new CompletableFuture<>();
        pending.put(tx, event);
        try {
            JsonNode r = post(URI.create(sessionUri() + "/" + handle), m);
            JsonNode reply = "ack".equals(r.path("janus").asText()) ? event.get(EVENT_TIMEOUT_SECONDS, TimeUnit.SECONDS) : r;
            JsonNode data = reply.path("plugindata").path("data");
            if (data.has("error_code")) {
                throw new IOException("janus " + body.path("request").asText() + ": " + data.path("error_code").asInt() + " "
                        + data.path("error").asText());
            }
            return reply;
        } catch (TimeoutException e) {
            throw new IOException("janus " + body.path("request").asText() + ": no event in " + EVENT_TIMEOUT_SECONDS + " s");
        } finally {
            pending.remove(tx);
        }
    }

    static ObjectNode body(String request) {
        return JSON.createObjectNode().put("request", request);
    }

    private ObjectNode envelope(String janus) {
        return JSON.createObjectNode().put("janus", janus).put("transaction", "t" + transactions.incrementAndGet());
    }

    private URI sessionUri() {
        return URI.create(base + Long.toString(session));
    }

    private JsonNode post(URI uri, ObjectNode message) throws IOException, InterruptedException {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(message))).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode r = JSON.readTree(res.body());
        if (res.statusCode() != 200 || "error".equals(r.path("janus").asText())) {
            throw new IOException("janus " + message.path("janus").asText() + ": HTTP " + res.statusCode() + " "
                    + r.path("error").toString());
        }
        return r;
    }

    /** The long poll: up to 100 events per answer; each async reply completes its transaction. */
    private void poll() {
        URI uri = URI.create(sessionUri() + "?maxev=100");
        while (!closed) {
            try {
                HttpResponse<String> res = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(45)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode r = JSON.readTree(res.body());
                if (r.isArray()) {
                    r.forEach(this::onEvent);
                } else {
                    onEvent(r);
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    sleep(200);
                }
            }
        }
    }

    private void onEvent(JsonNode e) {
        switch (e.path("janus").asText()) {
            case "hangup" -> hangups++;
            case "webrtcup" -> webrtcUps++;
            default -> {
            }
        }
        CompletableFuture<JsonNode> f = pending.get(e.path("transaction").asText(""));
        if (f != null && e.has("plugindata")) {
            f.complete(e);
        }
    }

    private void keepAlive() {
        while (!closed) {
            if (!sleep(TimeUnit.SECONDS.toMillis(KEEPALIVE_SECONDS))) {
                return;
            }
            try {
                post(sessionUri(), envelope("keepalive"));
            } catch (IOException e) {
                // the next one may get through; Janus allows 60 s
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Destroys the session (Janus hangs up and detaches every handle of it). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            post(sessionUri(), envelope("destroy"));
        } catch (IOException e) {
            // the gateway may be gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        poller.interrupt();
        keepalive.interrupt();
    }
}
