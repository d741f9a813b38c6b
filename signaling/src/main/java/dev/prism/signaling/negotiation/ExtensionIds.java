package dev.prism.signaling.negotiation;

import dev.prism.sdp.ExtMap;
import java.util.List;

/** Negotiated RTP header extension ids (RFC 8285) of one m= line; -1 when not negotiated. */
public record ExtensionIds(int midId, int ridId, int repairedRidId, int absSendTimeId, int twccId, int audioLevelId,
                           int ddId) {
    public static final String MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
    public static final String RID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    public static final String REPAIRED_RID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
    public static final String ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    public static final String TWCC = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    public static final String AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    public static final String DEPENDENCY_DESCRIPTOR =
            "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension";
    public static final List<String> SUPPORTED =
            List.of(MID, RID, REPAIRED_RID, ABS_SEND_TIME, TWCC, AUDIO_LEVEL, DEPENDENCY_DESCRIPTOR);

    public static final ExtensionIds NONE = new ExtensionIds(-1, -1, -1, -1, -1, -1, -1);

    public static boolean supported(String uri) {
        return SUPPORTED.contains(uri);
    }

    /** The ids of the supported URIs among these extmaps; others are ignored. */
    public static ExtensionIds of(List<ExtMap> extMaps) {
        return new ExtensionIds(id(extMaps, MID), id(extMaps, RID), id(extMaps, REPAIRED_RID), id(extMaps, ABS_SEND_TIME),
                id(extMaps, TWCC), id(extMaps, AUDIO_LEVEL), id(extMaps, DEPENDENCY_DESCRIPTOR));
    }

    private static int id(List<ExtMap> extMaps, String uri) {
        for (ExtMap e : extMaps) if (e.uri().equals(uri)) return e.id();
        return -1;
    }
}
