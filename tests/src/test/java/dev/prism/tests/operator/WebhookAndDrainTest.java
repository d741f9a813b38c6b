package dev.prism.tests.operator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.prism.api.Limits;
import dev.prism.api.PrismServer;
import dev.prism.api.ServerConfig;
import dev.prism.tests.media.JavaPeer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Webhooks delivered to a local receiver (with a retry after a 500), and the graceful drain. */
class WebhookAndDrainTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SECRET = OperatorApiTest.KEYS.substring(5);

    record Delivery(int status, String body, String authorization) {}

    @Test
    void eventsAreSignedDeliveredAndRetried() throws Exception {
        List<Delivery> deliveries = new CopyOnWriteArrayList<>();
        AtomicInteger requests = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = requests.incrementAndGet() == 1 ? 500 : 200; // the first delivery fails once
            deliveries.add(new Delivery(status, body, exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        try (PrismServer s = PrismServer.start(new ServerConfig("127.0.0.1", 0, 0, "127.0.0.1", null, 1,
                OperatorApiTest.KEYS, Limits.DEFAULT, List.of(url))); JavaPeer peer = new JavaPeer()) {
            peer.publish("http://127.0.0.1:" + s.httpPort(), "hooks", s.token("pat", "hooks", true, false, 60));
            waitFor(() -> events(deliveries, 200).containsAll(List.of("room_started", "participant_joined", "track_published")));
            HttpResponse<String> removed = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort()
                    + "/v1/rooms/hooks")).DELETE().header("Authorization", "Bearer " + s.adminToken(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(204, removed.statusCode());
            waitFor(() -> events(deliveries, 200).containsAll(List.of("participant_left", "track_unpublished", "room_finished")));

            Delivery failed = deliveries.get(0);
            assertEquals(500, failed.status());
            String failedId = JSON.readTree(failed.body()).path("id").asText();
            assertTrue(deliveries.stream().anyMatch(d -> d.status() == 200 && d.body().contains(failedId)),
                    "the event refused with 500 was delivered again");
            for (Delivery d : deliveries) {
                verifySignature(d);
            }
            assertTrue(s.webhooks().failedAttempts.sum() >= 1);
            JsonNode track = deliveries.stream().map(d -> read(d.body()))
                    .filter(n -> n.path("event").asText().equals("track_published")).findFirst().orElseThrow();
            assertEquals("pat", track.path("participant").path("identity").asText());
            assertEquals("audio", track.path("track").path("kind").asText());
        } finally {
            receiver.stop(0);
        }
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> events(List<Delivery> deliveries, int status) {
        return deliveries.stream().filter(d -> d.status() == status).map(d -> read(d.body()).path("event").asText()).toList();
    }

    /** HS256 over header.claims with the API secret, and the sha256 claim equal to the body's digest. */
    private static void verifySignature(Delivery d) throws Exception {
        assertTrue(d.authorization().startsWith("Bearer "), d.authorization());
        String[] jwt = d.authorization().substring(7).split("\\.");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertArrayEquals(mac.doFinal((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII)),
                Base64.getUrlDecoder().decode(jwt[2]), "signed with the API secret");
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(jwt[1]));
        assertEquals("test", claims.path("iss").asText());
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(d.body().getBytes(StandardCharsets.UTF_8));
        assertEquals(Base64.getEncoder().encodeToString(digest), claims.path("sha256").asText(), "body hash");
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(50);
        }
    }

    @Test
    void drainTellsClientsRefusesJoinsAndReportsDraining() throws Exception {
        try (PrismServer s = PrismServer.start(new ServerConfig("127.0.0.1", 0, 0, "127.0.0.1", null, 1,
                OperatorApiTest.KEYS)); JavaPeer peer = new JavaPeer(); JavaPeer late = new JavaPeer()) {
            String base = "http://127.0.0.1:" + s.httpPort();
            peer.publish(base, "d", s.token("p", "d", true, false, 60));
            List<String> received = new CopyOnWriteArrayList<>();
            WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + s.httpPort()
                    + "/ws?access_token=" + s.token("w", "d", false, true, 60)), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            received.add(data.toString());
                            w.request(1);
                            return null;
                        }
                    }).get(5, TimeUnit.SECONDS);
            ws.sendText("{\"type\":\"join\",\"room\":\"d\"}", true).get();
            waitFor(() -> received.stream().anyMatch(m -> m.contains("\"joined\"")));
            long started = System.nanoTime();
            s.drain(Duration.ofSeconds(8));
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10), "drain returns within its limit");
            waitFor(() -> received.stream().anyMatch(m -> m.contains("\"closed\"") && m.contains("draining")));
            HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, health.statusCode());
            assertEquals("draining", health.body());
            HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/whip/d"))
                    .header("Authorization", "Bearer " + s.token("q", "d", true, false, 60))
                    .header("Content-Type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString(late.offer()))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, refused.statusCode());
            assertTrue(refused.body().startsWith("draining"), refused.body());
            assertEquals(0, s.rooms().find("d").transportCount(), "every transport is closed");
        }
    }
}
