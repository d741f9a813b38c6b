package dev.prism.signaling.negotiation;

import java.util.List;

/** A codec configuration independent of payload type numbers: name, clock, channels (0 for video), fmtp, feedback. */
public record Codec(String name, int clockRate, int channels, String fmtp, List<String> rtcpFb) {
    public Codec {
        fmtp = fmtp == null ? "" : fmtp;
        rtcpFb = List.copyOf(rtcpFb);
    }

    public static final List<String> VIDEO_FEEDBACK = List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli");

    public static Codec opus() {
        return new Codec("opus", 48000, 2, "minptime=10;useinbandfec=1", List.of("transport-cc"));
    }

    public static Codec vp8() {
        return new Codec("VP8", 90000, 0, "", VIDEO_FEEDBACK);
    }
}
