package dev.prism.signaling.negotiation;

import static dev.prism.signaling.negotiation.NegotiationFixtures.LOCAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.sdp.Direction;
import dev.prism.sdp.ExtMap;
import dev.prism.sdp.Fixtures;
import dev.prism.sdp.MediaDescription;
import dev.prism.sdp.MediaKind;
import dev.prism.sdp.Rid;
import dev.prism.sdp.SdpParser;
import dev.prism.sdp.SdpWriter;
import dev.prism.sdp.SessionDescription;
import dev.prism.sdp.Setup;
import dev.prism.sdp.Simulcast;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PublishAnswerTest {
    static final List<String> VIDEO_FB = List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli");

    static NegotiationResult answer(String fixture) {
        return Negotiator.answerPublishOffer(Fixtures.parse(fixture), LOCAL);
    }

    static void assertReparses(SessionDescription sd) {
        String text = SdpWriter.write(sd);
        assertEquals(sd, SdpParser.parse(text));
    }

    @Test
    void chromiumOfferAudioKeepsOnlyOpus() {
        NegotiationResult r = answer(Fixtures.CHROMIUM_PUBLISH);
        NegotiatedMedia audio = r.media().get(0);
        assertEquals("0", audio.mid());
        assertEquals(MediaKind.AUDIO, audio.kind());
        assertEquals(Direction.RECVONLY, audio.direction());
        assertEquals(List.of(new NegotiatedCodec(111, "opus", 48000, 2, "minptime=10;useinbandfec=1",
                List.of("transport-cc"), -1)), audio.codecs());
        assertEquals(new ExtensionIds(4, -1, -1, 2, 3, 1, -1), audio.extensions());
        assertEquals(List.of(new StreamSsrcs(3735928559L, 0)), audio.ssrcs());
        assertEquals("7f3b2a10-5c44-4e1b-9a55-3d2e8c1f0b6a", audio.streamId());
        assertEquals("a1c2e3f4-0b1d-4c2e-8f3a-5b6c7d8e9f01", audio.trackId());
        assertEquals(List.of(), audio.rids());
    }

    @Test
    void chromiumOfferVideoKeepsSupportedCodecsInClientOrderWithRtx() {
        NegotiatedMedia video = answer(Fixtures.CHROMIUM_PUBLISH).media().get(1);
        assertEquals(List.of(
                new NegotiatedCodec(96, "VP8", 90000, 0, "", VIDEO_FB, 97),
                new NegotiatedCodec(102, "H264", 90000, 0,
                        "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f", VIDEO_FB, 103),
                new NegotiatedCodec(106, "H264", 90000, 0,
                        "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", VIDEO_FB, 107),
                new NegotiatedCodec(127, "H264", 90000, 0,
                        "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f", VIDEO_FB, 125),
                new NegotiatedCodec(45, "AV1", 90000, 0, "level-idx=5;profile=0;tier=0", VIDEO_FB, 46),
                new NegotiatedCodec(98, "VP9", 90000, 0, "profile-id=0", VIDEO_FB, 99)), video.codecs());
        assertEquals(new ExtensionIds(4, 10, 11, 2, 3, -1, 9), video.extensions());
        assertEquals(List.of(new StreamSsrcs(2873740121L, 1402587384L)), video.ssrcs());
        assertEquals("b2d3f4a5-1c2e-4d3f-9a4b-6c7d8e9f0a12", video.trackId());
    }

    @Test
    void chromiumAnswerSdp() {
        NegotiationResult r = answer(Fixtures.CHROMIUM_PUBLISH);
        SessionDescription a = r.localDescription();
        assertTrue(a.iceLite());
        assertEquals(List.of("0", "1"), a.group("BUNDLE").mids());
        assertTrue(a.hasAttribute("extmap-allow-mixed"));
        MediaDescription v = a.media().get(1);
        assertEquals(List.of("96", "97", "102", "103", "106", "107", "127", "125", "45", "46", "98", "99"), v.formats());
        assertEquals(Setup.PASSIVE, v.setup());
        assertEquals(Direction.RECVONLY, v.direction());
        assertEquals("1", v.mid());
        assertTrue(v.rtcpMux());
        assertTrue(v.rtcpRsize());
        assertEquals("prsm", v.iceUfrag());
        assertEquals(NegotiationFixtures.FINGERPRINT, v.fingerprints().get(0).toSdpValue());
        assertEquals(LOCAL.candidates(), v.candidates());
        assertTrue(v.endOfCandidates());
        assertEquals(List.of(2, 3, 4, 10, 11, 9), v.extMaps().stream().map(ExtMap::id).toList());
        assertEquals("apt=127", v.fmtp(125));
        assertEquals(5, v.rtcpFbs(127).size());
        assertTrue(v.ssrcs().isEmpty());
        assertEquals(List.of("111"), a.media().get(0).formats());
        assertEquals(new RemoteTransportParams("pXr4", "Wc4tS1Qm3Hq8vRkYzL0bN7dF",
                "sha-256 3E:9F:1A:6B:C2:47:D8:05:BB:31:7E:92:4C:A0:58:E3:1D:76:F4:29:8A:C5:03:6E:B9:52:17:DA:4F:80:C6:2B",
                Setup.ACTPASS), r.remote());
        assertReparses(a);
    }

    @Test
    void simulcastOfferIsMirroredAsRecv() {
        NegotiationResult r = answer(Fixtures.CHROMIUM_SIMULCAST);
        NegotiatedMedia video = r.media().get(1);
        assertEquals(List.of("q", "h", "f"), video.rids());
        assertEquals(List.of(), video.ssrcs());
        MediaDescription v = r.localDescription().media().get(1);
        assertEquals(List.of(new Rid("q", Rid.Direction.RECV, null), new Rid("h", Rid.Direction.RECV, null),
                new Rid("f", Rid.Direction.RECV, null)), v.rids());
        assertEquals(Simulcast.simple(List.of(), List.of("q", "h", "f")), v.simulcast());
        String text = SdpWriter.write(r.localDescription());
        assertTrue(text.contains("a=rid:q recv\r\na=rid:h recv\r\na=rid:f recv\r\na=simulcast:recv q;h;f\r\n"), text);
        assertReparses(r.localDescription());
    }

    @Test
    void gstreamerOffer() {
        NegotiationResult r = answer(Fixtures.GSTREAMER_PUBLISH);
        assertEquals(List.of("video0", "audio1"), r.localDescription().group("BUNDLE").mids());
        NegotiatedMedia video = r.media().get(0);
        assertEquals(List.of(new NegotiatedCodec(96, "VP8", 90000, 0, "",
                List.of("nack", "nack pli", "ccm fir", "transport-cc"), 97)), video.codecs());
        assertEquals(List.of(new StreamSsrcs(1583456001L, 2045118202L)), video.ssrcs());
        assertEquals("user3459108536@host-7c21a9f0", video.streamId());
        assertEquals("webrtctransceiver0", video.trackId());
        assertEquals(1, video.extensions().twccId());
        NegotiatedMedia audio = r.media().get(1);
        assertEquals(List.of(new NegotiatedCodec(98, "OPUS", 48000, 2,
                "sprop-maxcapturedrate=48000;sprop-stereo=0", List.of("nack", "nack pli", "transport-cc"), -1)),
                audio.codecs());
        assertEquals(List.of(new StreamSsrcs(3152400117L, 0)), audio.ssrcs());
        assertReparses(r.localDescription());
    }

    @Test
    void dataChannelSectionIsRejectedWithPortZero() {
        String text = Fixtures.text(Fixtures.CHROMIUM_PUBLISH).replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0 1 2")
                + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=ice-ufrag:pXr4\r\n"
                + "a=ice-pwd:Wc4tS1Qm3Hq8vRkYzL0bN7dF\r\na=setup:actpass\r\na=mid:2\r\na=sctp-port:5000\r\n"
                + "a=max-message-size:262144\r\n";
        NegotiationResult r = Negotiator.answerPublishOffer(SdpParser.parse(text), LOCAL);
        MediaDescription app = r.localDescription().media().get(2);
        assertEquals(0, app.port());
        assertEquals("2", app.mid());
        assertEquals(List.of("webrtc-datachannel"), app.formats());
        assertEquals(List.of("0", "1"), r.localDescription().group("BUNDLE").mids());
        assertEquals(2, r.media().size());
        assertReparses(r.localDescription());
    }

    @Test
    void videoWithOnlyUnsupportedCodecsIsRejected() {
        String text = Fixtures.text(Fixtures.GSTREAMER_PUBLISH).replace("VP8/90000", "H265/90000");
        NegotiationResult r = Negotiator.answerPublishOffer(SdpParser.parse(text), LOCAL);
        assertEquals(0, r.localDescription().media().get(0).port());
        assertEquals(List.of("audio1"), r.localDescription().group("BUNDLE").mids());
        assertFalse(r.media().isEmpty());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a=setup:actpass                | a=setup:passive | setup:passive offers are not supported",
        "a=group:BUNDLE 0 1             | ''              | offer has no a=group:BUNDLE (BUNDLE is required)",
        "a=fingerprint:                 | a=x-fp:         | offer has no a=fingerprint",
        "a=ice-ufrag:                   | a=x-ufrag:      | offer has no a=ice-ufrag",
        "a=ice-pwd:                     | a=x-pwd:        | offer has no a=ice-pwd",
        "a=rtcp-mux\\r\\n               | ''              | m-line 0 (mid 0) has no a=rtcp-mux (rtcp-mux is required)",
        "a=mid:1                        | a=mid:0         | two m-lines have a=mid:0 (a mid must be unique, RFC 5888 §4)",
    })
    void refusals(String from, String to, String message) {
        String text = Fixtures.text(Fixtures.CHROMIUM_PUBLISH).replace(from.replace("\\r\\n", "\r\n"), to);
        SessionDescription offer = SdpParser.parse(text);
        NegotiationException e = assertThrows(NegotiationException.class,
                () -> Negotiator.answerPublishOffer(offer, LOCAL));
        assertEquals(message, e.getMessage());
    }
}
