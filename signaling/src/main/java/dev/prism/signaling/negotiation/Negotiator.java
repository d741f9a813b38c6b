package dev.prism.signaling.negotiation;

import dev.prism.sdp.SessionDescription;
import java.util.List;

/**
 * Offer/answer for Prism's three kinds of peer connection (RFC 8829, Unified Plan, BUNDLE,
 * rtcp-mux, ICE-lite, DTLS passive). Pure functions: no I/O, clock or randomness. Every refusal
 * is a {@link NegotiationException} naming the problem.
 */
public final class Negotiator {
    private Negotiator() {}

    /** A publisher's offer (WebSocket publish connection or WHIP): Prism answers recvonly. */
    public static NegotiationResult answerPublishOffer(SessionDescription offer, LocalTransportParams local) {
        return PublishAnswerer.answer(offer, local);
    }

    /** A viewer's recvonly offer (WHEP): tracks are assigned to offered m= lines by kind, in order. */
    public static NegotiationResult answerSubscribeOffer(SessionDescription offer, LocalTransportParams local,
                                                         List<OutgoingTrack> tracks) {
        return SubscribeAnswerer.answer(offer, local, tracks);
    }

    /**
     * Prism's offer on the WebSocket subscribe connection: one sendonly m= line per track, mids
     * and payload types stable against {@code previous} (null for the first offer).
     */
    public static SessionDescription createSubscribeOffer(LocalTransportParams local, List<OutgoingTrack> tracks,
                                                          SessionDescription previous) {
        return SubscribeOfferer.offer(local, tracks, previous);
    }

    /** The subscriber's answer to {@code offer}: what it accepted, and its transport parameters. */
    public static NegotiationResult applySubscribeAnswer(SessionDescription offer, SessionDescription answer) {
        return SubscribeAnswerReader.apply(offer, answer);
    }
}
