package dev.prism.signaling.negotiation;

import dev.prism.sdp.Attribute;
import dev.prism.sdp.Candidate;
import dev.prism.sdp.Connection;
import dev.prism.sdp.ExtMap;
import dev.prism.sdp.Group;
import dev.prism.sdp.MediaDescription;
import dev.prism.sdp.Msid;
import dev.prism.sdp.Origin;
import dev.prism.sdp.SessionDescription;
import dev.prism.sdp.Setup;
import dev.prism.sdp.SsrcAttribute;
import dev.prism.sdp.SsrcGroup;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Pieces shared by the answerers and the offerer: checks, transport attributes, session skeleton. */
final class SdpParts {
    static final String EXTMAP_ALLOW_MIXED = "extmap-allow-mixed";

    private SdpParts() {}

    /** The offer's BUNDLE group; Prism runs every m= line over one transport (RFC 8843). */
    static Group requireBundle(SessionDescription offer) {
        Group g = offer.group("BUNDLE");
        if (g == null || g.mids().isEmpty()) throw new NegotiationException("offer has no a=group:BUNDLE (BUNDLE is required)");
        requireUniqueMids(offer);
        return g;
    }

    /**
     * No two m= lines share a mid (RFC 5888 §4; RFC 8843 routes by it). Prism keys tracks by it: a
     * second line with the same mid published one track and then failed on the second.
     */
    static void requireUniqueMids(SessionDescription offer) {
        Set<String> seen = new HashSet<>();
        for (MediaDescription m : offer.media()) {
            if (m.mid() != null && !seen.add(m.mid())) {
                throw new NegotiationException("two m-lines have a=mid:" + m.mid() + " (a mid must be unique, RFC 5888 §4)");
            }
        }
    }

    /** Prism is DTLS passive (RFC 5763 §5): the offerer must be able to be active. */
    static void requireOffererCanBeActive(Setup offered) {
        if (offered == Setup.PASSIVE) throw new NegotiationException("setup:passive offers are not supported");
        if (offered == Setup.HOLDCONN) throw new NegotiationException("setup:holdconn offers are not supported");
    }

    /** An accepted m= line must be in the BUNDLE group, have a mid and use rtcp-mux (RFC 8843, RFC 8829 §5.1.3). */
    static void requireBundledMux(MediaDescription m, int index, Group bundle) {
        if (m.mid() == null) throw new NegotiationException("m-line " + index + " has no a=mid");
        if (!bundle.mids().contains(m.mid())) {
            throw new NegotiationException("m-line " + index + " (mid " + m.mid() + ") is not in the BUNDLE group");
        }
        if (!m.rtcpMux()) {
            throw new NegotiationException("m-line " + index + " (mid " + m.mid() + ") has no a=rtcp-mux (rtcp-mux is required)");
        }
    }

    /** A fresh m= line carrying Prism's transport: ICE credentials, fingerprint, setup, mux, candidates. */
    static MediaDescription.Builder transport(String media, String mid, LocalTransportParams local, Setup setup,
                                              boolean rtcpRsize) {
        MediaDescription.Builder b = MediaDescription.builder(media, 9, "UDP/TLS/RTP/SAVPF")
                .connection(Connection.ANY_IPV4).iceUfrag(local.iceUfrag()).icePwd(local.icePwd())
                .fingerprint(local.parsedFingerprint()).setup(setup).mid(mid).rtcpMux(true).rtcpRsize(rtcpRsize);
        for (Candidate c : local.candidates()) b.candidate(c);
        // ICE-lite has all its candidates up front (RFC 8838 §8.2).
        return b.endOfCandidates(true);
    }

    /** An answer line refusing an offered m= line: port 0, same formats, mid kept (RFC 8829 §5.3.1). */
    static MediaDescription rejected(MediaDescription offered) {
        MediaDescription.Builder b = MediaDescription.builder(offered.media(), 0, offered.proto())
                .formats(offered.formats()).connection(Connection.ANY_IPV4);
        if (offered.mid() != null) b.mid(offered.mid());
        return b.build();
    }

    /** The supported extmaps of an offered m= line with the offer's ids; directions mirrored (RFC 8285 §6). */
    static List<ExtMap> acceptExtMaps(MediaDescription offered) {
        List<ExtMap> out = new ArrayList<>();
        for (ExtMap e : offered.extMaps()) {
            if (!ExtensionIds.supported(e.uri())) continue;
            out.add(new ExtMap(e.id(), e.direction() == null ? null : e.direction().reverse(), e.uri(), null));
        }
        return out;
    }

    static SessionDescription session(LocalTransportParams local, long version, List<String> bundleMids,
                                      boolean allowMixed, List<MediaDescription> media) {
        List<Group> groups = bundleMids.isEmpty() ? List.of() : List.of(new Group("BUNDLE", bundleMids));
        List<Attribute> attrs = allowMixed ? List.of(new Attribute(EXTMAP_ALLOW_MIXED, null)) : List.of();
        Origin origin = new Origin("prism", sessionId(local), version, "IN", "IP4", "0.0.0.0");
        return new SessionDescription(origin, "-", List.of(), null, List.of(), "0 0", groups, local.iceLite(), null,
                null, List.of(), null, attrs, media);
    }

    /** A stable numeric session id derived from the ufrag (pure: no clock or randomness). */
    static String sessionId(LocalTransportParams local) {
        long h = 1125899906842597L;
        for (int i = 0; i < local.iceUfrag().length(); i++) h = 31 * h + local.iceUfrag().charAt(i);
        return Long.toString(h & Long.MAX_VALUE);
    }

    /** Media SSRCs with their RTX partner from a=ssrc-group:FID (RFC 5576 §4.2, RFC 4588 §8). */
    static List<StreamSsrcs> ssrcs(MediaDescription m) {
        Set<Long> all = new LinkedHashSet<>();
        for (SsrcGroup g : m.ssrcGroups()) all.addAll(g.ssrcs());
        for (SsrcAttribute s : m.ssrcs()) all.add(s.ssrc());
        List<Long> rtx = new ArrayList<>();
        List<Long> primaries = new ArrayList<>();
        for (SsrcGroup g : m.ssrcGroups()) {
            if (g.semantics().equals("FID") && g.ssrcs().size() == 2) {
                primaries.add(g.ssrcs().get(0));
                rtx.add(g.ssrcs().get(1));
            }
        }
        List<StreamSsrcs> out = new ArrayList<>();
        for (long s : all) {
            if (rtx.contains(s)) continue;
            int i = primaries.indexOf(s);
            out.add(new StreamSsrcs(s, i >= 0 ? rtx.get(i) : 0));
        }
        return out;
    }

    /** {stream id, track id} from a=msid, else from an a=ssrc msid attribute; nulls when absent. */
    static String[] msid(MediaDescription m) {
        if (!m.msids().isEmpty()) {
            Msid id = m.msids().get(0);
            return new String[] {id.streamId(), id.trackId()};
        }
        for (SsrcAttribute s : m.ssrcs()) {
            if (s.attribute().equals("msid") && s.value() != null) {
                String[] parts = s.value().trim().split(" +", 2);
                return new String[] {parts[0], parts.length > 1 ? parts[1] : null};
            }
        }
        return new String[] {null, null};
    }
}
