package dev.prism.sdp;

/** {@code a=rtpmap:<pt> <encoding>/<clock>[/<channels>]} (RFC 8866 §6.6); channels 0 when absent. */
public record RtpMap(int payloadType, String encodingName, int clockRate, int channels) {

    static RtpMap parse(String value) {
        String[] h = SdpValues.head(value, 2);
        if (h == null) throw new SdpParseException("a=rtpmap needs a payload type and an encoding");
        if (h[2] != null) throw new SdpParseException("a=rtpmap has extra fields");
        int pt = SdpValues.payloadType(h[0]);
        String[] parts = h[1].split("/", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty()) {
            throw new SdpParseException("a=rtpmap encoding must be name/clock[/channels]: '" + h[1] + "'");
        }
        int clock = SdpValues.parseInt(parts[1], 1, Integer.MAX_VALUE, "rtpmap clock rate");
        int channels = parts.length == 3 ? SdpValues.parseInt(parts[2], 1, 255, "rtpmap channels") : 0;
        return new RtpMap(pt, parts[0], clock, channels);
    }

    String toSdpValue() {
        return payloadType + " " + encodingName + '/' + clockRate + (channels > 0 ? "/" + channels : "");
    }
}
