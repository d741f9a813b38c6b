package dev.prism.signaling.negotiation;

import java.util.List;

/** A codec both sides agreed on, with its payload type and the payload type of its RTX (-1 if none). */
public record NegotiatedCodec(int payloadType, String name, int clockRate, int channels, String fmtp,
                              List<String> rtcpFb, int rtxPayloadType) {
    public NegotiatedCodec {
        rtcpFb = List.copyOf(rtcpFb);
    }
}
