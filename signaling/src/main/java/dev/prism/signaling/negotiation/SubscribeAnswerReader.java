package dev.prism.signaling.negotiation;

import dev.prism.sdp.Direction;
import dev.prism.sdp.ExtMap;
import dev.prism.sdp.MediaDescription;
import dev.prism.sdp.RtpMap;
import dev.prism.sdp.SessionDescription;
import dev.prism.sdp.Setup;
import java.util.ArrayList;
import java.util.List;

/** Reads a subscriber's answer to a {@link SubscribeOfferer} offer into the negotiated model. */
final class SubscribeAnswerReader {
    private SubscribeAnswerReader() {}

    static NegotiationResult apply(SessionDescription offer, SessionDescription answer) {
        if (answer.media().size() != offer.media().size()) {
            throw new NegotiationException("answer has " + answer.media().size() + " m-lines, offer has "
                    + offer.media().size());
        }
        boolean anyAccepted = false;
        for (MediaDescription m : answer.media()) anyAccepted |= !m.rejected();
        // Every track gone: every line is rejected and carries no transport; the transport stays as it was.
        RemoteTransportParams remote = anyAccepted ? RemoteTransportParams.of(answer, "answer") : null;
        // We offered actpass and are passive: the answerer must take the active role (RFC 5763 §5).
        if (remote != null) {
            if (remote.setup() == Setup.PASSIVE) throw new NegotiationException("answer setup:passive is not supported");
            if (remote.setup() == Setup.ACTPASS) throw new NegotiationException("answer must not use setup:actpass");
            if (remote.setup() == Setup.HOLDCONN) throw new NegotiationException("answer setup:holdconn is not supported");
        }
        List<NegotiatedMedia> out = new ArrayList<>();
        for (int i = 0; i < offer.media().size(); i++) {
            MediaDescription o = offer.media().get(i);
            MediaDescription a = answer.media().get(i);
            if (o.rejected() || a.rejected()) continue;
            if (a.mid() != null && !a.mid().equals(o.mid())) {
                throw new NegotiationException("answer m-line " + i + " has mid " + a.mid() + ", offer has " + o.mid());
            }
            if (!a.media().equals(o.media())) {
                throw new NegotiationException("answer m-line " + i + " is " + a.media() + ", offer has " + o.media());
            }
            if (!a.rtcpMux()) throw new NegotiationException("answer m-line " + i + " has no a=rtcp-mux");
            List<NegotiatedCodec> codecs = codecs(o, a);
            if (codecs.isEmpty()) throw new NegotiationException("answer m-line " + i + " accepts none of the offered codecs");
            List<ExtMap> ext = new ArrayList<>();
            for (ExtMap e : a.extMaps()) if (o.extMaps().contains(new ExtMap(e.id(), e.uri()))) ext.add(e);
            Direction ours = a.effectiveDirection().reverse();
            String[] msid = SdpParts.msid(o);
            out.add(new NegotiatedMedia(o.mid(), o.kind(), ours, codecs, ExtensionIds.of(ext), SdpParts.ssrcs(o),
                    List.of(), msid[0], msid[1]));
        }
        return new NegotiationResult(offer, out, remote);
    }

    /** The offered codecs the answer kept, with the answer's supported feedback and RTX if kept. */
    private static List<NegotiatedCodec> codecs(MediaDescription offer, MediaDescription answer) {
        List<Integer> accepted = answer.payloadTypes();
        List<NegotiatedCodec> out = new ArrayList<>();
        for (int pt : offer.payloadTypes()) {
            RtpMap rm = offer.rtpMap(pt);
            if (rm == null || !accepted.contains(pt) || rm.encodingName().equalsIgnoreCase("rtx")) continue;
            int rtx = CodecPolicy.rtxFor(offer, pt);
            out.add(new NegotiatedCodec(pt, rm.encodingName(), rm.clockRate(), rm.channels(), offer.fmtp(pt),
                    CodecPolicy.feedback(answer, pt), rtx >= 0 && accepted.contains(rtx) ? rtx : -1));
        }
        return out;
    }
}
