package dev.prism.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SdpParserTest {

    @Test
    void chromiumPublishOfferSessionLevel() {
        SessionDescription sd = Fixtures.parse(Fixtures.CHROMIUM_PUBLISH);
        assertEquals(new Origin("-", "4215775240449105457", 2, "IN", "IP4", "127.0.0.1"), sd.origin());
        assertEquals("-", sd.sessionName());
        assertEquals("0 0", sd.timing());
        assertEquals(new Group("BUNDLE", List.of("0", "1")), sd.group("BUNDLE"));
        assertFalse(sd.iceLite());
        assertTrue(sd.hasAttribute("extmap-allow-mixed"));
        assertEquals(new Attribute("msid-semantic", " WMS 7f3b2a10-5c44-4e1b-9a55-3d2e8c1f0b6a"), sd.otherAttributes().get(1));
        assertEquals(2, sd.media().size());
    }

    @Test
    void chromiumPublishOfferAudio() {
        MediaDescription a = Fixtures.parse(Fixtures.CHROMIUM_PUBLISH).media().get(0);
        assertEquals(MediaKind.AUDIO, a.kind());
        assertEquals(46243, a.port());
        assertEquals("UDP/TLS/RTP/SAVPF", a.proto());
        assertEquals(List.of("111", "63", "9", "0", "8", "13", "110", "126"), a.formats());
        assertEquals(new Connection("IN", "IP4", "192.168.1.23"), a.connection());
        assertEquals("pXr4", a.iceUfrag());
        assertEquals("Wc4tS1Qm3Hq8vRkYzL0bN7dF", a.icePwd());
        assertEquals("sha-256", a.fingerprints().get(0).hashFunction());
        assertEquals(Setup.ACTPASS, a.setup());
        assertEquals("0", a.mid());
        assertEquals(Direction.SENDONLY, a.direction());
        assertTrue(a.rtcpMux());
        assertTrue(a.rtcpRsize());
        assertEquals(new ExtMap(1, "urn:ietf:params:rtp-hdrext:ssrc-audio-level"), a.extMaps().get(0));
        assertEquals(new RtpMap(111, "opus", 48000, 2), a.rtpMap(111));
        assertEquals(new RtpMap(0, "PCMU", 8000, 0), a.rtpMap(0));
        assertEquals("minptime=10;useinbandfec=1", a.fmtp(111));
        assertEquals(List.of(new RtcpFb(111, "transport-cc", null)), a.rtcpFbs(111));
        assertEquals(new SsrcAttribute(3735928559L, "cname", "Jq7Uxd3kLmP0yZ2s"), a.ssrcs().get(0));
        assertEquals(new Msid("7f3b2a10-5c44-4e1b-9a55-3d2e8c1f0b6a", "a1c2e3f4-0b1d-4c2e-8f3a-5b6c7d8e9f01"),
                a.msids().get(0));
        assertEquals(3, a.candidates().size());
        Candidate srflx = a.candidates().get(1);
        assertEquals("srflx", srflx.type());
        assertEquals("192.168.1.23", srflx.relatedAddress());
        assertEquals(46243, srflx.relatedPort());
        assertEquals(1686052607L, srflx.priority());
        assertEquals(List.of("generation", "0", "network-id", "1", "network-cost", "10"), srflx.extensions());
        assertEquals(List.of("tcptype", "active", "generation", "0", "network-id", "1", "network-cost", "10"),
                a.candidates().get(2).extensions());
        assertEquals(List.of(new Attribute("rtcp", "9 IN IP4 0.0.0.0"), new Attribute("ice-options", "trickle")),
                a.otherAttributes());
    }

    @Test
    void chromiumPublishOfferVideo() {
        MediaDescription v = Fixtures.parse(Fixtures.CHROMIUM_PUBLISH).media().get(1);
        assertEquals(MediaKind.VIDEO, v.kind());
        assertEquals(25, v.payloadTypes().size());
        assertEquals(new RtpMap(45, "AV1", 90000, 0), v.rtpMap(45));
        assertEquals("profile-id=2", v.fmtp(100));
        assertEquals("apt=96", v.fmtp(97));
        assertEquals("1", new Fmtp(127, v.fmtp(127)).parameterMap().get("packetization-mode"));
        assertEquals("4d001f", new Fmtp(127, v.fmtp(127)).parameterMap().get("profile-level-id"));
        assertEquals(List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"),
                v.rtcpFbs(96).stream().map(RtcpFb::feedback).toList());
        assertEquals(List.of(new SsrcGroup("FID", List.of(2873740121L, 1402587384L))), v.ssrcGroups());
        assertEquals(4, v.ssrcs().size());
        assertEquals(13, v.extMaps().size());
        assertEquals(new ExtMap(9, null,
                "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension", null),
                v.extMaps().get(11));
        assertTrue(v.rids().isEmpty());
        assertNull(v.simulcast());
    }

    @Test
    void chromiumSimulcastRidsAndSimulcast() {
        MediaDescription v = Fixtures.parse(Fixtures.CHROMIUM_SIMULCAST).media().get(1);
        assertEquals(List.of(new Rid("q", Rid.Direction.SEND, null), new Rid("h", Rid.Direction.SEND, null),
                new Rid("f", Rid.Direction.SEND, null)), v.rids());
        assertEquals(Simulcast.simple(List.of("q", "h", "f"), List.of()), v.simulcast());
        assertTrue(v.ssrcs().isEmpty());
    }

    @Test
    void gstreamerOfferWithLfLineEnds() {
        SessionDescription sd = Fixtures.parse(Fixtures.GSTREAMER_PUBLISH);
        assertEquals(List.of("video0", "audio1"), sd.group("BUNDLE").mids());
        assertEquals(List.of(new Attribute("ice-options", "trickle")), sd.otherAttributes());
        MediaDescription v = sd.media().get(0);
        assertEquals("video0", v.mid());
        assertTrue(v.endOfCandidates());
        assertEquals("UDP", v.candidates().get(0).transport());
        assertEquals(List.of(new Attribute("framerate", "30")), v.otherAttributes());
        MediaDescription a = sd.media().get(1);
        assertEquals(new RtpMap(98, "OPUS", 48000, 2), a.rtpMap(98));
        assertEquals(List.of(new Attribute("bundle-only", null)), a.otherAttributes());
    }

    @Test
    void simulcastWithAlternativesAndPausedAndRecv() {
        Simulcast s = Simulcast.parse("send 1,~2;3 recv ~r");
        assertEquals(List.of(List.of(new Simulcast.Layer("1", false), new Simulcast.Layer("2", true)),
                List.of(new Simulcast.Layer("3", false))), s.send());
        assertEquals(List.of(List.of(new Simulcast.Layer("r", true))), s.recv());
        assertEquals("send 1,~2;3 recv ~r", s.toSdpValue());
    }

    @Test
    void extmapWithDirectionAndAttributes() {
        ExtMap e = ExtMap.parse("7/sendonly urn:x:y extra stuff");
        assertEquals(new ExtMap(7, Direction.SENDONLY, "urn:x:y", "extra stuff"), e);
        assertEquals("7/sendonly urn:x:y extra stuff", e.toSdpValue());
    }

    @Test
    void wildcardRtcpFbAppliesToEveryPayloadType() {
        MediaDescription m = SdpParser.parse(minimal("m=video 9 RTP/AVPF 96\na=rtcp-fb:* nack\na=rtcp-fb:96 ccm fir\n"))
                .media().get(0);
        assertEquals(List.of(new RtcpFb(96, "ccm", "fir"), new RtcpFb(RtcpFb.ANY, "nack", null)), m.rtcpFbs(96));
    }

    @Test
    void payloadAttributesAreKeptInFormatOrder() {
        MediaDescription m = SdpParser.parse(minimal(
                "m=video 9 RTP/AVPF 97 96\na=rtpmap:96 VP8/90000\na=rtpmap:97 VP9/90000\na=rtpmap:100 H264/90000\n"))
                .media().get(0);
        assertEquals(List.of(97, 96, 100), m.rtpMaps().stream().map(RtpMap::payloadType).toList());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                                          | no v= line",
        "o=- 1 1 IN IP4 0.0.0.0                      | line 1: the first line must be v=0",
        "v=1                                         | line 1: unsupported SDP version '1'",
        "v=0\\nx                                     | line 2: not a <type>=<value> line",
        "v=0\\ns=-\\nt=0 0                           | no o= line",
        "v=0\\no=- 1 1 IN IP4\\ns=-\\nt=0 0          | line 2: o= line needs 6 fields, has 5",
        "v=0\\no=- x 1 IN IP4 a\\ns=-\\nt=0 0        | line 2: o= session id is not a number: 'x'",
        "v=0\\no=- 1 1 IN IP4 a\\nt=0 0              | no s= line",
        "v=0\\no=- 1 1 IN IP4 a\\ns=-                | no t= line",
        "v=0\\no=- 1 1 IN IP4 a\\ns=-\\nt=0 0\\nq=1  | line 5: unknown line type 'q='",
        "@m=audio                                    | line 5: m= line has no port",
        "@m=audio 9                                  | line 5: m= line has no proto",
        "@m=audio 9 RTP/AVP                          | line 5: m= line has no formats",
        "@m=audio 70000 RTP/AVP 0                    | line 5: m= port is out of range: 70000",
        "@m=audio 9 RTP/AVP 0\\na=rtpmap:x opus/1    | line 6: payload type is not a number: 'x'",
        "@m=audio 9 RTP/AVP 0\\na=rtpmap:200 a/1     | line 6: payload type is out of range: 200",
        "@m=audio 9 RTP/AVP 0\\na=rtpmap:0 PCMU      | line 6: a=rtpmap encoding must be name/clock[/channels]: 'PCMU'",
        "@m=audio 9 RTP/AVP 0\\na=mid:a\\na=mid:b    | line 7: duplicate a=mid",
        "@m=audio 9 RTP/AVP 0\\na=mid:               | line 6: a=mid has no value",
        "@m=audio 9 RTP/AVP 0\\na=rtcp-mux:1         | line 6: a=rtcp-mux takes no value",
        "@m=audio 9 RTP/AVP 0\\na=sendonly\\na=recvonly | line 7: more than one direction attribute",
        "@m=audio 9 RTP/AVP 0\\na=setup:both         | line 6: unknown a=setup value 'both'",
        "@m=audio 9 RTP/AVP 0\\na=extmap:0 urn:x     | line 6: extmap id is out of range: 0",
        "@m=audio 9 RTP/AVP 0\\na=extmap:1/up urn:x  | line 6: a=extmap has an unknown direction '1/up'",
        "@m=audio 9 RTP/AVP 0\\na=ssrc:1             | line 6: a=ssrc:1 has no attribute",
        "@m=audio 9 RTP/AVP 0\\na=ssrc:4294967296 cname:x | line 6: ssrc is out of range: 4294967296",
        "@m=audio 9 RTP/AVP 0\\na=rid:q both         | line 6: a=rid direction must be send or recv: 'both'",
        "@m=audio 9 RTP/AVP 0\\na=simulcast:send q;;f | line 6: a=simulcast has an empty rid in 'q;;f'",
        "@m=audio 9 RTP/AVP 0\\na=simulcast:up q     | line 6: a=simulcast direction must be send or recv: 'up'",
        "@m=audio 9 RTP/AVP 0\\na=candidate:1 1 udp 1 a 9 host | line 6: a=candidate needs at least 8 fields, has 7",
        "@m=audio 9 RTP/AVP 0\\na=candidate:1 1 udp 1 a 9 typ host raddr | line 6: a=candidate extension without a value",
        "@m=audio 9 RTP/AVP 0\\na=fingerprint:sha-256 | line 6: a=fingerprint needs a hash function and a value",
        "@m=audio 9 RTP/AVP 0\\no=- 1 1 IN IP4 a     | line 6: o= line is not allowed in a media section",
        "@m=audio 9 RTP/AVP 0\\na=                   | line 6: a= line has no attribute name",
        "@a=ice-lite:yes                             | line 5: a=ice-lite takes no value",
    })
    void malformedInputNamesLineAndProblem(String input, String message) {
        String sdp = input.startsWith("@") ? minimal(input.substring(1)) : input;
        SdpParseException e = assertThrows(SdpParseException.class, () -> SdpParser.parse(sdp.replace("\\n", "\n")));
        assertEquals(message, e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\r\n", "\n"})
    void acceptsCrlfAndLfAndBlankLines(String eol) {
        String sdp = String.join(eol, "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "", "t=0 0", "m=audio 9 RTP/AVP 0",
                "a=mid:0", "") + eol;
        SessionDescription sd = SdpParser.parse(sdp);
        assertEquals("0", sd.media().get(0).mid());
    }

    static String minimal(String rest) {
        return "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\n" + rest.replace("\\n", "\n") + "\n";
    }
}
