package dev.prism.signaling.negotiation;

import dev.prism.sdp.Connection;
import dev.prism.sdp.Direction;
import dev.prism.sdp.ExtMap;
import dev.prism.sdp.MediaDescription;
import dev.prism.sdp.MediaKind;
import dev.prism.sdp.RtpMap;
import dev.prism.sdp.SessionDescription;
import dev.prism.sdp.Setup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Server-side offers of the subscribe connection: one sendonly m= line per track, mids stable
 * across renegotiations, removed tracks' lines set to port 0 and recycled later for the same
 * kind with a fresh mid (RFC 8829 §5.2.2).
 */
final class SubscribeOfferer {
    /** Prism's extension ids on the subscribe connection. */
    static final List<ExtMap> AUDIO_EXTENSIONS = List.of(new ExtMap(1, ExtensionIds.AUDIO_LEVEL),
            new ExtMap(2, ExtensionIds.ABS_SEND_TIME), new ExtMap(3, ExtensionIds.TWCC), new ExtMap(4, ExtensionIds.MID));
    static final List<ExtMap> VIDEO_EXTENSIONS = List.of(new ExtMap(2, ExtensionIds.ABS_SEND_TIME),
            new ExtMap(3, ExtensionIds.TWCC), new ExtMap(4, ExtensionIds.MID),
            new ExtMap(5, ExtensionIds.DEPENDENCY_DESCRIPTOR));

    private SubscribeOfferer() {}

    static SessionDescription offer(LocalTransportParams local, List<OutgoingTrack> tracks, SessionDescription previous) {
        List<MediaDescription> prev = previous == null ? List.of() : previous.media();
        Map<String, OutgoingTrack> byId = new HashMap<>();
        for (OutgoingTrack t : tracks) byId.put(t.trackId(), t);
        PayloadTypes pts = new PayloadTypes();
        int nextMid = 0;
        OutgoingTrack[] kept = new OutgoingTrack[prev.size()];
        for (int j = 0; j < prev.size(); j++) {
            MediaDescription m = prev.get(j);
            nextMid = Math.max(nextMid, numericMid(m.mid()) + 1);
            String trackId = SdpParts.msid(m)[1];
            OutgoingTrack t = m.rejected() || trackId == null ? null : byId.get(trackId);
            if (t != null && t.kind() == m.kind()) {
                byId.remove(trackId);
                kept[j] = t;
                reservePrevious(pts, m, t);
            }
        }
        List<MediaDescription> media = new ArrayList<>();
        for (int j = 0; j < prev.size(); j++) {
            MediaDescription m = prev.get(j);
            if (kept[j] != null) media.add(active(local, m.mid(), kept[j], pts));
            else media.add(m.rejected() ? m : removed(m));
        }
        for (OutgoingTrack t : tracks) {
            if (!byId.containsKey(t.trackId())) continue;
            MediaDescription line = active(local, Integer.toString(nextMid++), t, pts);
            int slot = recyclable(prev, media, t.kind());
            if (slot >= 0) media.set(slot, line);
            else media.add(line);
        }
        List<String> bundle = new ArrayList<>();
        for (MediaDescription m : media) if (!m.rejected()) bundle.add(m.mid());
        SessionDescription sd = SdpParts.session(local, 1, bundle, true, media);
        if (previous == null) return sd;
        return new SessionDescription(previous.origin().withVersion(previous.origin().sessionVersion() + 1),
                sd.sessionName(), sd.extraLines(), sd.connection(), sd.bandwidths(), sd.timing(), sd.groups(),
                sd.iceLite(), sd.iceUfrag(), sd.icePwd(), sd.fingerprints(), sd.setup(), sd.otherAttributes(), media);
    }

    private static MediaDescription active(LocalTransportParams local, String mid, OutgoingTrack t, PayloadTypes pts) {
        MediaDescription.Builder b = SdpParts.transport(t.kind().token(), mid, local, Setup.ACTPASS, true);
        (t.kind() == MediaKind.AUDIO ? AUDIO_EXTENSIONS : VIDEO_EXTENSIONS).forEach(b::extMap);
        b.direction(Direction.SENDONLY);
        Codec c = t.codec();
        List<String> fb = new ArrayList<>();
        for (String f : c.rtcpFb()) if (CodecPolicy.SUPPORTED_FEEDBACK.contains(f)) fb.add(f);
        int pt = pts.codec(c);
        boolean rtx = t.rtxSsrc() != 0;
        CodecPolicy.write(b, List.of(new NegotiatedCodec(pt, c.name(), c.clockRate(), c.channels(), c.fmtp(), fb,
                rtx ? pts.rtx(c) : -1)), null);
        SubscribeAnswerer.writeTrack(b, t, rtx);
        return b.build();
    }

    /** A removed track's line: port 0, inactive, out of BUNDLE, mid and formats kept. */
    private static MediaDescription removed(MediaDescription m) {
        MediaDescription.Builder b = MediaDescription.builder(m.media(), 0, m.proto()).formats(m.formats())
                .connection(Connection.ANY_IPV4).mid(m.mid()).direction(Direction.INACTIVE).rtcpMux(true);
        m.rtpMaps().forEach(b::rtpMap);
        m.fmtps().forEach(b::fmtp);
        return b.build();
    }

    private static void reservePrevious(PayloadTypes pts, MediaDescription m, OutgoingTrack t) {
        for (int pt : m.payloadTypes()) {
            RtpMap rm = m.rtpMap(pt);
            if (rm == null) continue;
            if (CodecPolicy.sameCodec(rm, m.fmtp(pt), t.codec())) pts.reserve(PayloadTypes.key(t.codec()), pt);
            else if (rm.encodingName().equalsIgnoreCase("rtx")) pts.reserve(PayloadTypes.rtxKey(t.codec()), pt);
        }
    }

    /** A line that was already rejected in the previous offer, of this kind, not yet reused. */
    private static int recyclable(List<MediaDescription> prev, List<MediaDescription> media, MediaKind kind) {
        for (int j = 0; j < prev.size(); j++) {
            if (prev.get(j).rejected() && media.get(j) == prev.get(j) && prev.get(j).kind() == kind) return j;
        }
        return -1;
    }

    private static int numericMid(String mid) {
        if (mid == null || mid.isEmpty() || mid.length() > 9) return -1;
        for (int i = 0; i < mid.length(); i++) if (mid.charAt(i) < '0' || mid.charAt(i) > '9') return -1;
        return Integer.parseInt(mid);
    }
}
