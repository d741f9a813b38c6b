package dev.prism.sdp;

/** {@code a=setup} (RFC 4145 §4, RFC 5763 §5): who opens the DTLS association. */
public enum Setup {
    ACTPASS("actpass"), ACTIVE("active"), PASSIVE("passive"), HOLDCONN("holdconn");

    private final String token;

    Setup(String token) { this.token = token; }

    public String token() { return token; }

    static Setup parse(String value) {
        for (Setup s : values()) {
            if (s.token.equals(value)) return s;
        }
        throw new SdpParseException("unknown a=setup value '" + value + "'");
    }
}
