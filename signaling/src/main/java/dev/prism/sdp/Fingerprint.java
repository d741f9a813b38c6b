package dev.prism.sdp;

/** {@code a=fingerprint:<hash-func> <fingerprint>} (RFC 8122 §5). */
public record Fingerprint(String hashFunction, String value) {

    /** Parses the attribute value, e.g. {@code "sha-256 AB:CD:..."}. */
    public static Fingerprint parse(String value) {
        String[] h = SdpValues.head(value, 2);
        if (h == null) throw new SdpParseException("a=fingerprint needs a hash function and a value");
        if (h[2] != null) throw new SdpParseException("a=fingerprint has extra fields");
        return new Fingerprint(h[0], h[1]);
    }

    /** The attribute value, e.g. {@code "sha-256 AB:CD:..."}. */
    public String toSdpValue() {
        return hashFunction + ' ' + value;
    }
}
