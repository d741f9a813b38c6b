package dev.prism.sdp;

import java.util.List;

/** The o= line (RFC 8866 §5.2). The session id is kept as text: some stacks exceed 63 bits. */
public record Origin(String username, String sessionId, long sessionVersion, String netType, String addrType,
                     String address) {

    public Origin withVersion(long version) {
        return new Origin(username, sessionId, version, netType, addrType, address);
    }

    static Origin parse(String value) {
        List<String> t = SdpValues.tokens(value);
        if (t.size() != 6) throw new SdpParseException("o= line needs 6 fields, has " + t.size());
        SdpValues.parseLong(t.get(1), 0, Long.MAX_VALUE, "o= session id");
        long version = SdpValues.parseLong(t.get(2), 0, Long.MAX_VALUE, "o= session version");
        return new Origin(t.get(0), t.get(1), version, t.get(3), t.get(4), t.get(5));
    }

    String toSdpValue() {
        return username + ' ' + sessionId + ' ' + sessionVersion + ' ' + netType + ' ' + addrType + ' ' + address;
    }
}
