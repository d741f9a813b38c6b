package dev.prism.signaling.negotiation;

import dev.prism.sdp.Fmtp;
import dev.prism.sdp.MediaDescription;
import dev.prism.sdp.MediaKind;
import dev.prism.sdp.RtcpFb;
import dev.prism.sdp.RtpMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which codecs and feedback Prism forwards: Opus; VP8, VP9 profile 0, H264 packetization-mode 1
 * in baseline/constrained-baseline/main profiles, AV1; RTX for video (RFC 4588, apt=).
 */
final class CodecPolicy {
    static final List<String> SUPPORTED_FEEDBACK = List.of("nack", "nack pli", "ccm fir", "transport-cc", "goog-remb");

    private CodecPolicy() {}

    /** The supported codecs of an offered m= line in the offerer's order, each with its RTX when offered. */
    static List<NegotiatedCodec> select(MediaDescription m) {
        List<NegotiatedCodec> out = new ArrayList<>();
        for (int pt : m.payloadTypes()) {
            RtpMap rm = m.rtpMap(pt);
            if (rm == null || !supported(m.kind(), rm, m.fmtp(pt))) continue;
            out.add(negotiated(m, rm, m.kind() == MediaKind.VIDEO ? rtxFor(m, pt) : -1));
        }
        return out;
    }

    /** The first offered payload type carrying this codec configuration, or null. */
    static NegotiatedCodec match(MediaDescription m, Codec codec, boolean withRtx) {
        for (int pt : m.payloadTypes()) {
            RtpMap rm = m.rtpMap(pt);
            if (rm == null || !sameCodec(rm, m.fmtp(pt), codec)) continue;
            return negotiated(m, rm, withRtx ? rtxFor(m, pt) : -1);
        }
        return null;
    }

    static boolean supported(MediaKind kind, RtpMap rm, String fmtp) {
        String name = rm.encodingName().toUpperCase(Locale.ROOT);
        if (kind == MediaKind.AUDIO) return name.equals("OPUS") && rm.clockRate() == 48000 && rm.channels() == 2;
        if (kind != MediaKind.VIDEO || rm.clockRate() != 90000) return false;
        Map<String, String> p = Fmtp.parameterMap(fmtp);
        return switch (name) {
            case "VP8", "AV1" -> true;
            case "VP9" -> p.getOrDefault("profile-id", "0").equals("0");
            // RFC 6184 §8.1: profile_idc 0x42 baseline (incl. constrained baseline), 0x4d main.
            case "H264" -> p.getOrDefault("packetization-mode", "0").equals("1")
                    && (h264Profile(p).startsWith("42") || h264Profile(p).startsWith("4d"));
            default -> false;
        };
    }

    /** Same codec configuration, comparing only the fmtp parameters that change the bitstream. */
    static boolean sameCodec(RtpMap rm, String fmtp, Codec c) {
        if (!rm.encodingName().equalsIgnoreCase(c.name()) || rm.clockRate() != c.clockRate()) return false;
        if (Math.max(rm.channels(), 1) != Math.max(c.channels(), 1)) return false;
        Map<String, String> a = Fmtp.parameterMap(fmtp);
        Map<String, String> b = Fmtp.parameterMap(c.fmtp());
        return switch (c.name().toUpperCase(Locale.ROOT)) {
            case "VP9" -> a.getOrDefault("profile-id", "0").equals(b.getOrDefault("profile-id", "0"));
            case "AV1" -> a.getOrDefault("profile", "0").equals(b.getOrDefault("profile", "0"));
            case "H264" -> a.getOrDefault("packetization-mode", "0").equals(b.getOrDefault("packetization-mode", "0"))
                    && h264Profile(a).substring(0, 4).equals(h264Profile(b).substring(0, 4));
            default -> true;
        };
    }

    /** The first RTX payload type whose apt names this payload type, or -1. */
    static int rtxFor(MediaDescription m, int pt) {
        for (int rtx : m.payloadTypes()) {
            RtpMap rm = m.rtpMap(rtx);
            if (rm != null && rm.encodingName().equalsIgnoreCase("rtx")
                    && Integer.toString(pt).equals(Fmtp.parameterMap(m.fmtp(rtx)).get("apt"))) {
                return rtx;
            }
        }
        return -1;
    }

    /** The offered feedback of a payload type (wildcards included) that Prism supports, in offer order. */
    static List<String> feedback(MediaDescription m, int pt) {
        List<String> out = new ArrayList<>();
        for (RtcpFb f : m.rtcpFbs(pt)) {
            String fb = f.feedback();
            if (SUPPORTED_FEEDBACK.contains(fb) && !out.contains(fb)) out.add(fb);
        }
        return out;
    }

    /**
     * Adds formats, rtpmap, rtcp-fb and fmtp lines for these codecs. The format order follows
     * {@code order} (the offer's m= line) when given, else codec then its RTX.
     */
    static void write(MediaDescription.Builder b, List<NegotiatedCodec> codecs, MediaDescription order) {
        List<Integer> pts = new ArrayList<>();
        for (NegotiatedCodec c : codecs) {
            pts.add(c.payloadType());
            if (c.rtxPayloadType() >= 0) pts.add(c.rtxPayloadType());
        }
        if (order != null) {
            List<Integer> ordered = new ArrayList<>();
            for (int pt : order.payloadTypes()) if (pts.contains(pt)) ordered.add(pt);
            pts = ordered;
        }
        for (int pt : pts) b.addFormat(Integer.toString(pt));
        for (NegotiatedCodec c : codecs) {
            b.rtpMap(new RtpMap(c.payloadType(), c.name(), c.clockRate(), c.channels()));
            for (String fb : c.rtcpFb()) {
                int sp = fb.indexOf(' ');
                b.rtcpFb(sp < 0 ? new RtcpFb(c.payloadType(), fb, null)
                        : new RtcpFb(c.payloadType(), fb.substring(0, sp), fb.substring(sp + 1)));
            }
            if (!c.fmtp().isEmpty()) b.fmtp(new Fmtp(c.payloadType(), c.fmtp()));
            if (c.rtxPayloadType() >= 0) {
                b.rtpMap(new RtpMap(c.rtxPayloadType(), "rtx", c.clockRate(), 0));
                b.fmtp(new Fmtp(c.rtxPayloadType(), "apt=" + c.payloadType()));
            }
        }
    }

    private static NegotiatedCodec negotiated(MediaDescription m, RtpMap rm, int rtx) {
        int pt = rm.payloadType();
        return new NegotiatedCodec(pt, rm.encodingName(), rm.clockRate(), rm.channels(), m.fmtp(pt), feedback(m, pt), rtx);
    }

    /** profile-level-id, lower-case, 6 hex digits; RFC 6184 §8.1 default 42000a when absent or malformed. */
    private static String h264Profile(Map<String, String> p) {
        String v = p.getOrDefault("profile-level-id", "42000a").toLowerCase(Locale.ROOT);
        return v.length() == 6 ? v : "42000a";
    }
}
