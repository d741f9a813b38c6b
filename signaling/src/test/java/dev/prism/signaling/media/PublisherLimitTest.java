package dev.prism.signaling.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.sdp.Fixtures;
import dev.prism.sfu.room.RoomRegistry;
import dev.prism.signaling.MediaBackend.Participant;
import dev.prism.signaling.MediaBackend.ParticipantListener;
import dev.prism.signaling.SignalingException;
import dev.prism.signaling.SignalingLimits;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code maxPublishersPerRoom} (1 here) against publishes whose set-up is still under way: a real
 * room whose media loop the test holds, so a publish waits at its transport while the next one
 * arrives (no peer connects; the test ends long before the transports' connection deadline).
 */
class PublisherLimitTest {
    private static final String OFFER = Fixtures.text(Fixtures.CHROMIUM_PUBLISH);

    private RealRooms real;
    private RoomRegistry rooms;
    private RoomMediaBackend backend;

    @BeforeEach
    void start() throws Exception {
        real = RealRooms.start();
        rooms = real.registry();
        backend = new RoomMediaBackend(rooms, new RoomDirectory(0), new SignalingLimits(1, 0, 0, 0, 0, 0));
    }

    @AfterEach
    void stop() {
        real.close();
    }

    /** Holds the room's media loop until the returned latch is released: every set-up there waits at its transport. */
    private CountDownLatch holdMediaLoop(String room) throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        rooms.room(room).worker().execute(() -> {
            held.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(held.await(5, TimeUnit.SECONDS));
        return release;
    }

    private Participant join(String identity) {
        return backend.join("r", identity, true, false, new Quiet()).toCompletableFuture().join();
    }

    /** The error code a publish ended with, or "ok". */
    private static String outcome(CompletionStage<?> publish) {
        try {
            publish.toCompletableFuture().get(10, TimeUnit.SECONDS);
            return "ok";
        } catch (Exception e) {
            Throwable cause = e.getCause();
            while (cause != null && !(cause instanceof SignalingException) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            assertNotNull(cause, e.toString());
            return cause instanceof SignalingException s ? s.code() : cause.toString();
        }
    }

    @Test
    void aWebSocketPublishBeingSetUpHoldsTheRoomsOnlyPublisherSlot() throws Exception {
        Participant alice = join("alice");
        Participant bob = join("bob");
        CountDownLatch release = holdMediaLoop("r");
        CompletionStage<String> first = alice.publishOffer(OFFER, Map.of());
        CompletionStage<String> second = bob.publishOffer(OFFER, Map.of()); // alice's set-up has not finished
        release.countDown();
        assertEquals("ok", outcome(first));
        assertEquals("too_many_publishers", outcome(second), "the publish in progress counts against the limit");
        assertEquals(1, backend.directory().publishers("r"));
    }

    @Test
    void webSocketAndWhipPublishesShareTheRoomsPublisherSlots() throws Exception {
        Participant alice = join("alice");
        CountDownLatch release = holdMediaLoop("r");
        CompletionStage<String> ws = alice.publishOffer(OFFER, Map.of());
        CompletionStage<?> whip = backend.publish("r", "carol", OFFER);
        release.countDown();
        assertEquals("ok", outcome(ws));
        assertEquals("too_many_publishers", outcome(whip), "a WHIP publish counts the WebSocket one being set up");

        alice.leave();
        release = holdMediaLoop("r");
        whip = backend.publish("r", "carol", OFFER);
        Participant bob = join("bob");
        ws = bob.publishOffer(OFFER, Map.of());
        release.countDown();
        assertEquals("ok", outcome(whip));
        assertEquals("too_many_publishers", outcome(ws), "a WebSocket publish counts the WHIP one being set up");
        assertEquals(1, backend.directory().publishers("r"));
    }

    @Test
    void aSetUpThatFailsOrIsLeftFreesItsSlot() throws Exception {
        Participant alice = join("alice");
        assertEquals("bad_sdp", outcome(alice.publishOffer("not sdp", Map.of())));
        assertEquals("bad_sdp", outcome(backend.publish("r", "carol", "not sdp")));
        assertEquals(0, backend.directory().publishers("r"), "failed set-ups hold no slot");

        CountDownLatch release = holdMediaLoop("r");
        CompletionStage<String> abandoned = alice.publishOffer(OFFER, Map.of());
        alice.leave();
        release.countDown();
        assertEquals("left", outcome(abandoned));

        Participant bob = join("bob");
        assertEquals("ok", outcome(bob.publishOffer(OFFER, Map.of())), "the slot of who left is free again");
        assertEquals(1, backend.directory().publishers("r"));
        assertFalse(backend.directory().find("r").members().isEmpty());
    }

    @Test
    void aSecondPublishOfOneParticipantKeepsTheSlotOfItsFirst() throws Exception {
        Participant alice = join("alice");
        assertEquals("ok", outcome(alice.publishOffer(OFFER, Map.of())));
        assertEquals("too_many_publishers", outcome(alice.publishOffer(OFFER, Map.of())), "in a full room, as before");
        assertEquals(1, backend.directory().publishers("r"), "the refused second publish did not free the first's slot");

        RoomMediaBackend roomier = new RoomMediaBackend(rooms, new RoomDirectory(0), new SignalingLimits(2, 0, 0, 0, 0, 0));
        Participant bob = roomier.join("r2", "bob", true, false, new Quiet()).toCompletableFuture().join();
        assertEquals("ok", outcome(bob.publishOffer(OFFER, Map.of())));
        assertEquals("already_publishing", outcome(bob.publishOffer(OFFER, Map.of())));
        assertEquals(1, roomier.directory().publishers("r2"), "the refused second publish did not free the first's slot");
    }

    @Test
    void aRefusedWebSocketPublishIsCountedOnceAmongTheLimitRefusals() throws Exception {
        Participant alice = join("alice");
        Participant bob = join("bob");
        assertEquals("ok", outcome(alice.publishOffer(OFFER, Map.of())));
        long before = refusedPublishers();
        assertEquals("too_many_publishers", outcome(bob.publishOffer(OFFER, Map.of())));
        assertEquals(before + 1, refusedPublishers(), "the WebSocket refusal is counted, once");
        assertEquals(before + 1, backend.admission().refusals().getOrDefault("too_many_publishers", 0L));

        assertEquals("too_many_publishers", outcome(backend.publish("r", "carol", OFFER)));
        assertEquals(before + 2, refusedPublishers(), "a WHIP refusal is counted once too");
    }

    @Test
    void aWebSocketPublishRefusedForTooManyHandshakesIsCounted() throws Exception {
        RoomMediaBackend busy = new RoomMediaBackend(rooms, new RoomDirectory(0), new SignalingLimits(0, 0, 1, 0, 0, 0));
        Participant alice = busy.join("r", "alice", true, true, new Quiet()).toCompletableFuture().get(5, TimeUnit.SECONDS);
        rooms.counters().handshakesInProgress.incrementAndGet(); // one set-up under way: the limit is reached
        try {
            assertEquals("too_many_handshakes", outcome(alice.publishOffer(OFFER, Map.of())));
            assertEquals(1L, busy.refusals().getOrDefault("too_many_handshakes", 0L), "counted once");
        } finally {
            rooms.counters().handshakesInProgress.decrementAndGet();
        }
    }

    private long refusedPublishers() {
        return backend.refusals().getOrDefault("too_many_publishers", 0L);
    }

    /** A WebSocket that hears nothing worth checking here. */
    private static final class Quiet implements ParticipantListener {
        @Override
        public void onSubscriberOffer(String offerSdp) {}

        @Override
        public void onParticipantJoined(String identity) {}

        @Override
        public void onParticipantLeft(String identity) {}

        @Override
        public void onTrackPublished(String identity, String trackId, String kind, String source) {}

        @Override
        public void onTrackUnpublished(String identity, String trackId) {}

        @Override
        public void onClosed(String reason) {}
    }
}
