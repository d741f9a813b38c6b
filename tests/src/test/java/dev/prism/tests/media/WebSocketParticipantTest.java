package dev.prism.tests.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** The next message of {@code type}, skipping others, within {@code seconds}. */
    private static String nextOfType(AccessControlTest.Collector c, String type, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            String m = c.messages.poll(200, TimeUnit.MILLISECONDS);
            if (m != null && m.contains("\"type\":\"" + type + "\"")) {
                return m;
            }
        }
        throw new AssertionError("no " + type + " message within " + seconds + " s");
    }
}
