package dev.prism.ice;

import dev.prism.stun.StunAttribute;
import dev.prism.stun.StunMessage;
import dev.prism.stun.StunMessageWriter;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
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

    /** RFC 7675 §5.1: consent is lost 30 s after the last authenticated check. */
    public static final long CONSENT_TIMEOUT_MILLIS = 30_000;

    private final String localUfrag;
    private final String localPwd;
    private final byte[] key;
    private final String remoteUfrag;
    private InetSocketAddress selected;
    private boolean nominated;
    private long lastConsentMillis;

    /** {@code remoteUfrag} may be null when not known yet: any remote part of USERNAME is accepted. */
    public IceLiteAgent(String localUfrag, String localPwd, String remoteUfrag, String remotePwd) {
        if (localUfrag == null || localUfrag.isEmpty() || localPwd == null || localPwd.isEmpty()) {
            throw new IllegalArgumentException("local ICE ufrag and password are required");
        }
        this.localUfrag = localUfrag;
        this.localPwd = localPwd;
        this.key = localPwd.getBytes(StandardCharsets.UTF_8);
        this.remoteUfrag = remoteUfrag;
    }

    /**
     * The local ufrag (first part of USERNAME) of a STUN binding request, or null when the
     * datagram is not a well-formed binding request with USERNAME. Used by the worker to find
     * the transport before the address is known.
     */
    public static String localUfragOf(ByteBuf stun) {
        if (StunMessage.validate(stun) != StunMessage.OK || StunMessage.type(stun) != StunMessage.BINDING_REQUEST) {
            return null;
        }
        String username = StunMessage.username(stun);
        if (username == null) {
            return null;
        }
        int colon = username.indexOf(':');
        return colon <= 0 ? null : username.substring(0, colon);
    }

    /**
     * Checks a binding request and, when valid, writes the success response (XOR-MAPPED-ADDRESS
     * of {@code from}, MESSAGE-INTEGRITY, FINGERPRINT) into {@code response}. Does not consume
     * or release {@code request}.
     */
    public int handleBindingRequest(ByteBuf request, InetSocketAddress from, ByteBuf response, long nowMillis) {
        if (StunMessage.validate(request) != StunMessage.OK) {
            return DROPPED_MALFORMED;
        }
        if (StunMessage.type(request) != StunMessage.BINDING_REQUEST) {
            return DROPPED_NOT_REQUEST;
        }
        // RFC 8445 §7.3: FINGERPRINT and MESSAGE-INTEGRITY are mandatory in connectivity checks.
        if (!StunMessage.verifyFingerprint(request)) {
            return DROPPED_MALFORMED;
        }
        String username = StunMessage.username(request);
        if (username == null || !usernameMatches(username)
                || !StunMessage.verifyMessageIntegrity(request, key)) {
            return DROPPED_BAD_CREDENTIALS;
        }
        boolean useCandidate = StunMessage.has(request, StunAttribute.USE_CANDIDATE);
        lastConsentMillis = nowMillis;
        if (useCandidate) {
            nominated = true;
            selected = from;
        } else if (!nominated) {
            selected = from;
        }
        StunMessageWriter.response(response, StunMessage.BINDING_SUCCESS, request)
                .xorMappedAddress(from)
                .messageIntegrity(key)
                .fingerprint();
        return useCandidate ? RESPONDED_NOMINATED : RESPONDED;
    }

    private boolean usernameMatches(String username) {
        int colon = username.indexOf(':');
        if (colon < 0 || !username.regionMatches(0, localUfrag, 0, colon) || colon != localUfrag.length()) {
            return false;
        }
        return remoteUfrag == null || username.regionMatches(colon + 1, remoteUfrag, 0, remoteUfrag.length())
                && username.length() == colon + 1 + remoteUfrag.length();
    }

    /** The address of the last valid (nominated, if any) request, or null. */
    public InetSocketAddress selectedAddress() {
        return selected;
    }

    public boolean nominated() {
        return nominated;
    }

    /** Time of the last valid binding request, for consent freshness (RFC 7675: 30 s); 0 before any. */
    public long lastConsentMillis() {
        return lastConsentMillis;
    }

    /** True when a check was once valid and none came for {@link #CONSENT_TIMEOUT_MILLIS}. */
    public boolean consentExpired(long nowMillis) {
        return lastConsentMillis > 0 && nowMillis - lastConsentMillis > CONSENT_TIMEOUT_MILLIS;
    }

    public String localUfrag() {
        return localUfrag;
    }

    public String localPwd() {
        return localPwd;
    }
}
