package dev.prism.sdp;

/** {@code a=ssrc:<ssrc> <attribute>[:<value>]} (RFC 5576 §4.1), e.g. cname or msid; value null when absent. */
public record SsrcAttribute(long ssrc, String attribute, String value) {

    static SsrcAttribute parse(String value) {
        String[] h = SdpValues.head(value, 1);
        if (h == null) throw new SdpParseException("a=ssrc has no SSRC");
        long ssrc = SdpValues.parseLong(h[0], 0, 0xFFFFFFFFL, "ssrc");
        if (h[1] == null) throw new SdpParseException("a=ssrc:" + h[0] + " has no attribute");
        int colon = h[1].indexOf(':');
        if (colon == 0) throw new SdpParseException("a=ssrc attribute has no name");
        return colon < 0 ? new SsrcAttribute(ssrc, h[1], null)
                : new SsrcAttribute(ssrc, h[1].substring(0, colon), h[1].substring(colon + 1));
    }

    String toSdpValue() {
        return ssrc + " " + attribute + (value != null ? ":" + value : "");
    }
}
