package dev.prism.sfu.room;

import java.util.List;

/**
 * A track a publisher sends, as negotiated: its SSRC (and RTX SSRC, 0 if none), the payload type
 * and codec it uses, and the ids the SDP gave it. {@code kind} is "audio" or "video".
 * {@code transportCcId} is the negotiated id of the transport-wide sequence number extension
 * (-1 when not negotiated): Prism then sends transport-wide CC feedback to the publisher.
 */
public record PublishedTrackSpec(String trackId, String streamId, String kind, long ssrc, long rtxSsrc,
                                 int payloadType, int rtxPayloadType, String codecName, int clockRate, int channels,
                                 String fmtp, List<String> rtcpFb, int transportCcId) {
    public PublishedTrackSpec {
        rtcpFb = List.copyOf(rtcpFb);
        fmtp = fmtp == null ? "" : fmtp;
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
