package dev.prism.loadtest;

import dev.prism.sdp.ExtMap;
import dev.prism.sdp.MediaDescription;
import dev.prism.sdp.MediaKind;
import dev.prism.sdp.RtpMap;
import dev.prism.sdp.SdpParser;
import dev.prism.sdp.SessionDescription;
import dev.prism.sdp.SsrcAttribute;
import dev.prism.sdp.SsrcGroup;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The SDP a synthetic client offers, and what it needs from Prism's answer. Offers are what
 * Prism's negotiation accepts (signaling/negotiation): BUNDLE, rtcp-mux, setup:actpass, Opus
 * 48000/2 and VP8 with nack/pli; publishers also offer the mid and transport-wide-cc extensions
 * (ids as Chromium uses them) and announce their SSRCs, or for simulcast video, as Chromium does,
 * the rid extension, {@code a=rid:q send}, {@code h}, {@code f} and {@code a=simulcast:send q;h;f}
 * without SSRC lines (the SFU learns the SSRCs from the rid extension); viewers offer one
 * recvonly video and audio m-line per publisher expected in the room, as the browser's whepView
 * does for one, with transport-wide-cc when they send TWCC feedback.
 */
final class SdpOffers {
    static final int VP8_PT = 96;
    static final int OPUS_PT = 111;
    static final int RTX_PT = 97;
    static final int TWCC_ID = 3;
    static final int MID_ID = 4;
    static final int RID_ID = 10;
    static final String TWCC_URI = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    static final String RID_URI = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";

    private SdpOffers() {}

    /** One video SSRC: a plain stream; three: simulcast rids q, h, f (lowest first). */
    static String publish(String ufrag, String pwd, String fingerprint, long audioSsrc, long[] videoSsrcs, String name) {
        StringBuilder s = session("0 1");
        media(s, "audio", OPUS_PT, "0", "sendonly", ufrag, pwd, fingerprint);
        s.append("a=extmap:").append(MID_ID).append(" urn:ietf:params:rtp-hdrext:sdes:mid\r\n");
        s.append("a=extmap:").append(TWCC_ID)
                .append(" http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01\r\n");
        s.append("a=rtpmap:111 opus/48000/2\r\na=rtcp-fb:111 transport-cc\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n");
        s.append("a=msid:").append(name).append(" ").append(name).append("-audio\r\n");
        s.append("a=ssrc:").append(audioSsrc).append(" cname:").append(name).append("\r\n");
        media(s, "video", VP8_PT, "1", "sendonly", ufrag, pwd, fingerprint);
        s.append("a=extmap:").append(MID_ID).append(" urn:ietf:params:rtp-hdrext:sdes:mid\r\n");
        s.append("a=extmap:").append(TWCC_ID).append(" ").append(TWCC_URI).append("\r\n");
        boolean simulcast = videoSsrcs.length > 1;
        if (simulcast) {
            s.append("a=extmap:").append(RID_ID).append(" ").append(RID_URI).append("\r\n");
        }
        s.append("a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 goog-remb\r\na=rtcp-fb:96 transport-cc\r\n"
                + "a=rtcp-fb:96 ccm fir\r\na=rtcp-fb:96 nack\r\na=rtcp-fb:96 nack pli\r\n");
        s.append("a=msid:").append(name).append(" ").append(name).append("-video\r\n");
        if (simulcast) {
            List<String> rids = new ArrayList<>();
            for (int i = 0; i < videoSsrcs.length; i++) {
                rids.add(VideoLayer.RIDS[i]);
                s.append("a=rid:").append(VideoLayer.RIDS[i]).append(" send\r\n");
            }
            s.append("a=simulcast:send ").append(String.join(";", rids)).append("\r\n");
        } else {
            s.append("a=ssrc:").append(videoSsrcs[0]).append(" cname:").append(name).append("\r\n");
        }
        return s.toString();
    }

    /**
     * A WHEP offer receiving {@code publishers} video and audio tracks (mids 0, 1, ... video
     * first), with the transport-wide-cc extension and feedback when {@code twcc}.
     */
    static String view(String ufrag, String pwd, String fingerprint, int publishers, boolean twcc) {
        List<String> mids = new ArrayList<>();
        for (int i = 0; i < 2 * publishers; i++) {
            mids.add(Integer.toString(i));
        }
        StringBuilder s = session(String.join(" ", mids));
        for (int i = 0; i < publishers; i++) {
            media(s, "video", VP8_PT + " " + RTX_PT, Integer.toString(2 * i), "recvonly", ufrag, pwd, fingerprint);
            s.append("a=extmap:").append(MID_ID).append(" urn:ietf:params:rtp-hdrext:sdes:mid\r\n");
            if (twcc) {
                s.append("a=extmap:").append(TWCC_ID).append(" ").append(TWCC_URI).append("\r\n");
            }
            s.append("a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 nack\r\na=rtcp-fb:96 nack pli\r\n");
            if (twcc) {
                s.append("a=rtcp-fb:96 transport-cc\r\n");
            }
            // RTX as browsers offer it: the SFU's retransmissions and its bandwidth probes (padding) use it.
            s.append("a=rtpmap:").append(RTX_PT).append(" rtx/90000\r\na=fmtp:").append(RTX_PT).append(" apt=96\r\n");
            media(s, "audio", OPUS_PT, Integer.toString(2 * i + 1), "recvonly", ufrag, pwd, fingerprint);
            s.append("a=extmap:").append(MID_ID).append(" urn:ietf:params:rtp-hdrext:sdes:mid\r\n");
            if (twcc) {
                s.append("a=extmap:").append(TWCC_ID).append(" ").append(TWCC_URI).append("\r\n");
            }
            s.append("a=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n");
            if (twcc) {
                s.append("a=rtcp-fb:111 transport-cc\r\n");
            }
        }
        return s.toString();
    }

    private static StringBuilder session(String mids) {
        return new StringBuilder("v=0\r\no=- ").append(System.nanoTime() & Long.MAX_VALUE)
                .append(" 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE ").append(mids)
                .append("\r\na=extmap-allow-mixed\r\n");
    }

    private static void media(StringBuilder s, String kind, Object pt, String mid, String direction, String ufrag,
                              String pwd, String fingerprint) {
        s.append("m=").append(kind).append(" 9 UDP/TLS/RTP/SAVPF ").append(pt).append("\r\nc=IN IP4 0.0.0.0\r\n")
                .append("a=ice-ufrag:").append(ufrag).append("\r\na=ice-pwd:").append(pwd).append("\r\n")
                .append("a=fingerprint:sha-256 ").append(fingerprint).append("\r\na=setup:actpass\r\n")
                .append("a=mid:").append(mid).append("\r\na=").append(direction).append("\r\na=rtcp-mux\r\n");
    }

    /**
     * Adds a host candidate ({@code address}:{@code port}) and end-of-candidates to every m-line
     * of an offer or answer: a full ICE server (Janus) checks towards it, where Prism's ICE-lite
     * learns the client's address from the client's own checks.
     */
    static String withCandidate(String sdp, String address, int port) {
        return sdp.replace("a=rtcp-mux\r\n", "a=rtcp-mux\r\na=candidate:1 1 udp 2130706431 " + address + " " + port
                + " typ host\r\na=end-of-candidates\r\n");
    }

    /**
     * The answer to a server's offer of sendonly tracks (Janus's videoroom subscription): every
     * audio and video m-line accepted recvonly with the first Opus or VP8 payload type (no RTX,
     * no header extensions but transport-wide-cc when {@code twcc} and offered), NACK and PLI for
     * video, our ICE credentials, fingerprint and host candidate, and setup:active (the server
     * offers actpass); other m-lines are rejected.
     */
    static String answer(String offerSdp, String ufrag, String pwd, String fingerprint, String address, int port,
                         boolean twcc) {
        SessionDescription o = SdpParser.parse(offerSdp);
        List<String> mids = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (MediaDescription m : o.media()) {
            int pt = -1;
            String codec = m.kind() == MediaKind.VIDEO ? "vp8" : m.kind() == MediaKind.AUDIO ? "opus" : null;
            for (int f : m.payloadTypes()) {
                RtpMap rm = m.rtpMap(f);
                if (codec != null && rm != null && rm.encodingName().equalsIgnoreCase(codec)) {
                    pt = f;
                    break;
                }
            }
            if (m.rejected() || pt < 0) {
                body.append("m=").append(m.media()).append(" 0 ").append(m.proto()).append(" ")
                        .append(String.join(" ", m.formats())).append("\r\nc=IN IP4 0.0.0.0\r\n");
                if (m.mid() != null) {
                    body.append("a=mid:").append(m.mid()).append("\r\n");
                }
                continue;
            }
            mids.add(m.mid());
            body.append("m=").append(m.media()).append(" 9 UDP/TLS/RTP/SAVPF ").append(pt).append("\r\nc=IN IP4 0.0.0.0\r\n")
                    .append("a=ice-ufrag:").append(ufrag).append("\r\na=ice-pwd:").append(pwd).append("\r\n")
                    .append("a=fingerprint:sha-256 ").append(fingerprint).append("\r\na=setup:active\r\n")
                    .append("a=mid:").append(m.mid()).append("\r\na=recvonly\r\na=rtcp-mux\r\n");
            boolean twccHere = false;
            for (ExtMap e : m.extMaps()) {
                if (twcc && e.uri().equals(TWCC_URI)) {
                    body.append("a=extmap:").append(e.id()).append(" ").append(TWCC_URI).append("\r\n");
                    twccHere = true;
                }
            }
            if (twccHere) {
                body.append("a=rtcp-fb:").append(pt).append(" transport-cc\r\n");
            }
            if (m.kind() == MediaKind.VIDEO) {
                body.append("a=rtpmap:").append(pt).append(" VP8/90000\r\na=rtcp-fb:").append(pt).append(" nack\r\n")
                        .append("a=rtcp-fb:").append(pt).append(" nack pli\r\n");
            } else {
                body.append("a=rtpmap:").append(pt).append(" opus/48000/2\r\na=fmtp:").append(pt)
                        .append(" minptime=10;useinbandfec=1\r\n");
            }
        }
        StringBuilder s = new StringBuilder("v=0\r\no=- ").append(System.nanoTime() & Long.MAX_VALUE)
                .append(" 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE ").append(String.join(" ", mids))
                .append("\r\n").append(body);
        return withCandidate(s.toString(), address, port);
    }

    /** One accepted m-line of the answer. */
    record AnsweredMedia(String mid, boolean video, int payloadType, int clockRate, int midId, int twccId,
                         List<Long> ssrcs, boolean nack, int ridId, boolean simulcast, List<Long> rtxSsrcs) {}

    /**
     * What a client needs from the server's answer (or, answering Janus, its offer): ICE, DTLS
     * and its role, the media address and the accepted m-lines. SSRCs that are the second of an
     * FID group (RTX) are left out of the media streams and listed in {@code rtxSsrcs} (0: none),
     * one per media SSRC.
     *
     * @param setup the server's a=setup ("active", "passive", "actpass"), or null
     * @param address the first candidate's address, or null
     */
    record Answer(String ufrag, String pwd, String fingerprint, int port, List<AnsweredMedia> media, String setup,
                  String address) {
        static Answer parse(String sdp) {
            SessionDescription a = SdpParser.parse(sdp);
            String ufrag = a.iceUfrag();
            String pwd = a.icePwd();
            String fingerprint = a.fingerprints().isEmpty() ? null : a.fingerprints().get(0).toSdpValue();
            String setup = null;
            String address = null;
            int port = -1;
            List<AnsweredMedia> out = new ArrayList<>();
            for (MediaDescription m : a.media()) {
                if (m.rejected()) {
                    continue;
                }
                ufrag = m.iceUfrag() != null ? m.iceUfrag() : ufrag;
                pwd = m.icePwd() != null ? m.icePwd() : pwd;
                if (!m.fingerprints().isEmpty()) {
                    fingerprint = m.fingerprints().get(0).toSdpValue();
                }
                if (setup == null && m.setup() != null) {
                    setup = m.setup().token();
                }
                if (port < 0 && !m.candidates().isEmpty()) {
                    port = m.candidates().get(0).port();
                    address = m.candidates().get(0).address();
                }
                if (m.payloadTypes().isEmpty()) {
                    continue;
                }
                int pt = m.payloadTypes().get(0);
                RtpMap rm = m.rtpMap(pt);
                int midId = -1;
                int twccId = -1;
                int ridId = -1;
                for (ExtMap e : m.extMaps()) {
                    if (e.uri().endsWith("sdes:mid")) {
                        midId = e.id();
                    } else if (e.uri().contains("transport-wide-cc")) {
                        twccId = e.id();
                    } else if (e.uri().equals(RID_URI)) {
                        ridId = e.id();
                    }
                }
                Set<Long> ssrcs = new LinkedHashSet<>();
                for (SsrcAttribute ssrc : m.ssrcs()) {
                    ssrcs.add(ssrc.ssrc());
                }
                for (SsrcGroup g : m.ssrcGroups()) {
                    if (g.semantics().equals("FID") && g.ssrcs().size() > 1) {
                        ssrcs.remove(g.ssrcs().get(1));
                    }
                }
                List<Long> rtx = new ArrayList<>();
                for (long ssrc : ssrcs) {
                    long r = 0;
                    for (SsrcGroup g : m.ssrcGroups()) {
                        if (g.semantics().equals("FID") && g.ssrcs().size() > 1 && g.ssrcs().get(0) == ssrc) {
                            r = g.ssrcs().get(1);
                        }
                    }
                    rtx.add(r);
                }
                boolean nack = m.rtcpFbs(pt).stream().anyMatch(f -> f.feedback().equals("nack"));
                out.add(new AnsweredMedia(m.mid(), m.kind() == MediaKind.VIDEO, pt, rm == null ? 90000 : rm.clockRate(),
                        midId, twccId, List.copyOf(ssrcs), nack, ridId,
                        m.simulcast() != null && !m.simulcast().recv().isEmpty(), List.copyOf(rtx)));
            }
            if (ufrag == null || pwd == null || fingerprint == null || port < 0) {
                throw new IllegalStateException("answer lacks ICE credentials, fingerprint or a candidate:\n" + sdp);
            }
            return new Answer(ufrag, pwd, fingerprint, port, out, setup, address);
        }
    }
}
