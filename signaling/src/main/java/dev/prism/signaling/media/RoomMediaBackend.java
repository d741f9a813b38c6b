package dev.prism.signaling.media;

import dev.prism.sdp.SdpParseException;
import dev.prism.sdp.SdpParser;
import dev.prism.sdp.SdpWriter;
import dev.prism.sdp.SessionDescription;
import dev.prism.sfu.room.DownTrackSpec;
import dev.prism.sfu.room.PublishedTrackSpec;
import dev.prism.sfu.room.Room;
import dev.prism.sfu.room.RoomRegistry;
import dev.prism.sfu.room.TrackSource;
import dev.prism.sfu.room.VideoLayerPin;
import dev.prism.signaling.MediaBackend;
import dev.prism.signaling.SignalingException;
import dev.prism.signaling.SignalingLimits;
import dev.prism.signaling.negotiation.NegotiatedMedia;
import dev.prism.signaling.negotiation.NegotiationException;
import dev.prism.signaling.negotiation.NegotiationResult;
import dev.prism.signaling.negotiation.Negotiator;
import dev.prism.signaling.negotiation.OutgoingTrack;
import dev.prism.signaling.negotiation.RemoteTransportParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The media plane as signaling sees it: WHIP/WHEP sessions negotiated with {@link Negotiator}
 * and carried out by the rooms of a {@link RoomRegistry}. Each session is one transport; its id
 * is the transport id.
 */
public final class RoomMediaBackend implements MediaBackend {
    private final RoomRegistry rooms;
    private final RoomDirectory directory;
    private final SignalingLimits limits;
    private final SessionAdmission admission;
    private final Map<String, Room> sessions = new ConcurrentHashMap<>();
    private final RoomModeration moderation;
    private final ParticipantRoster participants = new ParticipantRoster();
    /** Publishing transport id → the identity of its token, for track events. */
    private final Map<String, String> publishers = new ConcurrentHashMap<>();

    public RoomMediaBackend(RoomRegistry rooms) {
        this(rooms, new RoomDirectory(0));
    }

    public RoomMediaBackend(RoomRegistry rooms, RoomDirectory directory) {
        this(rooms, directory, SignalingLimits.NONE);
    }

    public RoomMediaBackend(RoomRegistry rooms, RoomDirectory directory, SignalingLimits limits) {
        this.rooms = rooms;
        this.directory = directory;
        this.limits = limits;
        this.admission = new SessionAdmission(rooms, directory, limits);
        this.moderation = new RoomModeration(rooms, directory, sessions);
        rooms.addObserver(new RoomEventRouter(directory, sessions, publishers, participants, moderation,
                this::identityOf));
    }

    @Override
    public CompletionStage<PeerSession> publish(String room, String identity, String offerSdp) {
        RoomDirectory.Member member;
        try {
            admission.checkHandshakes();
            admission.checkWorkerLoad(room);
            // The publisher slot is taken now, before the set-up: a failed set-up removes the member and frees it.
            member = admission.admitPublisher(room, identity);
        } catch (SignalingException e) {
            return refuse(e);
        }
        return tracked(room, member, admission.awaitSetup(room).thenCompose(v -> publishInto(rooms.room(room),
                identity, offerSdp, Map.of(), member.transports::add)));
    }

    /** Records the session's transport on its member, or forgets the member when the session failed. */
    private CompletableFuture<PeerSession> tracked(String room, RoomDirectory.Member member,
                                                   CompletableFuture<PeerSession> session) {
        return session.handle((s, error) -> {
            if (error != null) {
                directory.remove(room, member.id);
                throw RoomParticipant.wrap(error);
            }
            // Added first, then checked: a removal from now on finds the transport and closes it.
            member.transports.add(s.id());
            if (!directory.isMember(room, member)) {
                // Removed (operator, room deleted, drain) while it waited for its worker or its transport.
                Room r = sessions.remove(s.id());
                if (r != null) {
                    r.closeTransport(s.id(), "removed while it was being set up");
                }
                throw new CompletionException(new SignalingException(410, "removed",
                        "the session was removed (by an operator, a room delete or a drain) while it was being set up"));
            }
            return s;
        });
    }

    /**
     * Answers a publisher's offer with a new transport in {@code r} and publishes its tracks.
     * {@code onTransport} learns the transport id before the tracks are announced, so the owner
     * is known when the room's track events fire.
     */
    CompletableFuture<PeerSession> publishInto(Room r, String identity, String offerSdp,
                                               Map<String, TrackSource> sources,
                                               java.util.function.Consumer<String> onTransport) {
        SessionDescription offer;
        RemoteTransportParams remote;
        try {
            offer = parse(offerSdp);
            remote = RemoteTransportParams.of(offer, "offer");
        } catch (SignalingException e) {
            return CompletableFuture.failedFuture(e);
        } catch (NegotiationException e) {
            return CompletableFuture.failedFuture(refused(e));
        }
        return r.createTransport(NegotiationMapping.remoteInfo(remote)).thenCompose(local -> {
            NegotiationResult result;
            try {
                result = Negotiator.answerPublishOffer(offer, NegotiationMapping.localParams(local));
            } catch (NegotiationException e) {
                r.closeTransport(local.transportId(), "negotiation failed");
                throw new CompletionException(refused(e));
            }
            List<PublishedTrackSpec> specs;
            try {
                specs = NegotiationMapping.withSources(
                        NegotiationMapping.publishedTracks(local.transportId(), identity, result), sources);
            } catch (SignalingException e) {
                r.closeTransport(local.transportId(), "bad sources");
                throw new CompletionException(e);
            }
            int maxTracks = limits.maxTracksPerParticipant();
            if (maxTracks > 0 && specs.size() > maxTracks) {
                r.closeTransport(local.transportId(), "too many tracks");
                admission.count("too_many_tracks");
                throw new CompletionException(new SignalingException(400, "too_many_tracks",
                        "the offer publishes " + specs.size() + " tracks; at most " + maxTracks + " are allowed"));
            }
            sessions.put(local.transportId(), r);
            publishers.put(local.transportId(), identity);
            onTransport.accept(local.transportId());
            return closeOnFailure(r, local.transportId(), r.publish(local.transportId(), specs))
                    .thenApply(v -> new PeerSession(local.transportId(), SdpWriter.write(result.localDescription())));
        });
    }

    @Override
    public CompletionStage<PeerSession> subscribe(String room, String identity, String offerSdp, SubscribeOptions options) {
        RoomDirectory.Member member;
        try {
            admission.checkHandshakes();
            admission.checkWorkerLoad(room);
            member = directory.admit(room, identity, "whep");
        } catch (SignalingException e) {
            return refuse(e);
        }
        return tracked(room, member, admission.awaitSetup(room)
                .thenCompose(v -> subscribeInto(room, identity, offerSdp, options)));
    }

    private CompletableFuture<PeerSession> subscribeInto(String room, String identity, String offerSdp,
                                                         SubscribeOptions options) {
        SessionDescription offer;
        RemoteTransportParams remote;
        try {
            offer = parse(offerSdp);
            remote = RemoteTransportParams.of(offer, "offer");
        } catch (SignalingException e) {
            return CompletableFuture.failedFuture(e);
        } catch (NegotiationException e) {
            return CompletableFuture.failedFuture(refused(e));
        }
        Room r = rooms.room(room);
        return r.tracks().thenCompose(published -> r.createTransport(NegotiationMapping.remoteInfo(remote))
                .thenCompose(local -> {
            List<OutgoingTrack> outgoing = new ArrayList<>();
            for (PublishedTrackSpec t : published) {
                outgoing.add(NegotiationMapping.outgoing(t, room));
            }
            NegotiationResult result;
            try {
                result = Negotiator.answerSubscribeOffer(offer, NegotiationMapping.localParams(local), outgoing);
            } catch (NegotiationException e) {
                r.closeTransport(local.transportId(), "negotiation failed");
                throw new CompletionException(refused(e));
            }
            List<DownTrackSpec> downs = new ArrayList<>();
            for (NegotiatedMedia m : result.media()) {
                if (m.trackId() == null || m.ssrcs().isEmpty() || m.codecs().isEmpty()) {
                    continue;
                }
                downs.add(NegotiationMapping.downTrack(m));
            }
            sessions.put(local.transportId(), r);
            // Pinned before the first subscription, so its first allocation already follows the pin.
            CompletableFuture<Boolean> pinned = options.videoLayer() == SubscribeOptions.ADAPTIVE
                    ? CompletableFuture.completedFuture(true)
                    : r.pinVideoLayer(local.transportId(), new VideoLayerPin(options.videoLayer()));
            return closeOnFailure(r, local.transportId(), pinned.thenCompose(known -> r.subscribe(local.transportId(), downs)))
                    .thenApply(v -> new PeerSession(local.transportId(), SdpWriter.write(result.localDescription())));
        }));
    }

    /**
     * The set-up's last step on a transport made for a WHIP/WHEP request: if it fails, the client
     * gets an error and no resource to DELETE, so the transport (and whatever it published) closes
     * now rather than at the 30 s connection deadline.
     */
    private static <T> CompletableFuture<T> closeOnFailure(Room r, String transportId, CompletableFuture<T> step) {
        return step.whenComplete((v, error) -> {
            if (error != null) {
                r.closeTransport(transportId, "set-up failed: " + error.getMessage());
            }
        });
    }

    @Override
    public boolean isSessionOpen(String sessionId) {
        return sessions.containsKey(sessionId);
    }

    @Override
    public CompletionStage<Boolean> closeSession(String sessionId) {
        Room r = sessions.remove(sessionId);
        if (r == null) {
            return CompletableFuture.completedFuture(false);
        }
        return r.closeTransport(sessionId, "session deleted");
    }

    @Override
    public CompletionStage<Boolean> trickle(String sessionId, String sdpFragment) {
        if (!sessions.containsKey(sessionId)) {
            return CompletableFuture.completedFuture(false);
        }
        // ICE-lite: the peer's candidates are learnt from its checks, so trickled ones add nothing.
        // An ICE restart (new ufrag/pwd in the fragment) is not supported.
        if (sdpFragment != null && (sdpFragment.contains("a=ice-ufrag:") || sdpFragment.contains("a=ice-pwd:"))) {
            return CompletableFuture.failedFuture(new SignalingException(422, "ice_restart_unsupported",
                    "ICE restart is not supported: start a new session"));
        }
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletionStage<Participant> join(String room, String identity, boolean canPublish, boolean canSubscribe,
                                             ParticipantListener listener) {
        RoomDirectory.Member member;
        try {
            admission.checkDraining();
            admission.checkWorkerLoad(room);
            member = directory.admit(room, identity, "websocket");
        } catch (SignalingException e) {
            return refuse(e);
        }
        Room r = rooms.room(room);
        RoomParticipant p = new RoomParticipant(member.id, identity, room, r, this, listener, canPublish, canSubscribe,
                member);
        member.participant = p;
        participants.add(p);
        p.offerTracks();
        Room.ActiveSpeaker speaker = r.activeSpeaker();
        if (speaker != null) {
            // A newcomer learns who speaks now, in order with the room's later speaker changes.
            String speakerIdentity = identityOf(speaker.ownerTransportId());
            participants.relayTo(p, q -> q.listener().onActiveSpeaker(speakerIdentity, speaker.audioTrack().streamId()));
        }
        return CompletableFuture.completedFuture(p);
    }

    /** Identities of the participants in a room now (for the joined message). */
    public List<String> participantIdentities(String room) {
        return participants.identities(room);
    }

    void removeParticipant(RoomParticipant p) {
        directory.remove(p.roomName(), p.id());
        participants.remove(p);
    }

    /** The transport id a published track belongs to (track ids are "transportId-mid"). */
    static String ownerOf(String trackId) {
        int dash = trackId.indexOf('-');
        return dash < 0 ? trackId : trackId.substring(0, dash);
    }

    /** The identity of the token that published on a transport ("unknown" once it has gone). */
    public String publisherIdentity(String transportId) {
        return identityOf(transportId);
    }

    private String identityOf(String transportId) {
        String identity = publishers.get(transportId);
        return identity != null ? identity : "unknown";
    }

    /** Stops admitting anyone and disconnects every member of every room (graceful shutdown). */
    public CompletableFuture<Void> drain() {
        admission.startDraining();
        return moderation.disconnectEveryone("server draining");
    }

    public boolean draining() {
        return admission.draining();
    }

    /** Who may open a session now (handshakes in progress, worker load, publishers, draining). */
    SessionAdmission admission() {
        return admission;
    }

    private <T> CompletableFuture<T> refuse(SignalingException e) {
        admission.count(e.code());
        return CompletableFuture.failedFuture(e);
    }

    /** Counts a refusal made elsewhere (the operator API's room limit). */
    public void countRefusal(String code) {
        admission.count(code);
    }

    /** Admission refusals by code (room_full, too_many_rooms, too_many_publishers, ...). */
    public Map<String, Long> refusals() {
        return admission.refusals();
    }

    public SignalingLimits limits() {
        return limits;
    }

    public RoomDirectory directory() {
        return directory;
    }

    /** Operators' actions on rooms, members and tracks. */
    public RoomModeration moderation() {
        return moderation;
    }

    /** The transport a published track arrives on (track ids are "transportId-mid"). */
    public static String ownerTransportOf(String trackId) {
        return ownerOf(trackId);
    }

    /** The sessions alive now (tests and metrics). */
    public int sessionCount() {
        return sessions.size();
    }

    private static SessionDescription parse(String sdp) {
        try {
            return SdpParser.parse(sdp);
        } catch (SdpParseException e) {
            throw new SignalingException(400, "bad_sdp", "malformed SDP: " + e.getMessage());
        }
    }

    private static SignalingException refused(NegotiationException e) {
        return new SignalingException(400, "unsupported_sdp", e.getMessage());
    }
}
