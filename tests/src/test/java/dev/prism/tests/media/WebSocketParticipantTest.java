package dev.prism.tests.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.prism.api.PrismServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A WebSocket participant's connections over time, with a Java client that never connects its
 * media: no subscribe connection before there is something to offer, and a clear {@code closed}
 * when the connection it was offered dies.
 */
class WebSocketParticipantTest {
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

    private static String participantState(String room, String identity) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(PrismFixture.base(server)
                        + "/v1/rooms/" + room + "/participants/" + identity))
                .header("Authorization", "Bearer " + server.adminToken(60)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    @Test
    void aViewerGetsItsConnectionWithTheFirstTrackAndHearsWhenItDies() throws Exception {
        AccessControlTest.Collector c = new AccessControlTest.Collector();
        WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + server.httpPort()
                + "/ws?access_token=" + server.token("early", "lobby", false, true, 120)), c).get(5, TimeUnit.SECONDS);
        ws.sendText("{\"type\":\"join\",\"room\":\"lobby\",\"id\":\"1\"}", true).get();
        assertTrue(c.next().contains("\"joined\""));
        Thread.sleep(500);
        // Before: a subscribe connection was made at join, got no offer, and was closed 30 s later
        // for want of an ICE check; the first track then came with that dead connection's offer.
        assertTrue(participantState("lobby", "early").contains("\"state\":\"joining\""),
                "no connection while there is nothing to receive: " + participantState("lobby", "early"));

        try (JavaPeer publisher = new JavaPeer()) {
            HttpResponse<String> published = HTTP.send(HttpRequest.newBuilder(URI.create(PrismFixture.base(server) + "/whip/lobby"))
                    .POST(HttpRequest.BodyPublishers.ofString(publisher.offer())).header("Content-Type", "application/sdp")
                    .header("Authorization", "Bearer " + server.token("pub", "lobby", true, false, 120)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, published.statusCode(), published.body());
            String offer = nextOfType(c, "offer", 10);
            assertTrue(offer.contains("m=video") || offer.contains("m=audio"), offer);
            assertTrue(participantState("lobby", "early").contains("\"state\":\"active\""));

            // This client never answers, so its connection never sees an ICE check: at the 30 s
            // deadline the server closes it, and the client must hear so instead of waiting forever.
            String closed = nextOfType(c, "closed", 40);
            assertTrue(closed.contains("media connection closed") && closed.contains("ICE"), closed);
            c.closed.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void anAnswerNamingATrackThatEndedMeanwhileIsTakenAndTheNextOfferFollows() throws Exception {
        String room = "gone";
        try (JavaPeer publisher = new JavaPeer()) {
            String pubToken = server.token("pub", room, true, false, 120);
            HttpResponse<String> published = HTTP.send(HttpRequest.newBuilder(URI.create(PrismFixture.base(server) + "/whip/" + room))
                    .POST(HttpRequest.BodyPublishers.ofString(publisher.offer())).header("Content-Type", "application/sdp")
                    .header("Authorization", "Bearer " + pubToken).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, published.statusCode(), published.body());
            AccessControlTest.Collector c = new AccessControlTest.Collector();
            WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + server.httpPort()
                    + "/ws?access_token=" + server.token("viewer", room, false, true, 120)), c).get(5, TimeUnit.SECONDS);
            ws.sendText("{\"type\":\"join\",\"room\":\"" + room + "\",\"id\":\"1\"}", true).get();
            String offer = JsonMapper.builder().build()
                    .readTree(nextOfType(c, "offer", 10)).get("sdp").asText();

            // The publisher leaves while the viewer's answer is on its way.
            String location = published.headers().firstValue("Location").orElseThrow();
            assertEquals(200, HTTP.send(HttpRequest.newBuilder(URI.create(PrismFixture.base(server) + location)).DELETE()
                    .header("Authorization", "Bearer " + pubToken).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            nextOfType(c, "trackUnpublished", 5);

            // Before: subscribing the ended track threw, the client got internal_error and never another offer.
            String answer = JsonMapper.builder().build().createObjectNode().put("type", "answer").put("id", "2")
                    .put("sdp", answerTo(offer)).toString();
            ws.sendText(answer, true).get();
            // The next offer may come before the answer's ok: it starts as the answer completes.
            java.util.Map<String, String> heard = nextOfTypes(c, 5, "ok", "offer");
            assertTrue(heard.get("ok").contains("\"2\""), heard.get("ok"));
            String next = JsonMapper.builder().build().readTree(heard.get("offer")).get("sdp").asText();
            assertTrue(next.contains("m=video 0 ") || next.contains("m=audio 0 "), "the ended track's line is taken away: " + next);
        }
    }

    /** A recvonly answer to one of Prism's subscribe offers, as a browser would write it (no media will flow). */
    private static String answerTo(String offer) {
        StringBuilder out = new StringBuilder();
        for (String line : offer.split("\r\n")) {
            if (line.equals("a=ice-lite") || line.startsWith("a=candidate") || line.equals("a=end-of-candidates")
                    || line.startsWith("a=ssrc") || line.startsWith("a=msid")) {
                continue;
            }
            if (line.startsWith("a=ice-ufrag:")) {
                line = "a=ice-ufrag:jvAn";
            } else if (line.startsWith("a=ice-pwd:")) {
                line = "a=ice-pwd:javapeeranswerpassword01";
            } else if (line.equals("a=setup:actpass")) {
                line = "a=setup:active";
            } else if (line.equals("a=sendonly") || line.equals("a=sendrecv")) {
                line = "a=recvonly";
            }
            out.append(line).append("\r\n");
        }
        return out.toString();
    }

    /** The first message of each of {@code types}, in whatever order they come, within {@code seconds}. */
    private static java.util.Map<String, String> nextOfTypes(AccessControlTest.Collector c, int seconds, String... types)
            throws Exception {
        java.util.Map<String, String> found = new java.util.HashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (found.size() < types.length && System.nanoTime() < deadline) {
            String m = c.messages.poll(200, TimeUnit.MILLISECONDS);
            for (String type : types) {
                if (m != null && m.contains("\"type\":\"" + type + "\"")) {
                    found.putIfAbsent(type, m);
                }
            }
        }
        assertEquals(types.length, found.size(), "heard within " + seconds + " s: " + found.keySet());
        return found;
    }

    /** The next message of {@code type}, skipping others, within {@code seconds}. */
    private static String nextOfType(AccessControlTest.Collector c, String type, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        java.util.List<String> skipped = new java.util.ArrayList<>();
        while (System.nanoTime() < deadline) {
            String m = c.messages.poll(200, TimeUnit.MILLISECONDS);
            if (m != null && m.contains("\"type\":\"" + type + "\"")) {
                return m;
            }
            if (m != null) {
                skipped.add(m.length() > 200 ? m.substring(0, 200) + "…" : m);
            }
        }
        throw new AssertionError("no " + type + " message within " + seconds + " s; heard " + skipped);
    }
}
