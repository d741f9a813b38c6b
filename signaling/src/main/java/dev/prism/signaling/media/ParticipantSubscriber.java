package dev.prism.signaling.media;

import dev.prism.sdp.SdpParseException;
import dev.prism.sdp.SdpParser;
import dev.prism.sdp.SdpWriter;
import dev.prism.sdp.SessionDescription;
import dev.prism.sfu.room.DownTrackSpec;
import dev.prism.sfu.room.PublishedTrackSpec;
import dev.prism.sfu.room.Room;
import dev.prism.sfu.transport.LocalTransportInfo;
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
 * The receiving side of a WebSocket {@link RoomParticipant}: its subscribe connection, which Prism
 * offers and renegotiates as the room's tracks come and go (DESIGN.md "Negotiation"), the transport
 * it runs on (made with the first offer) and the largest video the client wants. One offer is
 * outstanding at a time; changes during it lead to a new offer after the answer.
 *
 * <p>Its state is guarded by the participant's monitor, the lock the publish side and
 * {@link RoomParticipant#leave()} take, and it reads the participant's {@code left} under it: a
 * subscribe transport made while the participant leaves is either seen by {@code leave()} or sees
 * that it left, and is closed either way.
 */
final class ParticipantSubscriber {

    /** The participant this is the receiving side of; its monitor guards the fields below. */
    private final RoomParticipant participant;
    private final Room room;
    private final RoomMediaBackend backend;
    private final ParticipantListener listener;
    private final boolean canSubscribe;
    private final RoomDirectory.Member member;
    private final Map<String, OutgoingTrack> sending = new LinkedHashMap<>();
    private final Set<String> subscribed = new HashSet<>();
    private LocalTransportInfo subscribeTransport;
    private CompletableFuture<LocalTransportInfo> subscribeTransportCreation;
    private boolean subscribeRemoteSet;
    private SessionDescription pendingOffer;
    private SessionDescription lastOffer;
    private boolean renegotiate;
    private boolean offering;
    /** The largest video the client wants ({width, height}), kept for a subscribe transport not made yet. */
    private int[] maxVideoSize;

    ParticipantSubscriber(RoomParticipant participant, Room room, RoomMediaBackend backend,
                          ParticipantListener listener, boolean canSubscribe, RoomDirectory.Member member) {
        this.participant = participant;
        this.room = room;
        this.backend = backend;
        this.listener = listener;
        this.canSubscribe = canSubscribe;
        this.member = member;
    }

    /** The subscribe transport, or null before it is made (read under the participant's lock). */
    LocalTransportInfo transport() {
        synchronized (participant) {
            return subscribeTransport;
        }
    }

    /** The client's answer to the outstanding subscribe offer. */
    CompletionStage<Void> answer(String answerSdp) {
        SessionDescription offer;
        LocalTransportInfo transport;
        synchronized (participant) {
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
        synchronized (participant) {
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
                    synchronized (participant) {
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
                        synchronized (participant) {
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
        synchronized (participant) {
            if (participant.hasLeft()) {
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
                synchronized (participant) {
                    sending.keySet().retainAll(trackIds(tracks));
                    for (PublishedTrackSpec t : tracks) {
                        if (participant.owns(RoomMediaBackend.ownerOf(t.trackId()))) {
                            continue; // do not send a participant its own tracks
                        }
                        sending.computeIfAbsent(t.trackId(),
                                k -> NegotiationMapping.outgoing(t, participant.roomName()));
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
                java.util.logging.Logger.getLogger(ParticipantSubscriber.class.getName()).log(
                        java.util.logging.Level.WARNING, "subscriber offer for " + participant.identity() + " failed",
                        error);
                synchronized (participant) {
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
    private boolean nothingToOffer(List<PublishedTrackSpec> tracks) {
        synchronized (participant) {
            if (lastOffer != null) {
                return false;
            }
            for (PublishedTrackSpec t : tracks) {
                if (!participant.owns(RoomMediaBackend.ownerOf(t.trackId()))) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Ends an offer round that sent nothing; a change that came meanwhile starts the next. */
    private void finishOffering() {
        boolean again;
        synchronized (participant) {
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

    /** The largest video the client wants, applied now or when the subscribe transport is made. */
    CompletionStage<Void> setMaxVideoSize(int width, int height) {
        CompletableFuture<LocalTransportInfo> creation;
        synchronized (participant) {
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
    private CompletableFuture<LocalTransportInfo> ensureSubscribeTransport() {
        synchronized (participant) {
            if (subscribeTransportCreation == null) {
                CompletableFuture<LocalTransportInfo> creation = backend.admission().awaitSetup(participant.roomName())
                        .thenCompose(v -> room.createTransport(null))
                        .thenCompose(t -> {
                            member.transports.add(t.transportId());
                            int[] size;
                            boolean gone;
                            synchronized (participant) {
                                gone = participant.hasLeft();
                                subscribeTransport = t;
                                size = maxVideoSize;
                            }
                            if (gone) { // left while the transport was being made: leave() did not see it
                                room.closeTransport(t.transportId(), "participant left");
                                throw new CompletionException(
                                        new SignalingException(410, "left", "the participant left"));
                            }
                            return size == null ? CompletableFuture.completedFuture(t)
                                    : room.setMaxVideoSize(t.transportId(), size[0], size[1]).thenApply(known -> t);
                        });
                subscribeTransportCreation = creation;
                creation.whenComplete((t, error) -> {
                    if (error != null) {
                        synchronized (participant) {
                            subscribeTransportCreation = null; // let a later call try again
                        }
                    }
                });
            }
            return subscribeTransportCreation;
        }
    }
}
