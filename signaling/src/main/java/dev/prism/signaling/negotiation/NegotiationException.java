package dev.prism.signaling.negotiation;

/** An offer or answer Prism cannot accept; the message names the problem (e.g. "offer has no a=fingerprint"). */
public final class NegotiationException extends IllegalArgumentException {
    public NegotiationException(String message) {
        super(message);
    }
}
