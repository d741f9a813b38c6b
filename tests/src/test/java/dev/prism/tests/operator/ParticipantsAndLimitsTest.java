package dev.prism.tests.operator;

import static dev.prism.tests.operator.OperatorApiTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prism.api.Limits;
import dev.prism.api.PrismServer;
import dev.prism.api.ServerConfig;
import dev.prism.sfu.worker.MediaWorker;
import dev.prism.tests.media.JavaPeer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Participants through the REST API, and every limit enforced with a clear error and a count. */
class ParticipantsAndLimitsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> call(PrismServer s, String method, String path, String token, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", path.startsWith("/whip") || path.startsWith("/whep") ? "application/sdp"
                        : "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static PrismServer start(Limits limits) throws Exception {
        return PrismServer.start(new ServerConfig("127.0.0.1", 0, 0, "127.0.0.1", null, 1, OperatorApiTest.KEYS, limits,
                List.of()));
    }

    private static String base(PrismServer s) {
        return "http://127.0.0.1:" + s.httpPort();
    }

    @Test
    void participantsAreListedMutedUpdatedAndRemoved() throws Exception {
        try (PrismServer s = start(Limits.DEFAULT); JavaPeer peer = new JavaPeer()) {
            String admin = s.adminToken(600);
            peer.publish(base(s), "people", s.token("java-pub", "people", true, false, 600));
            JsonNode list = json(call(s, "GET", "/v1/rooms/people/participants", admin, null));
            assertEquals(1, list.path("participants").size(), list.toString());
            JsonNode p = json(call(s, "GET", "/v1/rooms/people/participants/java-pub", admin, null));
            assertEquals("whip", p.path("kind").asText());
            assertEquals("active", p.path("state").asText());
            assertEquals(1, p.path("tracks").size(), p.toString());
            String track = p.path("tracks").get(0).path("trackId").asText();
            assertEquals("audio", p.path("tracks").get(0).path("kind").asText());

            HttpResponse<String> mute = call(s, "POST", "/v1/rooms/people/participants/java-pub/tracks/" + track + "/mute",
                    admin, "{\"muted\":true}");
            assertEquals(200, mute.statusCode(), mute.body());
            assertTrue(json(call(s, "GET", "/v1/rooms/people/participants/java-pub", admin, null))
                    .path("tracks").get(0).path("muted").asBoolean());
            assertEquals(400, call(s, "POST", "/v1/rooms/people/participants/java-pub/tracks/" + track + "/mute",
                    admin, "{\"muted\":\"yes\"}").statusCode());
            assertEquals(404, call(s, "POST", "/v1/rooms/people/participants/java-pub/tracks/nope/mute",
                    admin, "{\"muted\":true}").statusCode());
            HttpResponse<String> md = call(s, "PATCH", "/v1/rooms/people/participants/java-pub", admin,
                    "{\"metadata\":\"{\\\"seat\\\":3}\"}");
            assertEquals("{\"seat\":3}", json(md).path("metadata").asText());

            int transportsBefore = s.rooms().find("people").transportCount();
            assertEquals(204, call(s, "DELETE", "/v1/rooms/people/participants/java-pub", admin, null).statusCode());
            assertEquals(404, call(s, "GET", "/v1/rooms/people/participants/java-pub", admin, null).statusCode());
            Thread.sleep(200);
            assertEquals(transportsBefore - 1, s.rooms().find("people").transportCount(), "its transport is closed");
        }
    }

    @Test
    void limitsAreEnforcedWithClearErrors() throws Exception {
        Limits limits = new Limits(3, 0, 1, 1, 5, 1, 0);
        try (PrismServer s = start(limits); JavaPeer a = new JavaPeer(); JavaPeer b = new JavaPeer();
             JavaPeer c = new JavaPeer()) {
            String admin = s.adminToken(600);
            assertEquals(201, call(s, "POST", "/v1/rooms", admin, "{\"name\":\"small\",\"maxParticipants\":1}").statusCode());
            // Participants per room: one WHEP viewer fills "small".
            String viewer = s.token("v", "small", false, true, 60);
            assertEquals(201, call(s, "POST", "/whep/small", viewer, a.offer()).statusCode());
            HttpResponse<String> full = call(s, "POST", "/whep/small", viewer, b.offer());
            assertEquals(403, full.statusCode());
            assertTrue(full.body().startsWith("room_full"), full.body());

            // Tracks per participant: 1.
            HttpResponse<String> tooMany = call(s, "POST", "/whip/tracks", s.token("t", "tracks", true, false, 60), b.offer(true));
            assertEquals(400, tooMany.statusCode());
            assertTrue(tooMany.body().startsWith("too_many_tracks"), tooMany.body());

            // Concurrent handshakes: 1, held by a peer that never sends its ClientHello.
            c.publish(base(s), "pubs", s.token("c", "pubs", true, false, 60), false);
            // Its handshake counts once the server has taken its ICE check (on the media loop, after the WHIP answer).
            long handshakeDeadline = System.currentTimeMillis() + 10_000;
            while (s.mediaCounters().handshakesInProgress.get() < 1 && System.currentTimeMillis() < handshakeDeadline) {
                Thread.sleep(20);
            }
            assertEquals(1, s.mediaCounters().handshakesInProgress.get(), "the silent peer's handshake is in progress");
            HttpResponse<String> busy = call(s, "POST", "/whep/pubs", s.token("w", "pubs", false, true, 60), a.offer());
            assertEquals(429, busy.statusCode(), busy.body());
            assertTrue(busy.body().startsWith("too_many_handshakes"), busy.body());
        }
        try (PrismServer s = start(new Limits(2, 0, 1, 4, 5, 0, 0)); JavaPeer a = new JavaPeer(); JavaPeer b = new JavaPeer()) {
            String admin = s.adminToken(600);
            // Publishers per room: 1.
            a.publish(base(s), "pubs", s.token("a", "pubs", true, false, 60));
            HttpResponse<String> second = call(s, "POST", "/whip/pubs", s.token("b", "pubs", true, false, 60), b.offer());
            assertEquals(403, second.statusCode());
            assertTrue(second.body().startsWith("too_many_publishers"), second.body());
            // Rooms: 2 ("pubs" exists).
            assertEquals(201, call(s, "POST", "/v1/rooms", admin, "{\"name\":\"r2\"}").statusCode());
            HttpResponse<String> third = call(s, "POST", "/v1/rooms", admin, "{\"name\":\"r3\"}");
            assertEquals(429, third.statusCode());
            assertEquals("too_many_rooms", json(third).path("code").asText());
            // Signaling rate: 5 messages per second per connection.
            List<String> received = new CopyOnWriteArrayList<>();
            AtomicLong lastReplyNanos = new AtomicLong();
            WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + s.httpPort()
                    + "/ws?access_token=" + s.token("chatty", "pubs", false, true, 60)), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            received.add(data.toString());
                            lastReplyNanos.set(System.nanoTime());
                            w.request(1);
                            return null;
                        }
                    }).get(5, TimeUnit.SECONDS);
            long sendStart = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                ws.sendText("{\"type\":\"trickle\",\"id\":\"" + i + "\"}", true).get();
            }
            long deadline = System.currentTimeMillis() + 10_000;
            while (received.size() < 20 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(20, received.size(), "every message is answered (ok or rate_limited): " + received);
            // The server took all 20 between our first send and its last reply. Its bucket holds 5 and refills at
            // 5/s, so at most 5 + 5 x that time pass, however slowly this machine ran; on an idle one about 5.
            double seconds = (lastReplyNanos.get() - sendStart) / 1e9;
            long passed = received.stream().filter(m -> m.contains("\"ok\"")).count();
            long limited = received.stream().filter(m -> m.contains("rate_limited")).count();
            assertEquals(20, passed + limited, received.toString());
            assertTrue(passed <= 5 + 5 * seconds, "at most the burst of 5 plus 5/s over the " + Math.round(seconds * 1000)
                    + " ms the 20 took pass, " + passed + " did: " + received);
            assertTrue(limited >= 1, "part of a burst of 20 is refused at 5/s: " + received);
            assertTrue(passed >= 1, "the first ones pass");
            ws.abort();
            assertTrue(s.rejections().get("rate_limited") >= limited, "every refusal is counted");
            assertTrue(s.backend().refusals().getOrDefault("too_many_publishers", 0L) >= 1);
        }
    }

    @Test
    void aMediaWorkerPastItsLoadLimitRefusesNewSessionsUntilItRecovers() throws Exception {
        // A limit far from both sides of what is measured: an idle loop uses well under 1 % of a core, the
        // spinning one near 100 % on a quiet machine but only 35-65 % on a loaded 2-core one, where the
        // thread gets its share of the CPU (seen here while another job ran; a limit of 50 % missed it).
        int limit = 10;
        try (PrismServer s = start(new Limits(0, 0, 0, 16, 50, 256, limit)); JavaPeer a = new JavaPeer();
             JavaPeer b = new JavaPeer(); JavaPeer c = new JavaPeer()) {
            String viewer = s.token("v", "busy", false, true, 60);
            assertEquals(201, call(s, "POST", "/whep/busy", viewer, a.offer()).statusCode(), "an idle worker admits");
            MediaWorker worker = s.rooms().find("busy").worker();
            // Real load: the worker's own loop thread kept on the CPU in 10 ms slices, so the loop still
            // serves the sessions' own tasks between them (its load is sampled on another thread,
            // WorkerLoadSampler, which sees the busy loop either way).
            AtomicBoolean spin = new AtomicBoolean(true);
            try {
                spinInSlices(worker, spin);
                long deadline = System.currentTimeMillis() + 15_000;
                while (!worker.load().overloaded(limit) && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100);
                }
                assertTrue(worker.load().overloaded(limit), "the busy loop is seen: " + worker.load().describe());
                HttpResponse<String> busy = call(s, "POST", "/whep/busy", s.token("w", "busy", false, true, 60),
                        b.offer());
                assertEquals(503, busy.statusCode(), busy.body());
                assertTrue(busy.body().startsWith("worker_overloaded"), busy.body());
            } finally {
                spin.set(false);
            }
            long deadline = System.currentTimeMillis() + 15_000;
            while (worker.load().overloaded(limit) && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(201, call(s, "POST", "/whep/busy", s.token("x", "busy", false, true, 60), c.offer())
                    .statusCode(), "admitted again once the load is gone: " + worker.load().describe());
        }
    }

    /**
     * Keeps the worker's own loop thread on the CPU in 10 ms slices while {@code on} holds, so the
     * loop still runs its other tasks and reads its socket between two slices.
     */
    private static void spinInSlices(MediaWorker worker, AtomicBoolean on) {
        worker.eventLoop().execute(new Runnable() {
            @Override
            public void run() {
                long sliceEnd = System.nanoTime() + 10_000_000L;
                while (System.nanoTime() < sliceEnd) {
                    Thread.onSpinWait();
                }
                if (on.get()) {
                    worker.eventLoop().execute(this);
                }
            }
        });
    }

    /**
     * Keeps a media worker behind its socket for real until closed: junk datagrams arrive faster than
     * it reads them, because between its read passes (16 datagrams each) its loop spends 10 ms slices
     * in a task, as a loop does whose core is taken by other threads. Bounded: at most 30 s and
     * 2,000,000 datagrams, to the worker's loopback port only.
     */
    private static final class Backlog implements AutoCloseable {
        private final AtomicBoolean on = new AtomicBoolean(true);
        private final Thread flooder;

        Backlog(MediaWorker worker) {
            flooder = Thread.ofPlatform().daemon().start(() -> {
                byte[] junk = new byte[64];
                java.util.Arrays.fill(junk, (byte) 0xFF); // neither STUN, DTLS nor RTP: read, counted, dropped
                long end = System.nanoTime() + 30_000_000_000L;
                try (java.net.DatagramSocket out = new java.net.DatagramSocket()) {
                    java.net.DatagramPacket p = new java.net.DatagramPacket(junk, junk.length,
                            java.net.InetAddress.getLoopbackAddress(), worker.port());
                    for (int i = 0; i < 2_000_000 && on.get() && System.nanoTime() < end; i++) {
                        out.send(p);
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            spinInSlices(worker, on);
        }

        @Override
        public void close() throws InterruptedException {
            on.set(false);
            flooder.join(5_000);
        }
    }

    /** A WHIP/WHEP POST on another thread, for a request that waits. */
    private static java.util.concurrent.CompletableFuture<HttpResponse<String>> postLater(PrismServer s, String path,
                                                                                      String token, String offer) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return call(s, "POST", path, token, offer);
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    private static void awaitBehind(MediaWorker worker) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (worker.behindNanos() < 500_000_000L && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(worker.behindNanos() >= 500_000_000L, "the worker is behind: " + worker.behindNanos() + " ns");
    }

    @Test
    void newSessionsWaitWhileTheirWorkerIsBehindAndAreRefusedPastTheWaitLimit() throws Exception {
        int waitLimit = 2_000;
        try (PrismServer s = start(new Limits(0, 0, 0, 16, 50, 256, 0, waitLimit)); JavaPeer a = new JavaPeer();
             JavaPeer b = new JavaPeer(); JavaPeer c = new JavaPeer()) {
            assertEquals(201, call(s, "POST", "/whep/burst", s.token("a", "burst", false, true, 60), a.offer())
                    .statusCode(), "a worker that keeps up starts a session at once");
            MediaWorker worker = s.rooms().find("burst").worker();
            assertEquals(0, worker.behindNanos(), "an idle loop empties its socket");

            java.util.concurrent.CompletableFuture<HttpResponse<String>> waiting;
            try (Backlog backlog = new Backlog(worker)) {
                awaitBehind(worker);
                waiting = postLater(s, "/whep/burst", s.token("b", "burst", false, true, 60), b.offer());
                Thread.sleep(waitLimit / 2);
                assertFalse(waiting.isDone(), "the session waits while the worker is behind");
                assertEquals(1, worker.setupGate().waitingNow());
            }
            HttpResponse<String> started = waiting.get(15, TimeUnit.SECONDS);
            assertEquals(201, started.statusCode(), "it starts once the worker caught up: " + started.body());
            assertEquals(1, worker.setupGate().waited());
            assertTrue(worker.setupGate().waitedNanos() >= waitLimit / 2 * 1_000_000L,
                    "its wait is counted: " + worker.setupGate().waitedNanos() + " ns");

            try (Backlog backlog = new Backlog(worker)) {
                awaitBehind(worker);
                long t0 = System.nanoTime();
                HttpResponse<String> refused = call(s, "POST", "/whep/burst", s.token("c", "burst", false, true, 60),
                        c.offer());
                long waitedMillis = (System.nanoTime() - t0) / 1_000_000;
                assertEquals(503, refused.statusCode(), refused.body());
                assertTrue(refused.body().startsWith("worker_overloaded"), refused.body());
                assertTrue(waitedMillis >= waitLimit - 50, "refused only after waiting its limit: " + waitedMillis + " ms");
            }
            assertEquals(1, worker.setupGate().expired());
            assertTrue(s.backend().refusals().getOrDefault("worker_overloaded", 0L) >= 1, "the refusal is counted");
        }
    }

    @Test
    void aViewerRemovedWhileItsSessionWaitsGetsNoSession() throws Exception {
        try (PrismServer s = start(new Limits(0, 0, 0, 16, 50, 256, 0, 10_000)); JavaPeer a = new JavaPeer();
             JavaPeer b = new JavaPeer()) {
            assertEquals(201, call(s, "POST", "/whep/kick", s.token("a", "kick", false, true, 60), a.offer()).statusCode());
            MediaWorker worker = s.rooms().find("kick").worker();
            int before = s.backend().sessionCount();
            java.util.concurrent.CompletableFuture<HttpResponse<String>> waiting;
            try (Backlog backlog = new Backlog(worker)) {
                awaitBehind(worker);
                waiting = postLater(s, "/whep/kick", s.token("b", "kick", false, true, 60), b.offer());
                long deadline = System.currentTimeMillis() + 5_000;
                while (worker.setupGate().waitingNow() == 0 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(1, worker.setupGate().waitingNow(), "the viewer waits for its worker");
                HttpResponse<String> removed = call(s, "DELETE", "/v1/rooms/kick/participants/b", s.adminToken(60), null);
                assertEquals(204, removed.statusCode(), removed.body());
            }
            // Before: it got 201 and a session the room's directory no longer knew, beyond the operator's reach.
            HttpResponse<String> answered = waiting.get(15, TimeUnit.SECONDS);
            assertEquals(410, answered.statusCode(), answered.body());
            assertTrue(answered.body().startsWith("removed"), answered.body());
            assertEquals(before, s.backend().sessionCount(), "no session was left for the removed viewer");
        }
    }
}
