package dev.prism.sdp;

import java.util.ArrayList;
import java.util.List;

/** {@code a=ssrc-group:<semantics> <ssrc>...} (RFC 5576 §4.2), e.g. FID (media, rtx) or SIM. */
public record SsrcGroup(String semantics, List<Long> ssrcs) {
    public SsrcGroup {
        ssrcs = List.copyOf(ssrcs);
    }

    static SsrcGroup parse(String value) {
        List<String> t = SdpValues.tokens(value);
        if (t.size() < 2) throw new SdpParseException("a=ssrc-group needs semantics and at least one SSRC");
        List<Long> ssrcs = new ArrayList<>();
        for (int i = 1; i < t.size(); i++) ssrcs.add(SdpValues.parseLong(t.get(i), 0, 0xFFFFFFFFL, "ssrc"));
        return new SsrcGroup(t.get(0), ssrcs);
    }

    String toSdpValue() {
        StringBuilder sb = new StringBuilder(semantics);
        for (Long s : ssrcs) sb.append(' ').append(s);
        return sb.toString();
    }
}
