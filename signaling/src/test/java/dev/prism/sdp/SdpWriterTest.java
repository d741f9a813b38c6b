package dev.prism.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SdpWriterTest {

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.CHROMIUM_PUBLISH, Fixtures.CHROMIUM_SIMULCAST, Fixtures.CHROMIUM_WHEP,
            Fixtures.GSTREAMER_PUBLISH})
    void fixturesRoundTripThroughTheWriter(String name) {
        SessionDescription sd = Fixtures.parse(name);
        String written = SdpWriter.write(sd);
        assertEquals(sd, SdpParser.parse(written));
        assertEquals(written, SdpWriter.write(SdpParser.parse(written)), "writer output is stable");
        assertTrue(written.endsWith("\r\n"));
        assertEquals(-1, written.replace("\r\n", "").indexOf('\n'), "every line ends with CRLF");
    }

    @Test
    void writesChromiumStyleOrderForOneSection() {
        String sdp = SdpParserTest.minimal("""
                m=video 9 UDP/TLS/RTP/SAVPF 96 97
                a=x-unknown:1
                a=fmtp:97 apt=96
                a=rtpmap:97 rtx/90000
                a=candidate:1 1 udp 2130706431 192.0.2.1 10000 typ host
                a=rtcp-fb:96 nack pli
                a=rtpmap:96 VP8/90000
                a=rtcp-mux
                a=sendonly
                a=mid:v
                a=setup:passive
                a=ice-ufrag:u
                a=ice-pwd:p
                a=fingerprint:sha-256 AB:CD
                a=simulcast:recv q;h
                a=rid:q recv
                a=rid:h recv
                a=ssrc-group:FID 1 2
                a=ssrc:1 cname:c
                a=end-of-candidates""");
        String expected = String.join("\r\n", "v=0", "o=- 1 1 IN IP4 0.0.0.0", "s=-", "t=0 0",
                "m=video 9 UDP/TLS/RTP/SAVPF 96 97", "a=ice-ufrag:u", "a=ice-pwd:p", "a=fingerprint:sha-256 AB:CD",
                "a=setup:passive", "a=mid:v", "a=sendonly", "a=rtcp-mux", "a=rtpmap:96 VP8/90000",
                "a=rtcp-fb:96 nack pli", "a=rtpmap:97 rtx/90000", "a=fmtp:97 apt=96", "a=rid:q recv", "a=rid:h recv",
                "a=simulcast:recv q;h", "a=ssrc-group:FID 1 2", "a=ssrc:1 cname:c",
                "a=candidate:1 1 udp 2130706431 192.0.2.1 10000 typ host", "a=end-of-candidates",
                "a=x-unknown:1", "");
        assertEquals(expected, SdpWriter.write(SdpParser.parse(sdp)));
    }

    @Test
    void builtModelRoundTrips() {
        MediaDescription m = MediaDescription.builder("audio", 9, "UDP/TLS/RTP/SAVPF").addFormat("111")
                .connection(Connection.ANY_IPV4).mid("0").direction(Direction.RECVONLY).rtcpMux(true)
                .rtpMap(new RtpMap(111, "opus", 48000, 2)).fmtp(new Fmtp(111, "minptime=10"))
                .rtcpFb(new RtcpFb(111, "transport-cc", null)).extMap(new ExtMap(1, "urn:x"))
                .candidate(Candidate.host("1", "192.0.2.1", 10000, 2130706431L)).endOfCandidates(true).build();
        SessionDescription sd = new SessionDescription(new Origin("prism", "42", 1, "IN", "IP4", "0.0.0.0"), "-",
                List.of(), null, List.of(), "0 0", List.of(new Group("BUNDLE", List.of("0"))), true, null, null,
                List.of(), null, List.of(), List.of(m));
        assertEquals(sd, SdpParser.parse(SdpWriter.write(sd)));
    }
}
