package dev.prism.signaling.media;

import dev.prism.sfu.room.Room;
import dev.prism.sfu.room.TrackSource;
import dev.prism.sfu.transport.LocalTransportInfo;
import dev.prism.signaling.MediaBackend.Participant;
import dev.prism.signaling.MediaBackend.ParticipantListener;
import dev.prism.signaling.SignalingException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A WebSocket participant: a publish connection (the client offers), a subscribe connection that
 * Prism offers and renegotiates (its {@link ParticipantSubscriber}), and leaving, which closes
 * both. Methods are synchronized: signaling and room events arrive on different threads. The
 * subscriber's state is guarded by this participant's monitor too, so that leaving and a
 * transport being made for either side see each other.
 */
final class RoomParticipant implements Participant {

    private final String id;
    private final String identity;
    private final String roomName;
    private final Room room;
    private final RoomMediaBackend backend;
    private final ParticipantListener listener;
    private final boolean canPublish;
    private final RoomDirectory.Member member;
    private final ParticipantSubscriber subscriber;
    private String publishTransportId;
    private boolean left;

    RoomParticipant(String id, String identity, String roomName, Room room, RoomMediaBackend backend,
                    ParticipantListener listener, boolean canPublish, boolean canSubscribe, RoomDirectory.Member member) {
        this.member = member;
        this.id = id;
        this.identity = identity;
        this.roomName = roomName;
        this.room = room;
        this.backend = backend;
        this.listener = listener;
        this.canPublish = canPublish;
        this.subscriber = new ParticipantSubscriber(this, room, backend, listener, canSubscribe, member);
    }

    @Override
    public String id() {
        return id;
    }

    String identity() {
        return identity;
    }

    String roomName() {
        return roomName;
    }

    synchronized boolean owns(String transportId) {
        return transportId.equals(publishTransportId);
    }

    @Override
    public CompletionStage<String> publishOffer(String offerSdp, Map<String, TrackSource> sources) {
        if (!canPublish) {
            return CompletableFuture.failedFuture(new SignalingException(403, "publish_not_allowed",
                    "the access token does not grant canPublish"));
        }
        try {
            backend.admission().checkHandshakes();
            backend.admission().checkWorkerLoad(roomName);
        } catch (SignalingException e) {
            backend.admission().count(e.code()); // as WHIP, WHEP and a WebSocket join count theirs
            return CompletableFuture.failedFuture(e);
        }
        synchronized (this) {
            // The room's publisher slot is taken before the asynchronous set-up, so that publishes
            // arriving meanwhile count this one; it is freed below if the set-up fails. A second
            // publish finds the slot its first holds (refused here when the room is full, as before).
            try {
                backend.admission().reservePublisher(roomName, member);
            } catch (SignalingException e) {
                return CompletableFuture.failedFuture(e);
            }
            if (publishTransportId != null) {
                return CompletableFuture.failedFuture(new SignalingException(409, "already_publishing",
                        "this participant already has a publish connection; renegotiation is not supported yet"));
            }
            publishTransportId = "";
        }
        java.util.function.Consumer<String> onTransport = transportId -> {
            synchronized (this) {
                publishTransportId = transportId;
            }
            member.transports.add(transportId);
        };
        return backend.admission().awaitSetup(roomName)
                .thenCompose(v -> backend.publishInto(room, identity, offerSdp, sources, onTransport))
                .thenApply(session -> {
                    boolean gone;
                    synchronized (this) {
                        gone = left;
                        publishTransportId = session.id();
                    }
                    member.transports.add(session.id());
                    if (gone) { // left while publishing was being set up: leave() did not see this transport
                        room.closeTransport(session.id(), "participant left");
                        throw new CompletionException(new SignalingException(410, "left", "the participant left"));
                    }
                    // This publisher hears "layers" messages, so Prism may pause simulcast layers nobody receives.
                    room.enableLayerPausing(session.id());
                    return session.answerSdp();
                }).whenComplete((answer, error) -> {
                    if (error != null) {
                        synchronized (this) {
                            publishTransportId = null;
                            backend.admission().releasePublisher(member);
                        }
                    }
                });
    }

    @Override
    public CompletionStage<Void> subscriberAnswer(String answerSdp) {
        return subscriber.answer(answerSdp);
    }

    /** The room's tracks changed (or the participant just joined): offer the new set. */
    void offerTracks() {
        subscriber.offerTracks();
    }

    @Override
    public CompletionStage<Void> setMaxVideoSize(int width, int height) {
        return subscriber.setMaxVideoSize(width, height);
    }

    /** Whether the participant left; its subscriber reads it under this participant's lock. */
    synchronized boolean hasLeft() {
        return left;
    }

    @Override
    public void leave() {
        String pub;
        LocalTransportInfo sub;
        synchronized (this) {
            if (left) {
                return;
            }
            left = true;
            pub = publishTransportId;
            sub = subscriber.transport();
        }
        if (pub != null && !pub.isEmpty()) {
            room.closeTransport(pub, "participant left");
        }
        if (sub != null) {
            room.closeTransport(sub.transportId(), "participant left");
        }
        backend.removeParticipant(this);
    }

    ParticipantListener listener() {
        return listener;
    }

    /**
     * One of the room's transports closed. If it was this participant's (the 30 s deadline, lost
     * consent, a DTLS failure), its browser connection is dead and cannot be brought back here:
     * the client hears {@code closed} with the reason, so it can join again, and the participant
     * leaves.
     */
    void transportClosed(String transportId, String reason) {
        synchronized (this) {
            LocalTransportInfo subscribeTransport = subscriber.transport();
            if (left || !(transportId.equals(publishTransportId)
                    || subscribeTransport != null && transportId.equals(subscribeTransport.transportId()))) {
                return;
            }
        }
        listener.onClosed("media connection closed: " + reason);
        leave();
    }

    static CompletionException wrap(Throwable t) {
        return t instanceof CompletionException c ? c : new CompletionException(t);
    }
}
