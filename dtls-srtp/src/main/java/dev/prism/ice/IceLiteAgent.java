package dev.prism.ice;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;

/**
 * CONTRACT STUB — replaced by the ice work.
 *
 * The server side of ICE-lite (RFC 8445 §2.5) for one transport: answers STUN binding
 * requests that carry USERNAME "localUfrag:remoteUfrag", a valid MESSAGE-INTEGRITY keyed
 * with the local password and a valid FINGERPRINT; learns the peer address; tracks
 * nomination (USE-CANDIDATE) and consent freshness (RFC 7675). Owned by one event loop.
 */
public final class IceLiteAgent {
    /** handleBindingRequest results. */
    public static final int RESPONDED = 1;
    public static final int RESPONDED_NOMINATED = 2;
    public static final int DROPPED_MALFORMED = -1;
    public static final int DROPPED_BAD_CREDENTIALS = -2;
    public static final int DROPPED_NOT_REQUEST = -3;

    public IceLiteAgent(String localUfrag, String localPwd, String remoteUfrag, String remotePwd) {
        throw new UnsupportedOperationException("ICE-lite not built yet");
    }

    /**
     * The local ufrag (first part of USERNAME) of a STUN binding request, or null when the
     * datagram is not a well-formed binding request with USERNAME. Used by the worker to find
     * the transport before the address is known.
     */
    public static String localUfragOf(ByteBuf stun) {
        throw new UnsupportedOperationException("ICE-lite not built yet");
    }

    /**
     * Checks a binding request and, when valid, writes the success response (XOR-MAPPED-ADDRESS
     * of {@code from}, MESSAGE-INTEGRITY, FINGERPRINT) into {@code response}. Does not consume
     * or release {@code request}.
     */
    public int handleBindingRequest(ByteBuf request, InetSocketAddress from, ByteBuf response, long nowMillis) {
        throw new UnsupportedOperationException("ICE-lite not built yet");
    }

    /** The address of the last valid (nominated, if any) request, or null. */
    public InetSocketAddress selectedAddress() { throw new UnsupportedOperationException("ICE-lite not built yet"); }

    public boolean nominated() { throw new UnsupportedOperationException("ICE-lite not built yet"); }

    /** Time of the last valid binding request, for consent freshness (RFC 7675: 30 s). */
    public long lastConsentMillis() { throw new UnsupportedOperationException("ICE-lite not built yet"); }

    public String localUfrag() { throw new UnsupportedOperationException("ICE-lite not built yet"); }

    public String localPwd() { throw new UnsupportedOperationException("ICE-lite not built yet"); }
}
