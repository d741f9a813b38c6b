package dev.prism.sfu.room;

import java.util.List;

/**
 * A track a publisher sends, as negotiated: its SSRC (and RTX SSRC, 0 if none), the payload type
 * and codec it uses, and the ids the SDP gave it. {@code kind} is "audio" or "video".
 * {@code transportCcId} is the negotiated id of the transport-wide sequence number extension
 * (-1 when not negotiated): Prism then sends transport-wide CC feedback to the publisher.
 * A simulcast track has {@code rids} (RFC 8851) and no SSRC: its layers' SSRCs are learnt from
 * the MID and RID header extensions (RFC 8852) whose ids are {@code midExtId}/{@code ridExtId};
 * their RTX streams carry the repaired RID ({@code repairedRidExtId}). {@code audioLevelExtId} is
 * the id of the RFC 6464 audio level extension (-1 when not negotiated).
 */
public record PublishedTrackSpec(String trackId, String streamId, String kind, long ssrc, long rtxSsrc,
                                 int payloadType, int rtxPayloadType, String codecName, int clockRate, int channels,
                                 String fmtp, List<String> rtcpFb, int transportCcId, String mid, List<String> rids,
                                 int midExtId, int ridExtId, int repairedRidExtId, int audioLevelExtId) {
    public PublishedTrackSpec {
        rtcpFb = List.copyOf(rtcpFb);
        fmtp = fmtp == null ? "" : fmtp;
        rids = rids == null ? List.of() : List.copyOf(rids);
    }

    public PublishedTrackSpec(String trackId, String streamId, String kind, long ssrc, long rtxSsrc, int payloadType,
                              int rtxPayloadType, String codecName, int clockRate, int channels, String fmtp,
                              List<String> rtcpFb, int transportCcId) {
        this(trackId, streamId, kind, ssrc, rtxSsrc, payloadType, rtxPayloadType, codecName, clockRate, channels, fmtp,
                rtcpFb, transportCcId, null, List.of(), -1, -1, -1, -1);
    }

    public boolean simulcast() {
        return !rids.isEmpty();
    }

    public PublishedTrackSpec(String trackId, String streamId, String kind, long ssrc, long rtxSsrc, int payloadType,
                              int rtxPayloadType, String codecName, int clockRate, int channels, String fmtp,
                              List<String> rtcpFb) {
        this(trackId, streamId, kind, ssrc, rtxSsrc, payloadType, rtxPayloadType, codecName, clockRate, channels, fmtp,
                rtcpFb, -1);
    }

    public boolean isVideo() {
        return "video".equals(kind);
    }
}
