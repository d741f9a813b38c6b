package dev.prism.signaling.negotiation;

import static dev.prism.signaling.negotiation.NegotiationFixtures.LOCAL;
import static dev.prism.signaling.negotiation.PublishAnswerTest.assertReparses;
import static dev.prism.signaling.negotiation.SubscribeAnswerTest.AUDIO;
import static dev.prism.signaling.negotiation.SubscribeAnswerTest.H264_CB;
import static dev.prism.signaling.negotiation.SubscribeAnswerTest.VIDEO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.sdp.Direction;
import dev.prism.sdp.ExtMap;
import dev.prism.sdp.MediaDescription;
import dev.prism.sdp.MediaKind;
import dev.prism.sdp.SdpParser;
import dev.prism.sdp.SdpWriter;
import dev.prism.sdp.SessionDescription;
import dev.prism.sdp.Setup;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubscribeOfferTest {

    @Test
    void firstOffer() {
        SessionDescription o = Negotiator.createSubscribeOffer(LOCAL, List.of(AUDIO, VIDEO), null);
        assertTrue(o.iceLite());
        assertEquals(List.of("0", "1"), o.group("BUNDLE").mids());
        assertEquals(1, o.origin().sessionVersion());
        MediaDescription a = o.media().get(0);
        assertEquals(Setup.ACTPASS, a.setup());
        assertEquals(Direction.SENDONLY, a.direction());
        assertEquals(List.of("111"), a.formats());
        assertEquals(SubscribeOfferer.AUDIO_EXTENSIONS, a.extMaps());
        MediaDescription v = o.media().get(1);
        assertEquals(List.of("96", "97"), v.formats());
        assertEquals("apt=96", v.fmtp(97));
        assertEquals(5, v.rtcpFbs(96).size());
        assertEquals("cam", v.msids().get(0).trackId());
        assertEquals(4, v.ssrcs().size());
        assertReparses(o);
    }

    @Test
    void renegotiationKeepsMidsRemovesAndRecycles() {
        SessionDescription first = Negotiator.createSubscribeOffer(LOCAL, List.of(AUDIO, VIDEO), null);
        OutgoingTrack screen = new OutgoingTrack("screen", "bob", MediaKind.VIDEO, H264_CB, 7777, 8888, "b");
        SessionDescription second = Negotiator.createSubscribeOffer(LOCAL, List.of(VIDEO, screen), first);
        assertEquals(2, second.origin().sessionVersion());
        assertEquals(first.origin().sessionId(), second.origin().sessionId());
        assertEquals(3, second.media().size());
        MediaDescription removed = second.media().get(0);
        assertEquals(0, removed.port());
        assertEquals("0", removed.mid());
        assertEquals(Direction.INACTIVE, removed.direction());
        assertEquals(first.media().get(1), second.media().get(1), "the unchanged track's line is identical");
        MediaDescription added = second.media().get(2);
        assertEquals("2", added.mid());
        assertEquals(List.of("102", "103"), added.formats());
        assertEquals(List.of("1", "2"), second.group("BUNDLE").mids());
        assertReparses(second);

        OutgoingTrack mic2 = new OutgoingTrack("mic2", "bob", MediaKind.AUDIO, Codec.opus(), 9999, 0, "b");
        SessionDescription third = Negotiator.createSubscribeOffer(LOCAL, List.of(VIDEO, screen, mic2), second);
        assertEquals(3, third.media().size(), "the rejected audio line is reused");
        assertEquals("3", third.media().get(0).mid());
        assertEquals(9, third.media().get(0).port());
        assertEquals(List.of("3", "1", "2"), third.group("BUNDLE").mids());
        assertReparses(third);
    }

    @Test
    void differentConfigurationsOfOneCodecGetDifferentPayloadTypes() {
        Codec main = new Codec("H264", 90000, 0, "packetization-mode=1;profile-level-id=4d001f", Codec.VIDEO_FEEDBACK);
        SessionDescription o = Negotiator.createSubscribeOffer(LOCAL, List.of(
                new OutgoingTrack("a", "s", MediaKind.VIDEO, H264_CB, 1, 2, "c"),
                new OutgoingTrack("b", "s", MediaKind.VIDEO, main, 3, 4, "c"),
                new OutgoingTrack("c", "s", MediaKind.VIDEO, H264_CB, 5, 6, "c")), null);
        assertEquals(List.of("102", "103"), o.media().get(0).formats());
        assertEquals(List.of("96", "97"), o.media().get(1).formats());
        assertEquals(List.of("102", "103"), o.media().get(2).formats());
    }

    @Test
    void applyAnswerReadsWhatTheClientAccepted() {
        SessionDescription offer = Negotiator.createSubscribeOffer(LOCAL, List.of(AUDIO, VIDEO), null);
        String answerText = SdpWriter.write(offer)
                .replace("a=ice-lite\r\n", "")
                .replace("a=setup:actpass", "a=setup:active")
                .replace("a=sendonly", "a=recvonly")
                .replace("a=ice-ufrag:prsm", "a=ice-ufrag:cLnt")
                .replace("a=ice-pwd:" + LOCAL.icePwd(), "a=ice-pwd:clientpassword0123456789")
                .replace(NegotiationFixtures.FINGERPRINT, "sha-256 AA:BB")
                .replace("a=extmap:5 " + ExtensionIds.DEPENDENCY_DESCRIPTOR + "\r\n", "")
                .replace("UDP/TLS/RTP/SAVPF 96 97", "UDP/TLS/RTP/SAVPF 96")
                .replaceAll("a=(ssrc|ssrc-group|msid|candidate|rtpmap:97|fmtp:97)[^\r]*\r\n", "");
        NegotiationResult r = Negotiator.applySubscribeAnswer(offer, SdpParser.parse(answerText));
        assertEquals(new RemoteTransportParams("cLnt", "clientpassword0123456789", "sha-256 AA:BB", Setup.ACTIVE),
                r.remote());
        NegotiatedMedia v = r.media().get(1);
        assertEquals(Direction.SENDONLY, v.direction());
        assertEquals(96, v.codecs().get(0).payloadType());
        assertEquals(-1, v.codecs().get(0).rtxPayloadType(), "the client dropped rtx");
        assertEquals(new ExtensionIds(4, -1, -1, 2, 3, -1, -1), v.extensions());
        assertEquals(List.of(new StreamSsrcs(2222, 3333)), v.ssrcs());
        assertEquals("cam", v.trackId());
        assertEquals(new ExtensionIds(4, -1, -1, 2, 3, 1, -1), r.media().get(0).extensions());

        String passive = answerText.replace("a=setup:active", "a=setup:passive");
        NegotiationException e = assertThrows(NegotiationException.class,
                () -> Negotiator.applySubscribeAnswer(offer, SdpParser.parse(passive)));
        assertEquals("answer setup:passive is not supported", e.getMessage());
    }

    @Test
    void extensionIdsAreOurs() {
        SessionDescription o = Negotiator.createSubscribeOffer(LOCAL, List.of(VIDEO), null);
        assertEquals(List.of(2, 3, 4, 5), o.media().get(0).extMaps().stream().map(ExtMap::id).toList());
    }
}
