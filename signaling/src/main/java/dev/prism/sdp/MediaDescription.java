package dev.prism.sdp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One m= section with the WebRTC attributes Prism reads (RFC 8866, RFC 8829 §5). Optional values
 * are null (or -1/false/empty) when absent, so that parse(write(x)) equals x. rtpmap, fmtp and
 * rtcp-fb entries are kept sorted by the position of their payload type in {@code formats}
 * (stable), the order the writer emits them in.
 */
public record MediaDescription(
        String media, int port, int portCount, String proto, List<String> formats,
        List<SdpLine> extraLines, Connection connection, List<String> bandwidths,
        String iceUfrag, String icePwd, List<Fingerprint> fingerprints, Setup setup, String mid,
        List<ExtMap> extMaps, Direction direction, List<Msid> msids, boolean rtcpMux, boolean rtcpRsize,
        List<RtpMap> rtpMaps, List<Fmtp> fmtps, List<RtcpFb> rtcpFbs, List<Rid> rids, Simulcast simulcast,
        List<SsrcGroup> ssrcGroups, List<SsrcAttribute> ssrcs, List<Candidate> candidates, boolean endOfCandidates,
        List<Attribute> otherAttributes) {

    public MediaDescription {
        formats = List.copyOf(formats);
        extraLines = List.copyOf(extraLines);
        bandwidths = List.copyOf(bandwidths);
        fingerprints = List.copyOf(fingerprints);
        extMaps = List.copyOf(extMaps);
        msids = List.copyOf(msids);
        rtpMaps = sortedByFormat(rtpMaps, formats, RtpMap::payloadType);
        fmtps = sortedByFormat(fmtps, formats, Fmtp::payloadType);
        rtcpFbs = sortedByFormat(rtcpFbs, formats, RtcpFb::payloadType);
        rids = List.copyOf(rids);
        ssrcGroups = List.copyOf(ssrcGroups);
        ssrcs = List.copyOf(ssrcs);
        candidates = List.copyOf(candidates);
        otherAttributes = List.copyOf(otherAttributes);
    }

    public MediaKind kind() { return MediaKind.of(media); }

    public boolean rejected() { return port == 0; }

    /** The direction, defaulting to sendrecv when absent (RFC 8866 §6.7). */
    public Direction effectiveDirection() { return direction == null ? Direction.SENDRECV : direction; }

    public RtpMap rtpMap(int payloadType) {
        for (RtpMap m : rtpMaps) if (m.payloadType() == payloadType) return m;
        return null;
    }

    /** The fmtp parameters of a payload type, "" when it has none. */
    public String fmtp(int payloadType) {
        for (Fmtp f : fmtps) if (f.payloadType() == payloadType) return f.parameters();
        return "";
    }

    /** The feedback of one payload type, wildcard entries included. */
    public List<RtcpFb> rtcpFbs(int payloadType) {
        List<RtcpFb> out = new ArrayList<>();
        for (RtcpFb f : rtcpFbs) if (f.payloadType() == payloadType || f.payloadType() == RtcpFb.ANY) out.add(f);
        return out;
    }

    /** The numeric payload types of {@code formats} in order (non-numeric formats skipped). */
    public List<Integer> payloadTypes() {
        List<Integer> out = new ArrayList<>(formats.size());
        for (String f : formats) {
            int pt = formatPayloadType(f);
            if (pt >= 0 && !out.contains(pt)) out.add(pt);
        }
        return out;
    }

    public Builder toBuilder() { return new Builder(this); }

    public static Builder builder(String media, int port, String proto) {
        return new Builder(media, port, proto);
    }

    /** A format token as a payload type, or -1 when it is not one. */
    static int formatPayloadType(String format) {
        int n = format.length();
        if (n == 0 || n > 3) return -1;
        int v = 0;
        for (int i = 0; i < n; i++) {
            char c = format.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v <= 127 ? v : -1;
    }

    static int formatIndex(List<String> formats, int payloadType) {
        if (payloadType < 0) return Integer.MAX_VALUE;
        for (int i = 0; i < formats.size(); i++) if (formatPayloadType(formats.get(i)) == payloadType) return i;
        return Integer.MAX_VALUE;
    }

    private interface PtOf<T> { int pt(T t); }

    private static <T> List<T> sortedByFormat(List<T> items, List<String> formats, PtOf<T> pt) {
        List<T> copy = new ArrayList<>(items);
        copy.sort(Comparator.comparingInt(x -> formatIndex(formats, pt.pt(x))));
        return List.copyOf(copy);
    }

    /** Mutable builder, used by the parser and by negotiation to assemble m= sections. */
    public static final class Builder {
        private String media;
        private int port;
        private int portCount;
        private String proto;
        private List<String> formats = new ArrayList<>();
        private final List<SdpLine> extraLines = new ArrayList<>();
        private Connection connection;
        private final List<String> bandwidths = new ArrayList<>();
        private String iceUfrag;
        private String icePwd;
        private final List<Fingerprint> fingerprints = new ArrayList<>();
        private Setup setup;
        private String mid;
        private final List<ExtMap> extMaps = new ArrayList<>();
        private Direction direction;
        private final List<Msid> msids = new ArrayList<>();
        private boolean rtcpMux;
        private boolean rtcpRsize;
        private final List<RtpMap> rtpMaps = new ArrayList<>();
        private final List<Fmtp> fmtps = new ArrayList<>();
        private final List<RtcpFb> rtcpFbs = new ArrayList<>();
        private final List<Rid> rids = new ArrayList<>();
        private Simulcast simulcast;
        private final List<SsrcGroup> ssrcGroups = new ArrayList<>();
        private final List<SsrcAttribute> ssrcs = new ArrayList<>();
        private final List<Candidate> candidates = new ArrayList<>();
        private boolean endOfCandidates;
        private final List<Attribute> otherAttributes = new ArrayList<>();

        Builder(String media, int port, String proto) {
            this.media = media;
            this.port = port;
            this.proto = proto;
        }

        Builder(MediaDescription m) {
            this(m.media, m.port, m.proto);
            portCount = m.portCount;
            formats.addAll(m.formats);
            extraLines.addAll(m.extraLines);
            connection = m.connection;
            bandwidths.addAll(m.bandwidths);
            iceUfrag = m.iceUfrag;
            icePwd = m.icePwd;
            fingerprints.addAll(m.fingerprints);
            setup = m.setup;
            mid = m.mid;
            extMaps.addAll(m.extMaps);
            direction = m.direction;
            msids.addAll(m.msids);
            rtcpMux = m.rtcpMux;
            rtcpRsize = m.rtcpRsize;
            rtpMaps.addAll(m.rtpMaps);
            fmtps.addAll(m.fmtps);
            rtcpFbs.addAll(m.rtcpFbs);
            rids.addAll(m.rids);
            simulcast = m.simulcast;
            ssrcGroups.addAll(m.ssrcGroups);
            ssrcs.addAll(m.ssrcs);
            candidates.addAll(m.candidates);
            endOfCandidates = m.endOfCandidates;
            otherAttributes.addAll(m.otherAttributes);
        }

        public Builder port(int p) { port = p; return this; }
        public Builder portCount(int c) { portCount = c; return this; }
        public Builder formats(List<String> f) { formats = new ArrayList<>(f); return this; }
        public Builder addFormat(String f) { formats.add(f); return this; }
        public Builder extraLine(SdpLine l) { extraLines.add(l); return this; }
        public Builder connection(Connection c) { connection = c; return this; }
        public Builder bandwidth(String b) { bandwidths.add(b); return this; }
        public Builder iceUfrag(String u) { iceUfrag = u; return this; }
        public Builder icePwd(String p) { icePwd = p; return this; }
        public Builder fingerprint(Fingerprint f) { fingerprints.add(f); return this; }
        public Builder setup(Setup s) { setup = s; return this; }
        public Builder mid(String m) { mid = m; return this; }
        public Builder extMap(ExtMap e) { extMaps.add(e); return this; }
        public Builder direction(Direction d) { direction = d; return this; }
        public Builder msid(Msid m) { msids.add(m); return this; }
        public Builder rtcpMux(boolean b) { rtcpMux = b; return this; }
        public Builder rtcpRsize(boolean b) { rtcpRsize = b; return this; }
        public Builder rtpMap(RtpMap r) { rtpMaps.add(r); return this; }
        public Builder fmtp(Fmtp f) { fmtps.add(f); return this; }
        public Builder rtcpFb(RtcpFb f) { rtcpFbs.add(f); return this; }
        public Builder rid(Rid r) { rids.add(r); return this; }
        public Builder simulcast(Simulcast s) { simulcast = s; return this; }
        public Builder ssrcGroup(SsrcGroup g) { ssrcGroups.add(g); return this; }
        public Builder ssrc(SsrcAttribute s) { ssrcs.add(s); return this; }
        public Builder candidate(Candidate c) { candidates.add(c); return this; }
        public Builder endOfCandidates(boolean b) { endOfCandidates = b; return this; }
        public Builder attribute(Attribute a) { otherAttributes.add(a); return this; }

        /** Drops every payload-specific, SSRC and rid/simulcast entry: a clean m= section to fill. */
        public Builder clearMedia() {
            formats.clear();
            rtpMaps.clear();
            fmtps.clear();
            rtcpFbs.clear();
            ssrcGroups.clear();
            ssrcs.clear();
            msids.clear();
            rids.clear();
            simulcast = null;
            return this;
        }

        String mid() { return mid; }
        Direction direction() { return direction; }
        Setup setup() { return setup; }
        String iceUfrag() { return iceUfrag; }
        String icePwd() { return icePwd; }
        Simulcast simulcast() { return simulcast; }

        public MediaDescription build() {
            return new MediaDescription(media, port, portCount, proto, formats, extraLines, connection, bandwidths,
                    iceUfrag, icePwd, fingerprints, setup, mid, extMaps, direction, msids, rtcpMux, rtcpRsize,
                    rtpMaps, fmtps, rtcpFbs, rids, simulcast, ssrcGroups, ssrcs, candidates, endOfCandidates,
                    otherAttributes);
        }
    }
}
