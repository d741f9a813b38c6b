package dev.prism.sfu.room;

/**
 * A room track sent to one subscriber: which track, the SSRC Prism sends it with, and the
 * subscriber's payload type; for video with RTX negotiated (RFC 4588), the RTX SSRC and payload
 * type retransmissions use (0 and -1 when none: retransmissions then repeat the original packet).
 * {@code transportCcId} is the subscriber's id for the transport-wide sequence number extension
 * (-1 when not negotiated): every packet then carries one and the subscriber's transport-wide CC
 * feedback drives its bandwidth estimate; without it, its REMB does.
 */
public record DownTrackSpec(String trackId, long ssrc, int payloadType, long rtxSsrc, int rtxPayloadType,
                            int transportCcId) {
    public DownTrackSpec(String trackId, long ssrc, int payloadType) {
        this(trackId, ssrc, payloadType, 0, -1, -1);
    }

    public DownTrackSpec(String trackId, long ssrc, int payloadType, long rtxSsrc, int rtxPayloadType) {
        this(trackId, ssrc, payloadType, rtxSsrc, rtxPayloadType, -1);
    }

    public boolean hasRtx() {
        return rtxSsrc != 0 && rtxPayloadType >= 0;
    }
}
