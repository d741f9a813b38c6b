package dev.prism.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code a=simulcast} (RFC 8853 §5.1): send and recv lists of simulcast streams, each stream a
 * list of alternative rids (usually one). An empty list means the direction is absent.
 */
public record Simulcast(List<List<Layer>> send, List<List<Layer>> recv) {
    /** One rid in a simulcast stream; {@code paused} is the {@code ~} prefix. */
    public record Layer(String rid, boolean paused) {}

    public Simulcast {
        send = copy(send);
        recv = copy(recv);
    }

    /** One rid per stream, none paused, e.g. {@code simple(List.of("q","h","f"), List.of())}. */
    public static Simulcast simple(List<String> sendRids, List<String> recvRids) {
        return new Simulcast(single(sendRids), single(recvRids));
    }

    /** The first alternative of each stream in the given direction list. */
    public static List<String> firstRids(List<List<Layer>> streams) {
        List<String> out = new ArrayList<>(streams.size());
        for (List<Layer> s : streams) out.add(s.get(0).rid());
        return out;
    }

    static Simulcast parse(String value) {
        List<String> t = SdpValues.tokens(value);
        if (t.isEmpty() || t.size() % 2 != 0 || t.size() > 4) {
            throw new SdpParseException("a=simulcast must be 'send <list>' and/or 'recv <list>'");
        }
        List<List<Layer>> send = null;
        List<List<Layer>> recv = null;
        for (int i = 0; i < t.size(); i += 2) {
            List<List<Layer>> list = parseList(t.get(i + 1));
            switch (t.get(i)) {
                case "send" -> {
                    if (send != null) throw new SdpParseException("a=simulcast has two send lists");
                    send = list;
                }
                case "recv" -> {
                    if (recv != null) throw new SdpParseException("a=simulcast has two recv lists");
                    recv = list;
                }
                default -> throw new SdpParseException("a=simulcast direction must be send or recv: '" + t.get(i) + "'");
            }
        }
        return new Simulcast(send == null ? List.of() : send, recv == null ? List.of() : recv);
    }

    private static List<List<Layer>> parseList(String text) {
        List<List<Layer>> streams = new ArrayList<>();
        for (String stream : text.split(";", -1)) {
            List<Layer> alts = new ArrayList<>();
            for (String alt : stream.split(",", -1)) {
                boolean paused = alt.startsWith("~");
                String rid = paused ? alt.substring(1) : alt;
                if (rid.isEmpty()) throw new SdpParseException("a=simulcast has an empty rid in '" + text + "'");
                alts.add(new Layer(rid, paused));
            }
            streams.add(alts);
        }
        return streams;
    }

    String toSdpValue() {
        StringBuilder sb = new StringBuilder();
        if (!send.isEmpty()) append(sb.append("send "), send);
        if (!recv.isEmpty()) append(sb.append(sb.isEmpty() ? "recv " : " recv "), recv);
        return sb.toString();
    }

    private static void append(StringBuilder sb, List<List<Layer>> streams) {
        for (int i = 0; i < streams.size(); i++) {
            if (i > 0) sb.append(';');
            List<Layer> alts = streams.get(i);
            for (int j = 0; j < alts.size(); j++) {
                if (j > 0) sb.append(',');
                if (alts.get(j).paused()) sb.append('~');
                sb.append(alts.get(j).rid());
            }
        }
    }

    private static List<List<Layer>> copy(List<List<Layer>> streams) {
        List<List<Layer>> out = new ArrayList<>(streams.size());
        for (List<Layer> s : streams) {
            if (s.isEmpty()) throw new IllegalArgumentException("a simulcast stream needs at least one rid");
            out.add(List.copyOf(s));
        }
        return List.copyOf(out);
    }

    private static List<List<Layer>> single(List<String> rids) {
        List<List<Layer>> out = new ArrayList<>(rids.size());
        for (String r : rids) out.add(List.of(new Layer(r, false)));
        return out;
    }
}
