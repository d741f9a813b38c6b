package dev.prism.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code a=candidate} (RFC 8839 §5.1). {@code relatedPort} is -1 when absent; {@code extensions}
 * holds the remaining name/value tokens in order (e.g. generation 0, tcptype passive).
 */
public record Candidate(String foundation, int component, String transport, long priority, String address,
                        int port, String type, String relatedAddress, int relatedPort, List<String> extensions) {
    public Candidate {
        extensions = List.copyOf(extensions);
    }

    /** A UDP host candidate for component 1 (RTP; rtcp-mux is required). */
    public static Candidate host(String foundation, String address, int port, long priority) {
        return new Candidate(foundation, 1, "udp", priority, address, port, "host", null, -1, List.of());
    }

    public static Candidate parse(String value) {
        List<String> t = SdpValues.tokens(value);
        if (t.size() < 8) throw new SdpParseException("a=candidate needs at least 8 fields, has " + t.size());
        if (!"typ".equals(t.get(6))) throw new SdpParseException("a=candidate has no 'typ' before the type");
        int component = SdpValues.parseInt(t.get(1), 1, 256, "candidate component");
        long priority = SdpValues.parseLong(t.get(3), 0, 0xFFFFFFFFL, "candidate priority");
        int port = SdpValues.parseInt(t.get(5), 0, 65535, "candidate port");
        String relAddr = null;
        int relPort = -1;
        List<String> ext = new ArrayList<>();
        if ((t.size() - 8) % 2 != 0) throw new SdpParseException("a=candidate extension without a value");
        for (int i = 8; i + 1 < t.size(); i += 2) {
            String name = t.get(i);
            String v = t.get(i + 1);
            if (name.equals("raddr") && relAddr == null) {
                relAddr = v;
            } else if (name.equals("rport") && relPort < 0) {
                relPort = SdpValues.parseInt(v, 0, 65535, "candidate rport");
            } else {
                ext.add(name);
                ext.add(v);
            }
        }
        return new Candidate(t.get(0), component, t.get(2), priority, t.get(4), port, t.get(7), relAddr, relPort, ext);
    }

    /** The attribute value, without the {@code candidate:} prefix. */
    public String toSdpValue() {
        StringBuilder sb = new StringBuilder(96);
        sb.append(foundation).append(' ').append(component).append(' ').append(transport).append(' ')
                .append(priority).append(' ').append(address).append(' ').append(port).append(" typ ").append(type);
        if (relatedAddress != null) sb.append(" raddr ").append(relatedAddress);
        if (relatedPort >= 0) sb.append(" rport ").append(relatedPort);
        for (String e : extensions) sb.append(' ').append(e);
        return sb.toString();
    }
}
