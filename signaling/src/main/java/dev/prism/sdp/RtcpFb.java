package dev.prism.sdp;

/**
 * {@code a=rtcp-fb:<pt> <type> [<parameter>]} (RFC 4585 §4.2); payload type -1 is the wildcard
 * {@code *}. {@code parameter} is null when absent, e.g. {@code nack} versus {@code nack pli}.
 */
public record RtcpFb(int payloadType, String type, String parameter) {
    public static final int ANY = -1;

    static RtcpFb parse(String value) {
        String[] h = SdpValues.head(value, 2);
        if (h == null) throw new SdpParseException("a=rtcp-fb needs a payload type and a type");
        int pt = "*".equals(h[0]) ? ANY : SdpValues.payloadType(h[0]);
        return new RtcpFb(pt, h[1], h[2]);
    }

    /** {@code "nack"}, {@code "nack pli"}, ... : the feedback without its payload type. */
    public String feedback() {
        return parameter == null ? type : type + ' ' + parameter;
    }

    String toSdpValue() {
        return (payloadType == ANY ? "*" : Integer.toString(payloadType)) + ' ' + feedback();
    }
}
