package dev.prism.sdp;

import java.util.List;

/** {@code a=group:<semantics> <mid>...} (RFC 5888), e.g. BUNDLE (RFC 8843). */
public record Group(String semantics, List<String> mids) {
    public Group {
        mids = List.copyOf(mids);
    }

    static Group parse(String value) {
        List<String> t = SdpValues.tokens(value);
        if (t.isEmpty()) throw new SdpParseException("a=group has no semantics");
        return new Group(t.get(0), t.subList(1, t.size()));
    }

    String toSdpValue() {
        return mids.isEmpty() ? semantics : semantics + ' ' + String.join(" ", mids);
    }
}
