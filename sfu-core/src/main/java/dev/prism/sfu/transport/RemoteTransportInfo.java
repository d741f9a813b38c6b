package dev.prism.sfu.transport;

/**
 * The peer's side from its SDP: ICE credentials (ufrag may be null when unknown) and its
 * a=fingerprint ("sha-256 AB:CD:.."). {@code dtlsClient} is true when the peer takes the DTLS
 * client role (it offered actpass or active), which makes Prism the DTLS server.
 */
public record RemoteTransportInfo(String iceUfrag, String icePwd, String fingerprint, boolean dtlsClient) {
    public RemoteTransportInfo {
        if (fingerprint == null || fingerprint.isBlank()) {
            throw new IllegalArgumentException("the peer's SDP has no a=fingerprint");
        }
    }
}
