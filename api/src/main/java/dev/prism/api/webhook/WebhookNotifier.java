package dev.prism.api.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Posts room events as JSON to the configured URLs (LiveKit-style webhooks). Each request has
 * {@code Authorization: Bearer <JWT>} signed with an API key whose {@code sha256} claim is the
 * base64 SHA-256 of the body, so receivers can check both origin and integrity. Delivery is
 * asynchronous with retries and exponential backoff; callers never wait, and what cannot be
 * delivered is counted, not retried forever.
 */
public final class WebhookNotifier implements AutoCloseable {
    public static final int MAX_ATTEMPTS = 5;
    static final int MAX_PENDING = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> urls;
    private final String apiKey;
    private final String secret;
    private final long firstRetryMillis;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "prism-webhooks");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger pending = new AtomicInteger();
    public final LongAdder delivered = new LongAdder();
    public final LongAdder failedAttempts = new LongAdder();
    public final LongAdder dropped = new LongAdder();

    public WebhookNotifier(List<String> urls, String apiKey, String secret) {
        this(urls, apiKey, secret, 1000);
    }

    WebhookNotifier(List<String> urls, String apiKey, String secret, long firstRetryMillis) {
        this.urls = urls.stream().map(URI::create).toList();
        this.apiKey = apiKey;
        this.secret = secret;
        this.firstRetryMillis = firstRetryMillis;
    }

    public boolean enabled() {
        return !urls.isEmpty();
    }

    /** An event with its payload fields ({@code room}, {@code participant}, {@code track} objects). */
    public void send(String event, ObjectNode fields) {
        if (urls.isEmpty()) {
            return;
        }
        ObjectNode body = JSON.createObjectNode().put("event", event).put("id", UUID.randomUUID().toString())
                .put("createdAt", System.currentTimeMillis() / 1000);
        body.setAll(fields);
        String text = body.toString();
        for (URI url : urls) {
            if (pending.incrementAndGet() > MAX_PENDING) {
                pending.decrementAndGet();
                dropped.increment();
                continue;
            }
            attempt(url, text, 1);
        }
    }

    public static ObjectNode fields() {
        return JSON.createObjectNode();
    }

    private void attempt(URI url, String body, int attempt) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/webhook+json")
                .header("Authorization", "Bearer " + token(body))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            if (error == null && response.statusCode() / 100 == 2) {
                delivered.increment();
                pending.decrementAndGet();
                return;
            }
            failedAttempts.increment();
            if (attempt >= MAX_ATTEMPTS) {
                dropped.increment();
                pending.decrementAndGet();
                return;
            }
            long delay = firstRetryMillis << (attempt - 1); // 1 s, 2 s, 4 s, 8 s
            try {
                scheduler.schedule(() -> attempt(url, body, attempt + 1), delay, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                dropped.increment();
                pending.decrementAndGet();
            }
        });
    }

    /** The JWT for a body: iss = API key, sha256 = base64(SHA-256(body)), short-lived. */
    String token(String body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
            long now = System.currentTimeMillis() / 1000;
            ObjectNode claims = JSON.createObjectNode().put("iss", apiKey).put("iat", now).put("nbf", now - 5)
                    .put("exp", now + 300).put("sha256", Base64.getEncoder().encodeToString(digest));
            return dev.prism.signaling.auth.AccessTokens.sign(secret, claims);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deliveries (first attempts and retries) not finished yet. */
    public int pending() {
        return pending.get();
    }

    /** Waits until nothing is pending or {@code limit} passed. */
    public void flush(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (pending.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
