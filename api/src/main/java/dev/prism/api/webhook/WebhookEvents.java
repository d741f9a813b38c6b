package dev.prism.api.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prism.sfu.room.PublishedTrackSpec;
import dev.prism.sfu.room.RoomObserver;
import dev.prism.sfu.room.RoomRegistry;
import dev.prism.signaling.media.RoomDirectory;
import dev.prism.signaling.media.RoomMediaBackend;

/** Turns room, membership and track events into webhooks: room_started, room_finished, participant_joined/left, track_published/unpublished. */
public final class WebhookEvents {
    private WebhookEvents() {}

    public static void connect(WebhookNotifier webhooks, RoomMediaBackend backend, RoomRegistry rooms) {
        if (!webhooks.enabled()) {
            return;
        }
        backend.directory().addListener(new RoomDirectory.Listener() {
            @Override
            public void roomStarted(RoomDirectory.RoomEntry room) {
                webhooks.send("room_started", room(room.name()));
            }

            @Override
            public void roomFinished(RoomDirectory.RoomEntry room) {
                webhooks.send("room_finished", room(room.name()));
            }

            @Override
            public void memberJoined(RoomDirectory.RoomEntry room, RoomDirectory.Member member) {
                webhooks.send("participant_joined", participant(room.name(), member));
            }

            @Override
            public void memberLeft(RoomDirectory.RoomEntry room, RoomDirectory.Member member) {
                webhooks.send("participant_left", participant(room.name(), member));
            }
        });
        rooms.addObserver(new RoomObserver() {
            @Override
            public void onTrackPublished(String room, String ownerTransportId, PublishedTrackSpec track) {
                ObjectNode f = room(room);
                f.putObject("participant").put("identity", backend.publisherIdentity(ownerTransportId));
                f.putObject("track").put("trackId", track.trackId()).put("kind", track.kind())
                        .put("source", track.source().wireName()).put("codec", track.codecName());
                webhooks.send("track_published", f);
            }

            @Override
            public void onTrackUnpublished(String room, String ownerTransportId, String trackId) {
                ObjectNode f = room(room);
                f.putObject("participant").put("identity", backend.publisherIdentity(ownerTransportId));
                f.putObject("track").put("trackId", trackId);
                webhooks.send("track_unpublished", f);
            }
        });
    }

    private static ObjectNode room(String name) {
        ObjectNode f = WebhookNotifier.fields();
        f.putObject("room").put("name", name);
        return f;
    }

    private static ObjectNode participant(String room, RoomDirectory.Member m) {
        ObjectNode f = room(room);
        f.putObject("participant").put("identity", m.identity()).put("id", m.id()).put("kind", m.kind());
        return f;
    }
}
