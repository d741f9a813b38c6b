package dev.prism.dtls;

/**
 * CONTRACT STUB — replaced by the dtls work.
 * A self-signed ECDSA P-256 certificate and key for DTLS, made once at start-up.
 */
public final class DtlsCertificate {
    private DtlsCertificate() {}

    public static DtlsCertificate generate() {
        throw new UnsupportedOperationException("DTLS not built yet");
    }

    /** The SDP form "AB:CD:..." (uppercase hex, colon separated) of the SHA-256 fingerprint. */
    public String sha256Fingerprint() { throw new UnsupportedOperationException("DTLS not built yet"); }
}
