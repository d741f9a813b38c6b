package dev.prism.signaling.negotiation;

import dev.prism.sdp.Direction;
import dev.prism.sdp.ExtMap;
import dev.prism.sdp.Group;
import dev.prism.sdp.MediaDescription;
import dev.prism.sdp.MediaKind;
import dev.prism.sdp.Rid;
import dev.prism.sdp.SessionDescription;
import dev.prism.sdp.Setup;
import dev.prism.sdp.Simulcast;
import java.util.ArrayList;
import java.util.List;

/** Answers a publisher's offer (WebSocket publish connection or WHIP): Prism receives. */
final class PublishAnswerer {
    private PublishAnswerer() {}

    static NegotiationResult answer(SessionDescription offer, LocalTransportParams local) {
        Group bundle = SdpParts.requireBundle(offer);
        RemoteTransportParams remote = RemoteTransportParams.of(offer, "offer");
        SdpParts.requireOffererCanBeActive(remote.setup());
        List<MediaDescription> answerMedia = new ArrayList<>();
        List<NegotiatedMedia> negotiated = new ArrayList<>();
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < offer.media().size(); i++) {
            MediaDescription m = offer.media().get(i);
            List<NegotiatedCodec> codecs = acceptable(m) ? CodecPolicy.select(m) : List.of();
            if (codecs.isEmpty()) {
                answerMedia.add(SdpParts.rejected(m));
                continue;
            }
            SdpParts.requireBundledMux(m, i, bundle);
            Direction dir = m.effectiveDirection().sends() ? Direction.RECVONLY : Direction.INACTIVE;
            MediaDescription.Builder b = SdpParts.transport(m.media(), m.mid(), local, Setup.PASSIVE, m.rtcpRsize());
            List<ExtMap> extMaps = SdpParts.acceptExtMaps(m);
            extMaps.forEach(b::extMap);
            b.direction(dir);
            CodecPolicy.write(b, codecs, m);
            List<String> rids = simulcast(m, b);
            answerMedia.add(b.build());
            accepted.add(m.mid());
            String[] msid = SdpParts.msid(m);
            negotiated.add(new NegotiatedMedia(m.mid(), m.kind(), dir, codecs, ExtensionIds.of(extMaps),
                    SdpParts.ssrcs(m), rids, msid[0], msid[1]));
        }
        if (accepted.isEmpty()) throw new NegotiationException("offer has no m-line with a supported codec");
        SessionDescription answer = SdpParts.session(local, 1, accepted,
                offer.hasAttribute(SdpParts.EXTMAP_ALLOW_MIXED), answerMedia);
        return new NegotiationResult(answer, negotiated, remote);
    }

    private static boolean acceptable(MediaDescription m) {
        return !m.rejected() && (m.kind() == MediaKind.AUDIO || m.kind() == MediaKind.VIDEO)
                && m.proto().endsWith("SAVPF");
    }

    /**
     * Mirrors the offer's simulcast send list as recv (RFC 8853 §5.3) with an {@code a=rid:X recv}
     * per rid; returns the rids in the publisher's order (the first alternative of each stream).
     */
    private static List<String> simulcast(MediaDescription m, MediaDescription.Builder b) {
        Simulcast s = m.simulcast();
        if (s == null || s.send().isEmpty()) {
            List<String> rids = new ArrayList<>();
            for (Rid r : m.rids()) if (r.direction() == Rid.Direction.SEND) rids.add(r.id());
            return rids;
        }
        for (List<Simulcast.Layer> stream : s.send()) {
            for (Simulcast.Layer layer : stream) b.rid(new Rid(layer.rid(), Rid.Direction.RECV, null));
        }
        b.simulcast(new Simulcast(List.of(), s.send()));
        return Simulcast.firstRids(s.send());
    }
}
