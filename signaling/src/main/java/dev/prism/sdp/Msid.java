package dev.prism.sdp;

/** {@code a=msid:<stream id> [<track id>]} (RFC 8830 §2); trackId null when absent. */
public record Msid(String streamId, String trackId) {

    static Msid parse(String value) {
        String[] h = SdpValues.head(value, 1);
        if (h == null) throw new SdpParseException("a=msid has no stream id");
        if (h[1] != null && h[1].indexOf(' ') >= 0) throw new SdpParseException("a=msid has extra fields");
        return new Msid(h[0], h[1]);
    }

    String toSdpValue() {
        return trackId == null ? streamId : streamId + ' ' + trackId;
    }
}
