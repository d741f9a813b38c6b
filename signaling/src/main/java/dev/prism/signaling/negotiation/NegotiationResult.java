package dev.prism.signaling.negotiation;

import dev.prism.sdp.SessionDescription;
import java.util.List;

/**
 * Result of one offer/answer: Prism's own description (the answer it wrote, or the offer it had
 * sent), the accepted m= lines in m= order, and the peer's transport parameters (null for an
 * answer that rejected every line).
 */
public record NegotiationResult(SessionDescription localDescription, List<NegotiatedMedia> media,
                                RemoteTransportParams remote) {
    public NegotiationResult {
        media = List.copyOf(media);
    }
}
