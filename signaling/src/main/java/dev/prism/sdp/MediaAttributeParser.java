package dev.prism.sdp;

import static dev.prism.sdp.SdpParser.duplicate;
import static dev.prism.sdp.SdpParser.flag;
import static dev.prism.sdp.SdpParser.value;

/** Reads one media-level {@code a=} line into the m= section being built. */
final class MediaAttributeParser {
    private MediaAttributeParser() {}

    static void apply(MediaDescription.Builder m, String text) {
        String[] nv = SdpParser.nameValue(text);
        String name = nv[0];
        String v = nv[1];
        Direction dir = Direction.of(name);
        if (dir != null) {
            flag(name, v);
            if (m.direction() != null) throw new SdpParseException("more than one direction attribute");
            m.direction(dir);
            return;
        }
        switch (name) {
            case "mid" -> {
                if (m.mid() != null) throw duplicate(name);
                m.mid(value(name, v));
            }
            case "ice-ufrag" -> {
                if (m.iceUfrag() != null) throw duplicate(name);
                m.iceUfrag(value(name, v));
            }
            case "ice-pwd" -> {
                if (m.icePwd() != null) throw duplicate(name);
                m.icePwd(value(name, v));
            }
            case "setup" -> {
                if (m.setup() != null) throw duplicate(name);
                m.setup(Setup.parse(value(name, v)));
            }
            case "fingerprint" -> m.fingerprint(Fingerprint.parse(value(name, v)));
            case "extmap" -> m.extMap(ExtMap.parse(value(name, v)));
            case "msid" -> m.msid(Msid.parse(value(name, v)));
            case "rtcp-mux" -> {
                flag(name, v);
                m.rtcpMux(true);
            }
            case "rtcp-rsize" -> {
                flag(name, v);
                m.rtcpRsize(true);
            }
            case "end-of-candidates" -> {
                flag(name, v);
                m.endOfCandidates(true);
            }
            case "rtpmap" -> m.rtpMap(RtpMap.parse(value(name, v)));
            case "fmtp" -> m.fmtp(Fmtp.parse(value(name, v)));
            case "rtcp-fb" -> m.rtcpFb(RtcpFb.parse(value(name, v)));
            case "rid" -> m.rid(Rid.parse(value(name, v)));
            case "simulcast" -> {
                if (m.simulcast() != null) throw duplicate(name);
                m.simulcast(Simulcast.parse(value(name, v)));
            }
            case "ssrc" -> m.ssrc(SsrcAttribute.parse(value(name, v)));
            case "ssrc-group" -> m.ssrcGroup(SsrcGroup.parse(value(name, v)));
            case "candidate" -> m.candidate(Candidate.parse(value(name, v)));
            default -> m.attribute(new Attribute(name, v));
        }
    }
}
