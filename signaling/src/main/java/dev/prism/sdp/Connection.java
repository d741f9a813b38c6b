package dev.prism.sdp;

import java.util.List;

/** A c= line (RFC 8866 §5.7); the address keeps any /ttl suffix verbatim. */
public record Connection(String netType, String addrType, String address) {
    public static final Connection ANY_IPV4 = new Connection("IN", "IP4", "0.0.0.0");

    static Connection parse(String value) {
        List<String> t = SdpValues.tokens(value);
        if (t.size() != 3) throw new SdpParseException("c= line needs 3 fields, has " + t.size());
        return new Connection(t.get(0), t.get(1), t.get(2));
    }

    String toSdpValue() {
        return netType + ' ' + addrType + ' ' + address;
    }
}
