package dev.prism.signaling.negotiation;

import dev.prism.sdp.Direction;
import dev.prism.sdp.ExtMap;
import dev.prism.sdp.Group;
import dev.prism.sdp.MediaDescription;
import dev.prism.sdp.MediaKind;
import dev.prism.sdp.Msid;
import dev.prism.sdp.SessionDescription;
import dev.prism.sdp.Setup;
import dev.prism.sdp.SsrcAttribute;
import dev.prism.sdp.SsrcGroup;
import java.util.ArrayList;
import java.util.List;

/** Answers a viewer's recvonly offer (WHEP): room tracks are assigned to offered m= lines by kind. */
final class SubscribeAnswerer {
    private SubscribeAnswerer() {}

    static NegotiationResult answer(SessionDescription offer, LocalTransportParams local, List<OutgoingTrack> tracks) {
        Group bundle = SdpParts.requireBundle(offer);
        RemoteTransportParams remote = RemoteTransportParams.of(offer, "offer");
        SdpParts.requireOffererCanBeActive(remote.setup());
        boolean[] used = new boolean[tracks.size()];
        List<MediaDescription> answerMedia = new ArrayList<>();
        List<NegotiatedMedia> negotiated = new ArrayList<>();
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < offer.media().size(); i++) {
            MediaDescription m = offer.media().get(i);
            boolean av = m.kind() == MediaKind.AUDIO || m.kind() == MediaKind.VIDEO;
            List<NegotiatedCodec> fallback = av && !m.rejected() ? CodecPolicy.select(m) : List.of();
            if (fallback.isEmpty()) {
                answerMedia.add(SdpParts.rejected(m));
                continue;
            }
            SdpParts.requireBundledMux(m, i, bundle);
            OutgoingTrack track = null;
            NegotiatedCodec codec = null;
            if (m.effectiveDirection().receives()) {
                for (int t = 0; t < tracks.size() && track == null; t++) {
                    OutgoingTrack candidate = tracks.get(t);
                    if (used[t] || candidate.kind() != m.kind()) continue;
                    codec = CodecPolicy.match(m, candidate.codec(), candidate.rtxSsrc() != 0);
                    if (codec != null) {
                        track = candidate;
                        used[t] = true;
                    }
                }
            }
            MediaDescription.Builder b = SdpParts.transport(m.media(), m.mid(), local, Setup.PASSIVE, m.rtcpRsize());
            List<ExtMap> extMaps = SdpParts.acceptExtMaps(m);
            extMaps.forEach(b::extMap);
            Direction dir = track == null ? Direction.INACTIVE : Direction.SENDONLY;
            b.direction(dir);
            List<NegotiatedCodec> codecs = track == null ? fallback : List.of(codec);
            CodecPolicy.write(b, codecs, m);
            List<StreamSsrcs> ssrcs = List.of();
            if (track != null) {
                boolean rtx = codec.rtxPayloadType() >= 0 && track.rtxSsrc() != 0;
                writeTrack(b, track, rtx);
                ssrcs = List.of(new StreamSsrcs(track.ssrc(), rtx ? track.rtxSsrc() : 0));
            }
            answerMedia.add(b.build());
            accepted.add(m.mid());
            negotiated.add(new NegotiatedMedia(m.mid(), m.kind(), dir, codecs, ExtensionIds.of(extMaps), ssrcs,
                    List.of(), track == null ? null : track.streamId(), track == null ? null : track.trackId()));
        }
        if (accepted.isEmpty()) throw new NegotiationException("offer has no m-line with a supported codec");
        SessionDescription answer = SdpParts.session(local, 1, accepted,
                offer.hasAttribute(SdpParts.EXTMAP_ALLOW_MIXED), answerMedia);
        return new NegotiationResult(answer, negotiated, remote);
    }

    /** a=msid, then ssrc-group FID and per-SSRC cname/msid (RFC 5576 §4, RFC 8830 §2). */
    static void writeTrack(MediaDescription.Builder b, OutgoingTrack track, boolean rtx) {
        b.msid(new Msid(track.streamId(), track.trackId()));
        if (rtx) b.ssrcGroup(new SsrcGroup("FID", List.of(track.ssrc(), track.rtxSsrc())));
        String msid = track.streamId() + " " + track.trackId();
        b.ssrc(new SsrcAttribute(track.ssrc(), "cname", track.cname()));
        b.ssrc(new SsrcAttribute(track.ssrc(), "msid", msid));
        if (rtx) {
            b.ssrc(new SsrcAttribute(track.rtxSsrc(), "cname", track.cname()));
            b.ssrc(new SsrcAttribute(track.rtxSsrc(), "msid", msid));
        }
    }
}
