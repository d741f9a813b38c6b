package dev.prism.signaling.negotiation;

import dev.prism.sdp.Candidate;
import dev.prism.sdp.Fingerprint;
import dev.prism.sdp.SdpParseException;
import java.util.List;

/**
 * The server's side of one transport: ICE credentials, the DTLS certificate fingerprint as
 * {@code "sha-256 AB:CD:..."}, host candidates, and whether the server is ICE-lite (it is).
 */
public record LocalTransportParams(String iceUfrag, String icePwd, String fingerprint, List<Candidate> candidates,
                                   boolean iceLite) {
    public LocalTransportParams {
        candidates = List.copyOf(candidates);
        if (iceUfrag == null || iceUfrag.isEmpty() || icePwd == null || icePwd.isEmpty()) {
            throw new IllegalArgumentException("ICE ufrag and pwd are required");
        }
        try {
            Fingerprint.parse(fingerprint == null ? "" : fingerprint);
        } catch (SdpParseException e) {
            throw new IllegalArgumentException("fingerprint must be '<hash> <hex>': " + fingerprint, e);
        }
    }

    Fingerprint parsedFingerprint() {
        return Fingerprint.parse(fingerprint);
    }
}
