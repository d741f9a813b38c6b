package dev.prism.signaling.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.sfu.room.PublishedTrackSpec;
import dev.prism.signaling.MediaBackend.ParticipantListener;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Who hears what of a room: real participants without a room behind them (they neither subscribe
 * nor publish, so relaying an event starts no negotiation), each with a listener that records
 * what its WebSocket would have sent.
 */
class ParticipantRosterTest {
    /** Several relay threads, as on a server with cores to spare: order must not depend on there being one. */
    private final ExecutorService relays = Executors.newFixedThreadPool(4);
    private final ParticipantRoster roster = new ParticipantRoster(relays);

    @AfterEach
    void stopRelays() {
        relays.shutdownNow();
    }

    /** The messages one WebSocket would send, in the order the roster called it. */
    private static class Heard implements ParticipantListener {
        private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        @Override
        public void onSubscriberOffer(String offerSdp) {
            events.add("offer");
        }

        @Override
        public void onParticipantJoined(String identity) {
            events.add("joined " + identity);
        }

        @Override
        public void onParticipantLeft(String identity) {
            events.add("left " + identity);
        }

        @Override
        public void onTrackPublished(String identity, String trackId, String kind, String source) {
            events.add("published " + identity + " " + trackId + " " + kind + " " + source);
        }

        @Override
        public void onTrackUnpublished(String identity, String trackId) {
            events.add("unpublished " + identity + " " + trackId);
        }

        @Override
        public void onActiveSpeaker(String identity, String streamId) {
            events.add("speaker " + identity + " " + streamId);
        }

        @Override
        public void onPublisherLayers(String trackId, String mid, Map<String, Boolean> active) {
            events.add("layers " + trackId + " " + mid + " " + active); // the map's order is part of it
        }

        @Override
        public void onClosed(String reason) {
            events.add("closed " + reason);
        }

        /** The next event; every event is told on another thread. */
        String next() throws InterruptedException {
            String e = events.poll(5, TimeUnit.SECONDS);
            assertNotNull(e, "nothing heard within 5 s");
            return e;
        }

        /** The next {@code n} events, in order. */
        List<String> next(int n) throws InterruptedException {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(next());
            }
            return out;
        }

        /** Nothing heard for a while after the others heard theirs (a relay is one loop over the room). */
        void hearsNothing() throws InterruptedException {
            assertNull(events.poll(200, TimeUnit.MILLISECONDS));
        }
    }

    private RoomParticipant join(String id, String identity, String room, Heard heard) {
        RoomParticipant p = new RoomParticipant(id, identity, room, null, null, heard, false, false, null);
        roster.add(p);
        return p;
    }

    /** Stands in for a publishOffer that got its transport (which needs a media worker and a real offer). */
    private static void publishesOn(RoomParticipant p, String transportId) throws ReflectiveOperationException {
        Field f = RoomParticipant.class.getDeclaredField("publishTransportId");
        f.setAccessible(true);
        f.set(p, transportId);
    }

    private static PublishedTrackSpec track(String trackId, String streamId, String kind, String mid, List<String> rids) {
        return new PublishedTrackSpec(trackId, streamId, kind, 0, 0, 96, -1, kind.equals("audio") ? "opus" : "VP8",
                kind.equals("audio") ? 48000 : 90000, kind.equals("audio") ? 2 : 0, "", List.of(), -1, mid, rids,
                1, 2, 3, -1);
    }

    private static List<String> sorted(List<String> l) {
        List<String> out = new ArrayList<>(l);
        out.sort(null);
        return out;
    }

    @Test
    void aJoinerIsAnnouncedToThoseAlreadyInItsRoomOnly() throws Exception {
        Heard alice = new Heard();
        Heard bob = new Heard();
        Heard carol = new Heard();
        Heard dave = new Heard();
        join("p1", "alice", "r", alice);
        join("p2", "bob", "r", bob);
        join("p3", "dave", "other", dave);
        join("p4", "carol", "r", carol);
        assertEquals(List.of("joined bob", "joined carol"), alice.next(2));
        assertEquals("joined carol", bob.next());
        carol.hearsNothing(); // a joiner is not told of itself (nor of those there: the joined reply lists them)
        dave.hearsNothing(); // another room hears nothing
        assertEquals(List.of("alice", "bob", "carol"), sorted(roster.identities("r")));
        assertEquals(List.of("dave"), roster.identities("other"));
        assertEquals(List.of(), roster.identities("nobody-here"));
    }

    @Test
    void aLeaverIsAnnouncedOnceToTheRestAndHearsNothingMore() throws Exception {
        Heard alice = new Heard();
        Heard bob = new Heard();
        Heard carol = new Heard();
        join("p1", "alice", "r", alice);
        RoomParticipant b = join("p2", "bob", "r", bob);
        RoomParticipant c = join("p3", "carol", "r", carol);
        assertEquals(List.of("joined bob", "joined carol"), alice.next(2));
        assertEquals("joined carol", bob.next());

        assertTrue(roster.remove(b));
        assertEquals("left bob", alice.next());
        assertEquals("left bob", carol.next());
        assertEquals(List.of("alice", "carol"), sorted(roster.identities("r")));
        assertFalse(roster.remove(b), "a second leave is not announced again");
        assertFalse(roster.remove(new RoomParticipant("p9", "zed", "r", null, null, new Heard(), false, false, null)),
                "nor is one that never joined");
        alice.hearsNothing();
        bob.hearsNothing();

        join("p4", "erin", "r", new Heard());
        roster.remove(c);
        assertEquals(List.of("joined erin", "left carol"), alice.next(2));
        bob.hearsNothing(); // who left hears no more joins or leaves
    }

    @Test
    void twoConnectionsOfOneIdentityAreTwoParticipants() throws Exception {
        // The roster keys by participant id: a second tab of the same user neither replaces nor removes the first.
        Heard alice = new Heard();
        Heard tab1 = new Heard();
        Heard tab2 = new Heard();
        join("p1", "alice", "r", alice);
        join("p2", "bob", "r", tab1);
        RoomParticipant second = join("p3", "bob", "r", tab2);
        assertEquals(List.of("alice", "bob", "bob"), sorted(roster.identities("r")));
        assertEquals("joined bob", tab1.next(), "the first tab hears the second join");
        assertEquals(List.of("joined bob", "joined bob"), alice.next(2));

        assertTrue(roster.remove(second));
        assertEquals("left bob", alice.next());
        assertEquals("left bob", tab1.next());
        assertEquals(List.of("alice", "bob"), sorted(roster.identities("r")));
    }

    @Test
    void trackChangesReachEveryoneInTheRoomThePublisherToo() throws Exception {
        Heard alice = new Heard();
        Heard bob = new Heard();
        Heard dave = new Heard();
        join("p1", "alice", "r", alice);
        join("p2", "bob", "r", bob);
        join("p3", "dave", "other", dave);
        assertEquals("joined bob", alice.next());

        roster.trackChanged("r", "alice", "T1-1", "video", "screen", true);
        assertEquals("published alice T1-1 video screen", alice.next());
        assertEquals("published alice T1-1 video screen", bob.next());
        roster.trackChanged("r", "alice", "T1-1", null, null, false);
        assertEquals("unpublished alice T1-1", alice.next());
        assertEquals("unpublished alice T1-1", bob.next());
        dave.hearsNothing();
        roster.trackChanged("empty", "alice", "T1-1", "video", "camera", true); // no one there: nothing to do
    }

    @Test
    void theActiveSpeakerReachesEveryoneInTheRoom() throws Exception {
        Heard alice = new Heard();
        Heard bob = new Heard();
        Heard dave = new Heard();
        join("p1", "alice", "r", alice);
        join("p2", "bob", "r", bob);
        join("p3", "dave", "other", dave);
        assertEquals("joined bob", alice.next());

        roster.activeSpeaker("r", "bob", track("T2-0", "stream-bob", "audio", "0", List.of()));
        assertEquals("speaker bob stream-bob", alice.next());
        assertEquals("speaker bob stream-bob", bob.next());
        dave.hearsNothing();
    }

    @Test
    void wantedLayersGoOnlyToThePublisherOfTheTrackByRid() throws Exception {
        Heard alice = new Heard();
        Heard bob = new Heard();
        RoomParticipant a = join("p1", "alice", "r", alice);
        RoomParticipant b = join("p2", "bob", "r", bob);
        publishesOn(a, "TA");
        publishesOn(b, "TB");
        assertEquals("joined bob", alice.next());
        PublishedTrackSpec video = track("TA-1", "stream-alice", "video", "1", List.of("q", "h", "f"));

        roster.layersWanted("r", "TA", video, new boolean[] {false, true, true});
        assertEquals("layers TA-1 1 {q=false, h=true, f=true}", alice.next(), "lowest first");
        // More flags than rids: only the track's rids are named.
        roster.layersWanted("r", "TA", track("TA-2", "stream-alice", "video", "2", List.of("q", "h")),
                new boolean[] {true, false, true});
        assertEquals("layers TA-2 2 {q=true, h=false}", alice.next());
        bob.hearsNothing();
    }

    @Test
    void whoLeftHearsNoRoomEvents() throws Exception {
        Heard alice = new Heard();
        Heard bob = new Heard();
        join("p1", "alice", "r", alice);
        RoomParticipant b = join("p2", "bob", "r", bob);
        publishesOn(b, "TB");
        roster.remove(b);
        assertEquals(List.of("joined bob", "left bob"), alice.next(2));

        roster.trackChanged("r", "alice", "TA-1", "audio", "microphone", true);
        assertEquals("published alice TA-1 audio microphone", alice.next());
        roster.activeSpeaker("r", "alice", track("TA-1", "stream-alice", "audio", "1", List.of()));
        assertEquals("speaker alice stream-alice", alice.next());
        roster.layersWanted("r", "TB", track("TB-1", "stream-bob", "video", "1", List.of("q", "h", "f")),
                new boolean[] {true, true, true});
        bob.hearsNothing();
        alice.hearsNothing();
    }

    @Test
    void aRoomsEventsReachEachParticipantInTheOrderRaisedEvenWhenOneIsSlow() throws Exception {
        // The first relay is held up in a listener; the unpublication raised after it must still come second.
        Heard slow = new Heard() {
            @Override
            public void onTrackPublished(String identity, String trackId, String kind, String source) {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.onTrackPublished(identity, trackId, kind, source);
            }
        };
        join("p1", "alice", "r", slow);
        for (int i = 0; i < 3; i++) {
            roster.trackChanged("r", "bob", "T" + i, "video", "camera", true);
            roster.trackChanged("r", "bob", "T" + i, null, null, false);
        }
        roster.activeSpeaker("r", "bob", track("TB-0", "stream-bob", "audio", "0", List.of()));
        for (int i = 0; i < 3; i++) {
            assertEquals("published bob T" + i + " video camera", slow.next());
            assertEquals("unpublished bob T" + i, slow.next());
        }
        assertEquals("speaker bob stream-bob", slow.next());
    }

    @Test
    void aListenerThatThrowsKeepsNoOneElseFromHearing() throws Exception {
        Heard broken = new Heard() {
            @Override
            public void onParticipantJoined(String identity) {
                throw new IllegalStateException("socket gone");
            }

            @Override
            public void onActiveSpeaker(String identity, String streamId) {
                throw new IllegalStateException("socket gone");
            }
        };
        Heard alice = new Heard();
        Heard bob = new Heard();
        join("p0", "broken", "r", broken);
        join("p1", "alice", "r", alice);
        join("p2", "bob", "r", bob);
        assertEquals(List.of("alice", "bob", "broken"), sorted(roster.identities("r")), "the joiner was added");
        assertEquals("joined bob", alice.next());

        roster.activeSpeaker("r", "alice", track("TA-0", "stream-alice", "audio", "0", List.of()));
        roster.activeSpeaker("r", "bob", track("TB-0", "stream-bob", "audio", "0", List.of()));
        assertEquals("speaker alice stream-alice", alice.next());
        assertEquals("speaker bob stream-bob", alice.next(), "the relay after a failure still runs");
        assertEquals("speaker alice stream-alice", bob.next());
        assertEquals("speaker bob stream-bob", bob.next());
    }

    @Test
    void anEmptiedRoomIsForgotten() {
        RoomParticipant a = join("p1", "alice", "r1", new Heard());
        RoomParticipant b = join("p2", "bob", "r2", new Heard());
        assertEquals(2, roster.rooms());
        roster.remove(a);
        assertEquals(1, roster.rooms(), "a room nobody is in is not kept");
        roster.remove(b);
        assertEquals(0, roster.rooms());
        Heard carol = new Heard();
        join("p3", "carol", "r1", carol);
        assertEquals(List.of("carol"), roster.identities("r1"), "the name can be used again");
    }

    @Test
    void whatANewcomerAloneIsToldComesInOrderWithTheRoomsEvents() throws Exception {
        // The speaker as of the join, then a change: the newcomer must end up with the change.
        Heard slow = new Heard() {
            @Override
            public void onActiveSpeaker(String identity, String streamId) {
                if (identity.equals("bob")) { // the newcomer's own message is held up
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                super.onActiveSpeaker(identity, streamId);
            }
        };
        Heard other = new Heard();
        join("p0", "other", "r", other);
        RoomParticipant newcomer = join("p1", "newcomer", "r", slow);
        roster.relayTo(newcomer, p -> p.listener().onActiveSpeaker("bob", "stream-bob"));
        roster.activeSpeaker("r", "carol", track("TC-0", "stream-carol", "audio", "0", List.of()));
        assertEquals("speaker bob stream-bob", slow.next());
        assertEquals("speaker carol stream-carol", slow.next());
        assertEquals(List.of("joined newcomer", "speaker carol stream-carol"), other.next(2),
                "the newcomer's own message went to the newcomer only");
        other.hearsNothing();
    }

    @Test
    void joinsAndLeavesComeInOrderWithTheRoomsTrackEvents() throws Exception {
        // The room's relay is held up, so the track events raised first are still waiting when the
        // join and the leave happen: each must still reach alice after them.
        Heard alice = new Heard();
        RoomParticipant a = join("p1", "alice", "r", alice);
        RoomParticipant b = join("p2", "bob", "r", new Heard());
        assertEquals("joined bob", alice.next());
        CountDownLatch release = new CountDownLatch(1);
        roster.relayTo(a, p -> {
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        roster.trackChanged("r", "bob", "TB-1", "audio", "microphone", true);
        join("p3", "carol", "r", new Heard());
        roster.trackChanged("r", "bob", "TB-1", null, null, false);
        roster.remove(b);
        release.countDown();
        assertEquals(List.of("published bob TB-1 audio microphone", "joined carol", "unpublished bob TB-1", "left bob"),
                alice.next(4));
        alice.hearsNothing();
    }
}
