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
 * the id of the RFC 6464 audio level extension (-1 when not negotiated). {@code source} is what
 * the publisher said the track carries (null: camera or microphone by kind).
 */
public record PublishedTrackSpec(String trackId, String streamId, String kind, long ssrc, long rtxSsrc,
                                 int payloadType, int rtxPayloadType, String codecName, int clockRate, int channels,
                                 String fmtp, List<String> rtcpFb, int transportCcId, String mid, List<String> rids,
                                 int midExtId, int ridExtId, int repairedRidExtId, int audioLevelExtId,
                                 TrackSource source) {
    public PublishedTrackSpec {
        rtcpFb = List.copyOf(rtcpFb);
        source = source == null ? TrackSource.defaultFor(kind) : source;
        fmtp = fmtp == null ? "" : fmtp;
        rids = rids == null ? List.of() : List.copyOf(rids);
    }

    public PublishedTrackSpec(String trackId, String streamId, String kind, long ssrc, long rtxSsrc,
                              int payloadType, int rtxPayloadType, String codecName, int clockRate, int channels,
                              String fmtp, List<String> rtcpFb, int transportCcId, String mid, List<String> rids,
                              int midExtId, int ridExtId, int repairedRidExtId, int audioLevelExtId) {
        this(trackId, streamId, kind, ssrc, rtxSsrc, payloadType, rtxPayloadType, codecName, clockRate, channels, fmtp,
                rtcpFb, transportCcId, mid, rids, midExtId, ridExtId, repairedRidExtId, audioLevelExtId, null);
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

    /** This spec with another source (null: the default for its kind). */
    public PublishedTrackSpec withSource(TrackSource newSource) {
        return new PublishedTrackSpec(trackId, streamId, kind, ssrc, rtxSsrc, payloadType, rtxPayloadType, codecName,
                clockRate, channels, fmtp, rtcpFb, transportCcId, mid, rids, midExtId, ridExtId, repairedRidExtId,
                audioLevelExtId, newSource);
    }

    public boolean isScreen() {
        return source == TrackSource.SCREEN;
    }

    public boolean isVideo() {
        return "video".equals(kind);
    }
}
