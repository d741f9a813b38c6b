package dev.prism.signaling.negotiation;

import dev.prism.sdp.Fingerprint;
import dev.prism.sdp.Group;
import dev.prism.sdp.MediaDescription;
import dev.prism.sdp.SessionDescription;
import dev.prism.sdp.Setup;
import java.util.List;

/**
 * The peer's transport parameters: ICE credentials, certificate fingerprint as
 * {@code "sha-256 AB:..."} and DTLS setup (null when the peer did not say).
 */
public record RemoteTransportParams(String iceUfrag, String icePwd, String fingerprint, Setup setup) {

    /**
     * Reads the parameters from the first m= line of the BUNDLE group (or the first m= line),
     * falling back to session level for each. {@code role} ("offer"/"answer") goes into errors.
     */
    public static RemoteTransportParams of(SessionDescription sd, String role) {
        MediaDescription m = transportMedia(sd);
        String ufrag = m != null && m.iceUfrag() != null ? m.iceUfrag() : sd.iceUfrag();
        String pwd = m != null && m.icePwd() != null ? m.icePwd() : sd.icePwd();
        List<Fingerprint> fps = m != null && !m.fingerprints().isEmpty() ? m.fingerprints() : sd.fingerprints();
        Setup setup = m != null && m.setup() != null ? m.setup() : sd.setup();
        if (ufrag == null) throw new NegotiationException(role + " has no a=ice-ufrag");
        if (pwd == null) throw new NegotiationException(role + " has no a=ice-pwd");
        if (fps.isEmpty()) throw new NegotiationException(role + " has no a=fingerprint");
        Fingerprint chosen = fps.get(0);
        for (Fingerprint f : fps) {
            if (f.hashFunction().equalsIgnoreCase("sha-256")) {
                chosen = f;
                break;
            }
        }
        return new RemoteTransportParams(ufrag, pwd, chosen.toSdpValue(), setup);
    }

    static MediaDescription transportMedia(SessionDescription sd) {
        Group bundle = sd.group("BUNDLE");
        if (bundle != null && !bundle.mids().isEmpty()) {
            MediaDescription m = sd.mediaByMid(bundle.mids().get(0));
            if (m != null) return m;
        }
        for (MediaDescription m : sd.media()) if (!m.rejected()) return m;
        return null;
    }
}
