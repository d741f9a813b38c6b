package dev.prism.signaling.media;

import dev.prism.sdp.SdpParseException;
import dev.prism.sdp.SdpParser;
import dev.prism.sdp.SdpWriter;
import dev.prism.sdp.SessionDescription;
import dev.prism.sfu.room.DownTrackSpec;
import dev.prism.sfu.room.PublishedTrackSpec;
import dev.prism.sfu.room.Room;
import dev.prism.sfu.room.TrackSource;
import dev.prism.sfu.transport.LocalTransportInfo;
import dev.prism.signaling.MediaBackend.Participant;
import dev.prism.signaling.MediaBackend.ParticipantListener;
import dev.prism.signaling.SignalingException;
import dev.prism.signaling.negotiation.NegotiatedMedia;
import dev.prism.signaling.negotiation.NegotiationException;
import dev.prism.signaling.negotiation.NegotiationResult;
import dev.prism.signaling.negotiation.Negotiator;
import dev.prism.signaling.negotiation.OutgoingTrack;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A WebSocket participant: a publish connection (the client offers) and a subscribe connection
 * that Prism offers and renegotiates as the room's tracks come and go (DESIGN.md "Negotiation").
 * One offer is outstanding at a time; changes during it lead to a new offer after the answer.
 * Methods are synchronized: signaling and room events arrive on different threads.
 */
final class RoomParticipant implements Participant {

    private final String id;
    private final String identity;
    private final String roomName;
    private final Room room;
    private final RoomMediaBackend backend;
    private final ParticipantListener listener;
    private final boolean canPublish;
    private final boolean canSubscribe;
    private final RoomDirectory.Member member;
    private final Map<String, OutgoingTrack> sending = new LinkedHashMap<>();
    private final Set<String> subscribed = new HashSet<>();
    private String publishTransportId;
    private LocalTransportInfo subscribeTransport;
    private CompletableFuture<LocalTransportInfo> subscribeTransportCreation;
    private boolean subscribeRemoteSet;
    private SessionDescription pendingOffer;
    private SessionDescription lastOffer;
    private boolean renegotiate;
    private boolean offering;
    private boolean left;
    /** The largest video the client wants ({width, height}), kept for a subscribe transport not made yet. */
    private int[] maxVideoSize;

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
        this.canSubscribe = canSubscribe;
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
        SessionDescription offer;
        LocalTransportInfo transport;
        synchronized (this) {
            offer = pendingOffer;
            transport = subscribeTransport;
        }
        if (offer == null) {
            return CompletableFuture.failedFuture(new SignalingException(409, "no_offer",
                    "there is no subscriber offer waiting for an answer"));
        }
        NegotiationResult result;
        try {
            result = Negotiator.applySubscribeAnswer(offer, SdpParser.parse(answerSdp));
        } catch (SdpParseException e) {
            return CompletableFuture.failedFuture(new SignalingException(400, "bad_sdp", "malformed SDP: " + e.getMessage()));
        } catch (NegotiationException e) {
            return CompletableFuture.failedFuture(new SignalingException(400, "unsupported_sdp", e.getMessage()));
        }
        CompletableFuture<Void> remote = CompletableFuture.completedFuture(null);
        synchronized (this) {
            if (!subscribeRemoteSet && result.remote() != null) {
                subscribeRemoteSet = true;
                remote = room.setRemote(transport.transportId(), NegotiationMapping.remoteInfo(result.remote()));
            }
        }
        List<DownTrackSpec> add = new ArrayList<>();
        Set<String> accepted = new HashSet<>();
        for (NegotiatedMedia m : result.media()) {
            if (m.trackId() == null || m.ssrcs().isEmpty() || m.codecs().isEmpty()
                    || !m.direction().sends()) {
                continue;
            }
            accepted.add(m.trackId());
            if (!subscribed.contains(m.trackId())) {
                add.add(NegotiationMapping.downTrack(m));
            }
        }
        Set<String> remove = new HashSet<>(subscribed);
        remove.removeAll(accepted);
        return remote.thenCompose(v -> room.unsubscribe(transport.transportId(), remove))
                .thenCompose(v -> room.subscribe(transport.transportId(), add))
                .thenRun(() -> {
                    boolean again;
                    synchronized (this) {
                        subscribed.removeAll(remove);
                        for (DownTrackSpec d : add) {
                            subscribed.add(d.trackId());
                        }
                        lastOffer = offer;
                        pendingOffer = null;
                        offering = false;
                        again = renegotiate;
                        renegotiate = false;
                    }
                    if (again) {
                        offerTracks();
                    }
                }).whenComplete((v, error) -> {
                    if (error != null) {
                        // The client hears the error; the round ends so that later changes still bring offers.
                        synchronized (this) {
                            pendingOffer = null;
                        }
                        finishOffering();
                    }
                });
    }

    /** The room's tracks changed (or the participant just joined): offer the new set. */
    void offerTracks() {
        if (!canSubscribe) {
            return;
        }
        synchronized (this) {
            if (left) {
                return;
            }
            if (offering) {
                renegotiate = true;
                return;
            }
            offering = true;
        }
        room.tracks().thenCompose(tracks -> {
            if (nothingToOffer(tracks)) {
                // No transport yet: one made now would get no offer, so no ICE check, and the
                // 30 s connection deadline would close it before the first track came.
                finishOffering();
                return CompletableFuture.completedFuture(null);
            }
            return ensureSubscribeTransport().thenApply(transport -> {
                synchronized (this) {
                    sending.keySet().retainAll(trackIds(tracks));
                    for (PublishedTrackSpec t : tracks) {
                        if (owns(RoomMediaBackend.ownerOf(t.trackId()))) {
                            continue; // do not send a participant its own tracks
                        }
                        sending.computeIfAbsent(t.trackId(), k -> NegotiationMapping.outgoing(t, roomName));
                    }
                    if (sending.isEmpty() && lastOffer == null) {
                        return null; // nothing to offer yet (offering ends below)
                    }
                    SessionDescription offer = Negotiator.createSubscribeOffer(
                            NegotiationMapping.localParams(transport), new ArrayList<>(sending.values()), lastOffer);
                    pendingOffer = offer;
                    return offer;
                }
            });
        }).whenComplete((offer, error) -> {
            if (error != null) {
                java.util.logging.Logger.getLogger(RoomParticipant.class.getName()).log(
                        java.util.logging.Level.WARNING, "subscriber offer for " + identity + " failed", error);
                synchronized (this) {
                    pendingOffer = null;
                    offering = false;
                }
                listener.onClosed("subscribe negotiation failed: " + error.getMessage());
            } else if (offer != null) {
                listener.onSubscriberOffer(SdpWriter.write(offer));
            } else {
                finishOffering();
            }
        });
    }

    /** Whether the room has no track for this participant and it was never offered one. */
    private synchronized boolean nothingToOffer(List<PublishedTrackSpec> tracks) {
        if (lastOffer != null) {
            return false;
        }
        for (PublishedTrackSpec t : tracks) {
            if (!owns(RoomMediaBackend.ownerOf(t.trackId()))) {
                return false;
            }
        }
        return true;
    }

    /** Ends an offer round that sent nothing; a change that came meanwhile starts the next. */
    private void finishOffering() {
        boolean again;
        synchronized (this) {
            if (pendingOffer != null) {
                return; // an offer is out: its answer ends the round
            }
            offering = false;
            again = renegotiate;
            renegotiate = false;
        }
        if (again) {
            offerTracks();
        }
    }

    private static Set<String> trackIds(List<PublishedTrackSpec> tracks) {
        Set<String> ids = new HashSet<>();
        for (PublishedTrackSpec t : tracks) {
            ids.add(t.trackId());
        }
        return ids;
    }

    @Override
    public CompletionStage<Void> setMaxVideoSize(int width, int height) {
        CompletableFuture<LocalTransportInfo> creation;
        synchronized (this) {
            maxVideoSize = new int[] {width, height};
            creation = subscribeTransportCreation;
        }
        if (creation == null) {
            return CompletableFuture.completedFuture(null); // applied when the subscribe transport is made
        }
        return creation.thenCompose(t -> room.setMaxVideoSize(t.transportId(), width, height)).thenApply(known -> null);
    }

    /**
     * The subscribe transport, made with the first offer, once, with the {@code maxVideoSize}
     * declared before it (if any) applied before its first subscription.
     */
    private synchronized CompletableFuture<LocalTransportInfo> ensureSubscribeTransport() {
        if (subscribeTransportCreation == null) {
            CompletableFuture<LocalTransportInfo> creation = backend.admission().awaitSetup(roomName)
                    .thenCompose(v -> room.createTransport(null))
                    .thenCompose(t -> {
                        member.transports.add(t.transportId());
                        int[] size;
                        boolean gone;
                        synchronized (this) {
                            gone = left;
                            subscribeTransport = t;
                            size = maxVideoSize;
                        }
                        if (gone) { // left while the transport was being made: leave() did not see it
                            room.closeTransport(t.transportId(), "participant left");
                            throw new CompletionException(new SignalingException(410, "left", "the participant left"));
                        }
                        return size == null ? CompletableFuture.completedFuture(t)
                                : room.setMaxVideoSize(t.transportId(), size[0], size[1]).thenApply(known -> t);
                    });
            subscribeTransportCreation = creation;
            creation.whenComplete((t, error) -> {
                if (error != null) {
                    synchronized (this) {
                        subscribeTransportCreation = null; // let a later call try again
                    }
                }
            });
        }
        return subscribeTransportCreation;
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
            sub = subscribeTransport;
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
