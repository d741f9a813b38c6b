package dev.prism.sdp;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code a=fmtp:<pt> <parameters>} (RFC 8866 §6.15); parameters are kept verbatim ("" when none). */
public record Fmtp(int payloadType, String parameters) {

    static Fmtp parse(String value) {
        String[] h = SdpValues.head(value, 1);
        if (h == null) throw new SdpParseException("a=fmtp has no payload type");
        return new Fmtp(SdpValues.payloadType(h[0]), h[1] == null ? "" : h[1]);
    }

    /** The {@code key=value;...} parameters as an ordered map (keys lower-cased; flags map to ""). */
    public Map<String, String> parameterMap() {
        return parameterMap(parameters);
    }

    public static Map<String, String> parameterMap(String parameters) {
        Map<String, String> out = new LinkedHashMap<>();
        if (parameters == null) return out;
        for (String p : parameters.split(";")) {
            String s = p.trim();
            if (s.isEmpty()) continue;
            int eq = s.indexOf('=');
            if (eq < 0) out.put(s.toLowerCase(java.util.Locale.ROOT), "");
            else out.put(s.substring(0, eq).trim().toLowerCase(java.util.Locale.ROOT), s.substring(eq + 1).trim());
        }
        return out;
    }

    String toSdpValue() {
        return parameters.isEmpty() ? Integer.toString(payloadType) : payloadType + " " + parameters;
    }
}
