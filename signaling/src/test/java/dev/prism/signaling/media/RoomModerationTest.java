package dev.prism.signaling.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.sdp.Fixtures;
import dev.prism.sfu.room.PublishedTrackSpec;
import dev.prism.sfu.room.RoomRegistry;
import dev.prism.signaling.MediaBackend.PeerSession;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Operators' track mutes on a real room with a WHIP publisher (no peer connects; the test ends well before its deadline). */
class RoomModerationTest {
    private static final String OFFER = Fixtures.text(Fixtures.CHROMIUM_PUBLISH);

    private RealRooms real;
    private RoomRegistry rooms;
    private RoomMediaBackend backend;

    @BeforeEach
    void start() throws Exception {
        real = RealRooms.start();
        rooms = real.registry();
        backend = new RoomMediaBackend(rooms);
    }

    @AfterEach
    void stop() {
        real.close();
    }

    /** Publishes into {@code room} and mutes every track published; returns their ids. */
    private List<String> publishAndMute(String room, String identity) throws Exception {
        PeerSession session = backend.publish(room, identity, OFFER).toCompletableFuture().get(5, TimeUnit.SECONDS);
        List<String> ids = rooms.room(room).tracks().get(5, TimeUnit.SECONDS).stream()
                .map(PublishedTrackSpec::trackId)
                .filter(id -> RoomMediaBackend.ownerOf(id).equals(session.id())).toList();
        assertFalse(ids.isEmpty(), "the offer publishes tracks");
        for (String id : ids) {
            assertTrue(backend.moderation().setMuted(room, id, true).get(5, TimeUnit.SECONDS));
            assertTrue(backend.moderation().isMuted(room, id));
        }
        return ids;
    }

    @Test
    void anEndedTracksMutedStateIsForgotten() throws Exception {
        List<String> ended = publishAndMute("r", "alice");
        String session = RoomMediaBackend.ownerOf(ended.get(0));
        assertTrue(backend.closeSession(session).toCompletableFuture().get(5, TimeUnit.SECONDS));
        for (String id : ended) {
            assertFalse(backend.moderation().isMuted("r", id), "track " + id + " ended with its session");
        }
    }

    @Test
    void aDeletedRoomsMutedTracksAreForgotten() throws Exception {
        List<String> ended = publishAndMute("r", "alice");
        assertTrue(backend.moderation().deleteRoom("r").get(5, TimeUnit.SECONDS));
        for (String id : ended) {
            assertFalse(backend.moderation().isMuted("r", id), "track " + id + " ended with its room");
        }
    }

    @Test
    void unmutingOrMutingAnUnknownTrackLeavesNothingMuted() throws Exception {
        List<String> ids = publishAndMute("r", "alice");
        assertTrue(backend.moderation().setMuted("r", ids.get(0), false).get(5, TimeUnit.SECONDS));
        assertFalse(backend.moderation().isMuted("r", ids.get(0)));
        assertEquals(false, backend.moderation().setMuted("r", "nosuch-1", true).get(5, TimeUnit.SECONDS));
        assertFalse(backend.moderation().isMuted("r", "nosuch-1"));
    }
}
