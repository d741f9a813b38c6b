package dev.prism.tests.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.api.PrismServer;
import dev.prism.signaling.auth.AccessTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tokens and malformed signaling against the real server: refused with a clear reason, counted, nothing else harmed. */
class AccessControlTest {
    private static PrismServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = PrismFixture.start(1);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> post(String path, String token, String type, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(PrismFixture.base(server) + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", type);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String offer() throws Exception {
        try (JavaPeer peer = new JavaPeer()) {
            return peer.offer();
        }
    }

    @Test
    void whipAndWhepNeedATokenForThatRoomWithTheRightGrant() throws Exception {
        String sdp = offer();
        assertEquals(401, post("/whip/a", null, "application/sdp", sdp).statusCode());
        HttpResponse<String> bad = post("/whip/a", server.token("x", "a", true, true, 60) + "x", "application/sdp", sdp);
        assertEquals(401, bad.statusCode());
        assertTrue(bad.body().contains("signature"), bad.body());
        long now = System.currentTimeMillis() / 1000;
        String key = "test";
        String secret = PrismFixture.KEYS.substring(5);
        HttpResponse<String> expired = post("/whip/a",
                AccessTokens.issue(key, secret, "x", "a", true, true, now - 3600, now - 600), "application/sdp", sdp);
        assertEquals(401, expired.statusCode());
        assertTrue(expired.body().contains("expired"), expired.body());
        HttpResponse<String> otherRoom = post("/whip/b", server.token("x", "a", true, true, 60), "application/sdp", sdp);
        assertEquals(403, otherRoom.statusCode());
        assertTrue(otherRoom.body().contains("room"), otherRoom.body());
        HttpResponse<String> viewerPublishing = post("/whip/a", server.token("x", "a", false, true, 60), "application/sdp", sdp);
        assertEquals(403, viewerPublishing.statusCode());
        assertTrue(viewerPublishing.body().contains("canPublish"), viewerPublishing.body());
        assertEquals(403, post("/whep/a", server.token("x", "a", true, false, 60), "application/sdp", sdp).statusCode());
        HttpResponse<String> unknownKey = post("/whip/a",
                AccessTokens.issue("nokey", secret, "x", "a", true, true, now, now + 60), "application/sdp", sdp);
        assertEquals(401, unknownKey.statusCode());
        assertTrue(server.rejections().get("bad_token") >= 3);
        assertTrue(server.rejections().get("forbidden") >= 3);
    }

    @Test
    void malformedSdpAndBodiesAreRefusedWithTheProblemNamed() throws Exception {
        String token = server.token("x", "sdp", true, true, 60);
        HttpResponse<String> garbage = post("/whip/sdp", token, "application/sdp", "this is not SDP");
        assertEquals(400, garbage.statusCode());
        assertTrue(garbage.body().startsWith("bad_sdp"), garbage.body());
        HttpResponse<String> noFingerprint = post("/whip/sdp", token, "application/sdp",
                offer().replaceAll("a=fingerprint:[^\\r\\n]*\\r\\n", ""));
        assertEquals(400, noFingerprint.statusCode());
        assertTrue(noFingerprint.body().contains("fingerprint"), noFingerprint.body());
        assertEquals(415, post("/whip/sdp", token, "text/plain", offer()).statusCode());
        assertEquals(413, post("/whip/sdp", token, "application/sdp", "v=0\r\n" + "a=x\r\n".repeat(20_000)).statusCode());
        assertEquals(200, HTTP.send(HttpRequest.newBuilder(URI.create(PrismFixture.base(server) + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode(), "the server still serves");
    }

    @Test
    void whipSessionResourceSupportsPatchDeleteAndCors() throws Exception {
        String token = server.token("x", "res", true, true, 60);
        try (JavaPeer peer = new JavaPeer()) {
            HttpResponse<String> created = post("/whip/res", token, "application/sdp", peer.offer());
            assertEquals(201, created.statusCode(), created.body());
            String location = created.headers().firstValue("Location").orElseThrow();
            assertTrue(location.startsWith("/whip/res/"), location);
            URI resource = URI.create(PrismFixture.base(server) + location);
            HttpResponse<String> patch = HTTP.send(HttpRequest.newBuilder(resource)
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("a=candidate:1 1 udp 1 127.0.0.1 9 typ host\r\n"))
                    .header("Content-Type", "application/trickle-ice-sdpfrag").header("Authorization", "Bearer " + token)
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(204, patch.statusCode());
            HttpRequest delete = HttpRequest.newBuilder(resource).DELETE().header("Authorization", "Bearer " + token).build();
            assertEquals(200, HTTP.send(delete, HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(404, HTTP.send(delete, HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpResponse<String> preflight = HTTP.send(HttpRequest.newBuilder(URI.create(PrismFixture.base(server) + "/whep/res"))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://player.example")
                    .header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "authorization,content-type").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(preflight.statusCode() / 100 == 2, "preflight " + preflight.statusCode());
            assertTrue(preflight.headers().firstValue("Access-Control-Allow-Origin").isPresent());
            HttpResponse<String> cors = HTTP.send(HttpRequest.newBuilder(URI.create(PrismFixture.base(server) + "/healthz"))
                    .header("Origin", "https://player.example").build(), HttpResponse.BodyHandlers.ofString());
            String exposed = cors.headers().firstValue("Access-Control-Expose-Headers").orElse("");
            assertTrue(exposed.contains("Location"), "players can read Location: " + exposed);
        }
    }

    @Test
    void onlyTheIdentityThatCreatedAWhipSessionMayPatchOrDeleteIt() throws Exception {
        // A publisher's session id is its transport id, which every viewer sees in the track ids.
        String publisher = server.token("pub", "own", true, false, 60);
        try (JavaPeer peer = new JavaPeer()) {
            HttpResponse<String> created = post("/whip/own", publisher, "application/sdp", peer.offer());
            assertEquals(201, created.statusCode(), created.body());
            String id = created.headers().firstValue("Location").orElseThrow().substring("/whip/own/".length());
            String viewer = server.token("viewer", "own", false, true, 60);
            String otherPublisher = server.token("other", "own", true, true, 60);
            assertEquals(404, delete("/whep/own/" + id, viewer).statusCode(), "a viewer through WHEP");
            assertEquals(404, delete("/whip/own/" + id, otherPublisher).statusCode(), "another publisher");
            assertEquals(404, delete("/whep/own/" + id, otherPublisher).statusCode(), "another identity through WHEP");
            HttpResponse<String> patch = HTTP.send(HttpRequest.newBuilder(URI.create(PrismFixture.base(server) + "/whip/own/" + id))
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("a=end-of-candidates\r\n"))
                    .header("Content-Type", "application/trickle-ice-sdpfrag").header("Authorization", "Bearer " + otherPublisher)
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, patch.statusCode(), "nor may it trickle into it");
            assertEquals(200, delete("/whip/own/" + id, publisher).statusCode(), "the session was still there for its owner");
        }
    }

    private static HttpResponse<String> delete(String path, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(PrismFixture.base(server) + path)).DELETE()
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Collects text messages and the close code of a WebSocket. */
    static final class Collector implements WebSocket.Listener {
        final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            closed.complete(status);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.completeExceptionally(error);
        }

        String next() throws InterruptedException {
            String m = messages.poll(5, TimeUnit.SECONDS);
            if (m == null) {
                throw new AssertionError("no message within 5 s");
            }
            return m;
        }
    }

    private static WebSocket connect(String token, Collector c) throws Exception {
        return HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + server.httpPort()
                + "/ws?access_token=" + token), c).get(5, TimeUnit.SECONDS);
    }

    @Test
    void webSocketRefusesBadTokensAndBadMessagesButStaysUsable() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String expired = AccessTokens.issue("test", PrismFixture.KEYS.substring(5), "x", "ws", true, true, now - 900, now - 600);
        ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> connect(expired, new Collector()));
        assertTrue(refused.getCause() instanceof WebSocketHandshakeException, refused.toString());
        assertEquals(401, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());

        Collector c = new Collector();
        WebSocket ws = connect(server.token("mallory", "ws", true, true, 60), c);
        ws.sendText("{not json", true).get();
        assertTrue(c.next().contains("\"bad_json\""));
        ws.sendText("{\"type\":\"publish\",\"sdp\":\"v=0\"}", true).get();
        assertTrue(c.next().contains("\"not_joined\""));
        ws.sendText("{\"type\":\"join\",\"room\":\"another-room\",\"id\":\"1\"}", true).get();
        String forbidden = c.next();
        assertTrue(forbidden.contains("\"forbidden\"") && forbidden.contains("another-room"), forbidden);
        ws.sendText("{\"type\":\"dance\"}", true).get();
        assertTrue(c.next().contains("\"unknown_type\""));
        ws.sendText("{\"type\":\"join\",\"room\":\"ws\",\"id\":\"2\"}", true).get();
        assertTrue(c.next().contains("\"joined\""), "still usable after the bad messages");
        ws.sendText("{\"type\":\"publish\",\"id\":\"3\",\"sdp\":\"garbage\"}", true).get();
        String badSdp = c.next();
        assertTrue(badSdp.contains("\"bad_sdp\""), badSdp);
        ws.sendText("{\"type\":\"x\",\"pad\":\"" + "a".repeat(70_000) + "\"}", true).get();
        assertEquals(1009, c.closed.get(5, TimeUnit.SECONDS), "oversized message closes with 1009 (message too big)");
        assertTrue(server.rejections().get("bad_json") >= 1);
    }
}
