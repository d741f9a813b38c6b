package dev.prism.tests.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prism.api.Limits;
import dev.prism.api.PrismServer;
import dev.prism.api.ServerConfig;
import dev.prism.signaling.auth.AccessTokens;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The operators' REST API, its OpenAPI document and /metrics, over HTTP against the real server. */
class OperatorApiTest {
    static final String KEYS = "test:0123456789abcdefghijklmnopqrstuvwxyz";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static PrismServer server;
    private static String admin;

    @BeforeAll
    static void start() throws Exception {
        server = PrismServer.start(new ServerConfig("127.0.0.1", 0, 0, "127.0.0.1", null, 1, KEYS,
                new Limits(0, 0, 0, 16, 50, 256, 90), List.of()));
        admin = server.adminToken(600);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void openApiDocumentsExactlyTheRoutes() throws Exception {
        HttpResponse<String> r = call("GET", "/v1/openapi.json", null, null);
        assertEquals(200, r.statusCode());
        JsonNode doc = json(r);
        assertEquals("3.1.0", doc.path("openapi").asText());
        Set<String> documented = new TreeSet<>();
        Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> p = paths.next();
            p.getValue().fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase() + " " + p.getKey()));
        }
        assertEquals(documented, server.apiRoutes(), "every documented route exists and every route is documented");
    }

    @Test
    void roomLifecycle() throws Exception {
        HttpResponse<String> created = call("POST", "/v1/rooms", admin,
                "{\"name\":\"ops\",\"maxParticipants\":5,\"emptyTimeout\":60,\"metadata\":\"hello\"}");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("ops", json(created).path("name").asText());
        assertEquals(5, json(created).path("maxParticipants").asInt());
        HttpResponse<String> again = call("POST", "/v1/rooms", admin, "{\"name\":\"ops\"}");
        assertEquals(409, again.statusCode());
        assertEquals("room_exists", json(again).path("code").asText());
        HttpResponse<String> badName = call("POST", "/v1/rooms", admin, "{\"name\":\"no spaces\"}");
        assertEquals(400, badName.statusCode());
        assertTrue(json(badName).path("message").asText().contains("'name'"), badName.body());
        HttpResponse<String> badNumber = call("POST", "/v1/rooms", admin, "{\"name\":\"x1\",\"maxParticipants\":-3}");
        assertEquals(400, badNumber.statusCode());
        assertTrue(json(badNumber).path("message").asText().contains("maxParticipants"));
        assertEquals(400, call("POST", "/v1/rooms", admin, "{not json").statusCode());

        JsonNode list = json(call("GET", "/v1/rooms", admin, null));
        assertTrue(list.path("rooms").toString().contains("\"ops\""), list.toString());
        HttpResponse<String> patched = call("PATCH", "/v1/rooms/ops", admin, "{\"metadata\":\"changed\"}");
        assertEquals("changed", json(patched).path("metadata").asText());
        assertEquals("changed", json(call("GET", "/v1/rooms/ops", admin, null)).path("metadata").asText());
        assertEquals(404, call("GET", "/v1/rooms/nope", admin, null).statusCode());
        assertEquals("room_not_found", json(call("GET", "/v1/rooms/nope", admin, null)).path("code").asText());

        assertEquals(204, call("DELETE", "/v1/rooms/ops", admin, null).statusCode());
        assertEquals(404, call("GET", "/v1/rooms/ops", admin, null).statusCode());
        assertEquals(404, call("GET", "/v1/nothing-here", admin, null).statusCode());
    }

    @Test
    void tokensAndGrants() throws Exception {
        HttpResponse<String> none = call("GET", "/v1/rooms", null, null);
        assertEquals(401, none.statusCode());
        assertEquals("unauthorized", json(none).path("code").asText());
        String participant = server.token("p", "ops", true, true, 60);
        HttpResponse<String> forbidden = call("GET", "/v1/rooms", participant, null);
        assertEquals(403, forbidden.statusCode());
        assertTrue(json(forbidden).path("message").asText().contains("roomList"));
        assertEquals(403, call("POST", "/v1/rooms", participant, "{\"name\":\"z\"}").statusCode());
        assertEquals(401, call("GET", "/v1/rooms", admin + "x", null).statusCode());
        long now = System.currentTimeMillis() / 1000;
        String secret = KEYS.substring(5);
        HttpResponse<String> expired = call("GET", "/v1/rooms", AccessTokens.issueAdmin("test", secret, "op", now - 900, now - 600), null);
        assertEquals(401, expired.statusCode());
        assertTrue(json(expired).path("message").asText().contains("expired"));
        // roomAdmin scoped to room "a" administers "a", not "b".
        ObjectNode claims = JSON.createObjectNode().put("iss", "test").put("sub", "op").put("exp", now + 60);
        claims.putObject("video").put("room", "a").put("roomAdmin", true);
        String scoped = AccessTokens.sign(secret, claims);
        assertEquals(201, call("POST", "/v1/rooms", admin, "{\"name\":\"a\"}").statusCode());
        assertEquals(201, call("POST", "/v1/rooms", admin, "{\"name\":\"b\"}").statusCode());
        assertEquals(200, call("GET", "/v1/rooms/a/participants", scoped, null).statusCode());
        HttpResponse<String> otherRoom = call("GET", "/v1/rooms/b/participants", scoped, null);
        assertEquals(403, otherRoom.statusCode());
        assertTrue(json(otherRoom).path("message").asText().contains("'b'"), otherRoom.body());
        HttpResponse<String> metrics = call("GET", "/metrics", null, null);
        assertEquals(401, metrics.statusCode());
        HttpResponse<String> scrape = call("GET", "/metrics", admin, null);
        assertEquals(200, scrape.statusCode());
        for (String name : new String[] {"prism_rooms", "prism_transports", "prism_published_tracks", "prism_subscriptions",
                "prism_datagrams_received_total", "prism_bytes_sent_total", "prism_packets_forwarded_total",
                "prism_srtp_auth_failures_total", "prism_dtls_handshakes_seconds_count", "prism_ice_consent_expired_total",
                "prism_signaling_messages_total", "prism_event_loop_lag_seconds", "prism_worker_load_ratio",
                "prism_worker_receive_drops", "prism_worker_receive_queue_bytes", "prism_worker_behind_seconds",
                "prism_worker_setups_waiting", "prism_worker_setups_paced_total", "prism_worker_setups_wait_seconds_total", "jvm_memory_used_bytes", "jvm_gc",
                "prism_nacks_received_total", "prism_retransmissions_sent_total", "prism_retransmissions_missed_total",
                "prism_keyframe_requests_received_total", "prism_layer_switches_total", "prism_bandwidth_probes_total",
                "prism_subscriber_estimate_bits_per_second{stat=\"median\"}"}) {
            assertTrue(scrape.body().contains(name), "metric " + name + " is exported");
        }
    }

    @Test
    void signalingRejectionsStayCountedFromScrapeToScrape() throws Exception {
        assertEquals(401, call("POST", "/whip/counted", null, "v=0").statusCode());
        double first = rejections(call("GET", "/metrics", admin, null).body(), "bad_token");
        assertTrue(first >= 1, "a refused WHIP request is counted: " + first);
        assertEquals(401, call("POST", "/whip/counted", null, "v=0").statusCode());
        assertEquals(first + 1, rejections(call("GET", "/metrics", admin, null).body(), "bad_token"),
                "the counter registered at the first scrape keeps reading the live count");
    }

    private static double rejections(String scrape, String code) {
        String prefix = "prism_signaling_rejections_total{code=\"" + code + "\"} ";
        return scrape.lines().filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(l.substring(prefix.length())))
                .findFirst().orElse(-1);
    }
}
