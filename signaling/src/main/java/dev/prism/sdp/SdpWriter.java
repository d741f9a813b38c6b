package dev.prism.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes a {@link SessionDescription} as SDP text with CRLF line ends, in a fixed attribute order
 * close to Chromium's, unknown attributes last in their original order. For any model the parser
 * produced, {@code SdpParser.parse(SdpWriter.write(x)).equals(x)}.
 */
public final class SdpWriter {
    private SdpWriter() {}

    public static String write(SessionDescription sd) {
        StringBuilder sb = new StringBuilder(4096);
        line(sb, 'v', "0");
        line(sb, 'o', sd.origin().toSdpValue());
        line(sb, 's', sd.sessionName());
        for (SdpLine l : sd.extraLines()) line(sb, l.type(), l.value());
        if (sd.connection() != null) line(sb, 'c', sd.connection().toSdpValue());
        for (String b : sd.bandwidths()) line(sb, 'b', b);
        line(sb, 't', sd.timing());
        for (Group g : sd.groups()) attr(sb, "group", g.toSdpValue());
        if (sd.iceLite()) attr(sb, "ice-lite", null);
        if (sd.iceUfrag() != null) attr(sb, "ice-ufrag", sd.iceUfrag());
        if (sd.icePwd() != null) attr(sb, "ice-pwd", sd.icePwd());
        for (Fingerprint f : sd.fingerprints()) attr(sb, "fingerprint", f.toSdpValue());
        if (sd.setup() != null) attr(sb, "setup", sd.setup().token());
        for (Attribute a : sd.otherAttributes()) attr(sb, a.name(), a.value());
        for (MediaDescription m : sd.media()) writeMedia(sb, m);
        return sb.toString();
    }

    private static void writeMedia(StringBuilder sb, MediaDescription m) {
        sb.append("m=").append(m.media()).append(' ').append(m.port());
        if (m.portCount() > 0) sb.append('/').append(m.portCount());
        sb.append(' ').append(m.proto());
        for (String f : m.formats()) sb.append(' ').append(f);
        sb.append("\r\n");
        for (SdpLine l : m.extraLines()) line(sb, l.type(), l.value());
        if (m.connection() != null) line(sb, 'c', m.connection().toSdpValue());
        for (String b : m.bandwidths()) line(sb, 'b', b);
        if (m.iceUfrag() != null) attr(sb, "ice-ufrag", m.iceUfrag());
        if (m.icePwd() != null) attr(sb, "ice-pwd", m.icePwd());
        for (Fingerprint f : m.fingerprints()) attr(sb, "fingerprint", f.toSdpValue());
        if (m.setup() != null) attr(sb, "setup", m.setup().token());
        if (m.mid() != null) attr(sb, "mid", m.mid());
        for (ExtMap e : m.extMaps()) attr(sb, "extmap", e.toSdpValue());
        if (m.direction() != null) attr(sb, m.direction().token(), null);
        for (Msid id : m.msids()) attr(sb, "msid", id.toSdpValue());
        if (m.rtcpMux()) attr(sb, "rtcp-mux", null);
        if (m.rtcpRsize()) attr(sb, "rtcp-rsize", null);
        writePayloadAttributes(sb, m);
        for (Rid r : m.rids()) attr(sb, "rid", r.toSdpValue());
        if (m.simulcast() != null) attr(sb, "simulcast", m.simulcast().toSdpValue());
        for (SsrcGroup g : m.ssrcGroups()) attr(sb, "ssrc-group", g.toSdpValue());
        for (SsrcAttribute s : m.ssrcs()) attr(sb, "ssrc", s.toSdpValue());
        for (Candidate c : m.candidates()) attr(sb, "candidate", c.toSdpValue());
        if (m.endOfCandidates()) attr(sb, "end-of-candidates", null);
        for (Attribute a : m.otherAttributes()) attr(sb, a.name(), a.value());
    }

    /** rtpmap, rtcp-fb, fmtp grouped per payload type in m= order; entries for other types after. */
    private static void writePayloadAttributes(StringBuilder sb, MediaDescription m) {
        List<Integer> pts = m.payloadTypes();
        for (int pt : pts) {
            for (RtpMap r : m.rtpMaps()) if (r.payloadType() == pt) attr(sb, "rtpmap", r.toSdpValue());
            for (RtcpFb f : m.rtcpFbs()) if (f.payloadType() == pt) attr(sb, "rtcp-fb", f.toSdpValue());
            for (Fmtp f : m.fmtps()) if (f.payloadType() == pt) attr(sb, "fmtp", f.toSdpValue());
        }
        List<Integer> listed = new ArrayList<>(pts);
        for (RtpMap r : m.rtpMaps()) if (!listed.contains(r.payloadType())) attr(sb, "rtpmap", r.toSdpValue());
        for (RtcpFb f : m.rtcpFbs()) if (!listed.contains(f.payloadType())) attr(sb, "rtcp-fb", f.toSdpValue());
        for (Fmtp f : m.fmtps()) if (!listed.contains(f.payloadType())) attr(sb, "fmtp", f.toSdpValue());
    }

    private static void line(StringBuilder sb, char type, String value) {
        sb.append(type).append('=').append(value).append("\r\n");
    }

    private static void attr(StringBuilder sb, String name, String value) {
        sb.append("a=").append(name);
        if (value != null) sb.append(':').append(value);
        sb.append("\r\n");
    }
}
