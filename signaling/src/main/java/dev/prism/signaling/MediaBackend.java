package dev.prism.signaling;

import java.util.concurrent.CompletionStage;

/**
 * What the HTTP and WebSocket front door asks of the media plane. The HTTP layer has already
 * checked the access token; these methods trust {@code room} and {@code identity}. Every method
 * may be called from any thread; futures complete on an arbitrary thread. Failures complete
 * exceptionally with {@link SignalingException} carrying the status/code to report.
 */
public interface MediaBackend {

    /** WHIP: a publisher's offer; the answer publishes its tracks into the room. */
    CompletionStage<PeerSession> publish(String room, String identity, String offerSdp);

    /** WHEP: a viewer's offer (recvonly); the answer carries the room's current tracks. */
    default CompletionStage<PeerSession> subscribe(String room, String identity, String offerSdp) {
        return subscribe(room, identity, offerSdp, SubscribeOptions.DEFAULT);
    }

    /** WHEP with the request's options (see {@link SubscribeOptions}). */
    CompletionStage<PeerSession> subscribe(String room, String identity, String offerSdp, SubscribeOptions options);

    /**
     * What a WHEP viewer may ask for beyond its offer.
     *
     * @param videoLayer a simulcast layer to receive whatever the bandwidth estimate says (0 the
     *                   lowest, {@link #TOP_LAYER} the highest each track has), or
     *                   {@link #ADAPTIVE}: the server chooses from the viewer's bandwidth
     */
    record SubscribeOptions(int videoLayer) {
        public static final int ADAPTIVE = -1;
        public static final int TOP_LAYER = Integer.MAX_VALUE;
        public static final SubscribeOptions DEFAULT = new SubscribeOptions(ADAPTIVE);

        public SubscribeOptions {
            if (videoLayer < ADAPTIVE) {
                throw new IllegalArgumentException("videoLayer must be ADAPTIVE, TOP_LAYER or a layer index, got " + videoLayer);
            }
        }
    }

    /** Whether a WHIP/WHEP session is still alive (its transport not closed). Any thread. */
    boolean isSessionOpen(String sessionId);

    /** Ends a WHIP/WHEP session (DELETE on its resource). Completes with false when unknown. */
    CompletionStage<Boolean> closeSession(String sessionId);

    /**
     * Trickled candidates for a session (PATCH application/trickle-ice-sdpfrag). Completes with
     * false when the session is unknown; an ICE restart is refused with a SignalingException.
     */
    CompletionStage<Boolean> trickle(String sessionId, String sdpFragment);

    /** A WebSocket client joins; the participant lives until {@link Participant#leave()}. */
    CompletionStage<Participant> join(String room, String identity, boolean canPublish, boolean canSubscribe,
                                      ParticipantListener listener);

    /** A WHIP/WHEP session: its id (the resource path segment) and the SDP answer. */
    record PeerSession(String id, String answerSdp) {}

    /** A joined WebSocket participant: a publish connection (client offers) and a subscribe one (server offers). */
    interface Participant {
        String id();

        /** Offer of the client's publish connection; returns the answer. */
        default CompletionStage<String> publishOffer(String offerSdp) {
            return publishOffer(offerSdp, java.util.Map.of());
        }

        /**
         * Offer of the client's publish connection with what its tracks carry by MID (others:
         * camera/microphone by kind); returns the answer.
         */
        CompletionStage<String> publishOffer(String offerSdp, java.util.Map<String, dev.prism.sfu.room.TrackSource> sources);

        /** The client's answer to the last {@link ParticipantListener#onSubscriberOffer}. */
        CompletionStage<Void> subscriberAnswer(String answerSdp);

        /** The largest video this participant wants to receive (0 = no limit). */
        default CompletionStage<Void> setMaxVideoSize(int width, int height) {
            return java.util.concurrent.CompletableFuture.failedFuture(
                    new UnsupportedOperationException("maximum video size is not supported by this backend"));
        }

        void leave();
    }

    /** Events the media plane sends to a WebSocket participant. Called from any thread. */
    interface ParticipantListener {
        /** Server-initiated (re)negotiation of the subscribe connection. */
        void onSubscriberOffer(String offerSdp);

        void onParticipantJoined(String identity);

        void onParticipantLeft(String identity);

        /** {@code source} is "camera", "microphone" or "screen". */
        void onTrackPublished(String identity, String trackId, String kind, String source);

        void onTrackUnpublished(String identity, String trackId);

        /** The room's dominant speaker is now {@code identity}, whose media stream is {@code streamId}. */
        default void onActiveSpeaker(String identity, String streamId) {}

        /**
         * Which simulcast layers of one of this participant's own tracks Prism wants it to send
         * (rid → active, lowest first): layers nobody receives are paused.
         */
        default void onPublisherLayers(String trackId, String mid, java.util.Map<String, Boolean> active) {}

        /** The participant was removed (room closed, server draining, transport failed). */
        void onClosed(String reason);
    }
}
