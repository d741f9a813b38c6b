package dev.prism.signaling.media;

import dev.prism.sdp.Candidate;
import dev.prism.sdp.MediaKind;
import dev.prism.sdp.Setup;
import dev.prism.sfu.room.DownTrackSpec;
import dev.prism.sfu.room.PublishedTrackSpec;
import dev.prism.sfu.room.TrackSource;
import dev.prism.sfu.transport.LocalTransportInfo;
import dev.prism.sfu.transport.RemoteTransportInfo;
import dev.prism.signaling.SignalingException;
import dev.prism.signaling.negotiation.Codec;
import dev.prism.signaling.negotiation.LocalTransportParams;
import dev.prism.signaling.negotiation.NegotiatedCodec;
import dev.prism.signaling.negotiation.NegotiatedMedia;
import dev.prism.signaling.negotiation.NegotiationResult;
import dev.prism.signaling.negotiation.OutgoingTrack;
import dev.prism.signaling.negotiation.RemoteTransportParams;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Between the negotiated SDP and the media plane: the peer's and our transport parameters, and
 * the tracks an offer publishes or a subscription sends, as sfu-core's specs.
 */
final class NegotiationMapping {
    /** RFC 8445 §5.1.2.1 host candidate priority: type preference 126, local 65535, component 1. */
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long HOST_PRIORITY = (126L << 24) | (65535L << 8) | 255;

    private NegotiationMapping() {}

    static RemoteTransportInfo remoteInfo(RemoteTransportParams remote) {
        // Prism answers passive, so the peer is the DTLS client unless it insists on passive.
        return new RemoteTransportInfo(remote.iceUfrag(), remote.icePwd(), remote.fingerprint(),
                remote.setup() != Setup.PASSIVE);
    }

    static LocalTransportParams localParams(LocalTransportInfo local) {
        List<Candidate> candidates = new ArrayList<>();
        int foundation = 1;
        for (InetSocketAddress a : local.candidates()) {
            String ip = a.getAddress().getHostAddress();
            int scope = ip.indexOf('%'); // an IPv6 zone means nothing to the peer
            candidates.add(Candidate.host(Integer.toString(foundation++), scope < 0 ? ip : ip.substring(0, scope),
                    a.getPort(), HOST_PRIORITY - foundation));
        }
        return new LocalTransportParams(local.iceUfrag(), local.icePwd(), local.fingerprint(), candidates, true);
    }

    /** What the room needs to send one negotiated subscription, RTX included when the subscriber kept it. */
    /**
     * A room track as a subscriber is offered it: fresh random SSRCs (and an RTX SSRC for video),
     * the room's stream name as its CNAME.
     */
    static OutgoingTrack outgoing(PublishedTrackSpec t, String room) {
        return new OutgoingTrack(t.trackId(), t.streamId(), t.isVideo() ? MediaKind.VIDEO : MediaKind.AUDIO,
                new Codec(t.codecName(), t.clockRate(), t.channels(), t.fmtp(), t.rtcpFb()),
                RANDOM.nextInt() & 0xFFFFFFFFL, t.isVideo() ? RANDOM.nextInt() & 0xFFFFFFFFL | 1 : 0, "prism-" + room);
    }

    static DownTrackSpec downTrack(NegotiatedMedia m) {
        NegotiatedCodec codec = m.codecs().get(0);
        return new DownTrackSpec(m.trackId(), m.ssrcs().get(0).ssrc(), codec.payloadType(), m.ssrcs().get(0).rtxSsrc(),
                codec.rtxPayloadType(), codec.rtcpFb().contains("transport-cc") ? m.extensions().twccId() : -1);
    }

    /**
     * The tracks with the sources their publisher declared by MID: "screen" and "camera" for
     * video, "microphone" for audio; a MID the offer does not publish is refused (bad_message).
     */
    static List<PublishedTrackSpec> withSources(List<PublishedTrackSpec> specs, Map<String, TrackSource> sources) {
        List<PublishedTrackSpec> out = new ArrayList<>(specs.size());
        java.util.Set<String> unused = new java.util.HashSet<>(sources.keySet());
        for (PublishedTrackSpec t : specs) {
            TrackSource s = sources.get(t.mid());
            unused.remove(t.mid());
            if (s == null) {
                out.add(t);
                continue;
            }
            if (t.isVideo() == (s == TrackSource.MICROPHONE)) {
                throw new SignalingException(400, "bad_message", "sources: mid '" + t.mid() + "' is " + t.kind()
                        + ", which cannot be a " + s.wireName());
            }
            out.add(t.withSource(s));
        }
        if (!unused.isEmpty()) {
            throw new SignalingException(400, "bad_message", "sources: the offer publishes no track with mid "
                    + new java.util.TreeSet<>(unused));
        }
        return out;
    }

    static List<PublishedTrackSpec> publishedTracks(String transportId, String identity, NegotiationResult r) {
        List<PublishedTrackSpec> specs = new ArrayList<>();
        for (NegotiatedMedia m : r.media()) {
            boolean simulcast = !m.rids().isEmpty() && m.kind() == MediaKind.VIDEO;
            if ((m.ssrcs().isEmpty() && !simulcast) || m.codecs().isEmpty()
                    || (m.kind() != MediaKind.AUDIO && m.kind() != MediaKind.VIDEO)) {
                continue; // nothing will be sent on this m= line
            }
            NegotiatedCodec c = m.codecs().get(0);
            String trackId = transportId + "-" + m.mid();
            String streamId = m.streamId() != null && !m.streamId().equals("-") ? m.streamId() : identity;
            long ssrc = simulcast || m.ssrcs().isEmpty() ? 0 : m.ssrcs().get(0).ssrc();
            long rtx = simulcast || m.ssrcs().isEmpty() ? 0 : m.ssrcs().get(0).rtxSsrc();
            specs.add(new PublishedTrackSpec(trackId, streamId, m.kind() == MediaKind.VIDEO ? "video" : "audio",
                    ssrc, rtx, c.payloadType(), c.rtxPayloadType(), c.name(), c.clockRate(), c.channels(), c.fmtp(),
                    c.rtcpFb(), m.extensions().twccId(), m.mid(), simulcast ? m.rids() : List.of(),
                    m.extensions().midId(), m.extensions().ridId(), m.extensions().repairedRidId(),
                    m.extensions().audioLevelId()));
        }
        return specs;
    }
}
