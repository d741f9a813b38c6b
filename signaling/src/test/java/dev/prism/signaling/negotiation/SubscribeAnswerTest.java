package dev.prism.signaling.negotiation;

import static dev.prism.signaling.negotiation.NegotiationFixtures.LOCAL;
import static dev.prism.signaling.negotiation.PublishAnswerTest.VIDEO_FB;
import static dev.prism.signaling.negotiation.PublishAnswerTest.assertReparses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.sdp.Direction;
import dev.prism.sdp.Fixtures;
import dev.prism.sdp.MediaDescription;
import dev.prism.sdp.MediaKind;
import dev.prism.sdp.Msid;
import dev.prism.sdp.SdpWriter;
import dev.prism.sdp.SsrcAttribute;
import dev.prism.sdp.SsrcGroup;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubscribeAnswerTest {
    static final OutgoingTrack AUDIO = new OutgoingTrack("mic", "alice", MediaKind.AUDIO, Codec.opus(), 1111, 0, "prism");
    static final OutgoingTrack VIDEO = new OutgoingTrack("cam", "alice", MediaKind.VIDEO, Codec.vp8(), 2222, 3333, "prism");
    static final Codec H264_CB = new Codec("H264", 90000, 0,
            "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", Codec.VIDEO_FEEDBACK);

    @Test
    void whepOfferGetsOneTrackPerKind() {
        NegotiationResult r = Negotiator.answerSubscribeOffer(Fixtures.parse(Fixtures.CHROMIUM_WHEP), LOCAL,
                List.of(VIDEO, AUDIO));
        NegotiatedMedia a = r.media().get(0);
        assertEquals(Direction.SENDONLY, a.direction());
        assertEquals("mic", a.trackId());
        assertEquals(List.of(new NegotiatedCodec(111, "opus", 48000, 2, "minptime=10;useinbandfec=1",
                List.of("transport-cc"), -1)), a.codecs());
        assertEquals(List.of(new StreamSsrcs(1111, 0)), a.ssrcs());
        NegotiatedMedia v = r.media().get(1);
        assertEquals("cam", v.trackId());
        assertEquals(List.of(new NegotiatedCodec(96, "VP8", 90000, 0, "", VIDEO_FB, 97)), v.codecs());
        assertEquals(List.of(new StreamSsrcs(2222, 3333)), v.ssrcs());
        assertEquals(new ExtensionIds(4, 10, 11, 2, 3, -1, 9), v.extensions());

        MediaDescription vm = r.localDescription().media().get(1);
        assertEquals(Direction.SENDONLY, vm.direction());
        assertEquals(List.of("96", "97"), vm.formats());
        assertEquals(List.of(new Msid("alice", "cam")), vm.msids());
        assertEquals(List.of(new SsrcGroup("FID", List.of(2222L, 3333L))), vm.ssrcGroups());
        assertEquals(List.of(new SsrcAttribute(2222, "cname", "prism"), new SsrcAttribute(2222, "msid", "alice cam"),
                new SsrcAttribute(3333, "cname", "prism"), new SsrcAttribute(3333, "msid", "alice cam")), vm.ssrcs());
        assertEquals("passive", vm.setup().token());
        assertReparses(r.localDescription());
    }

    @Test
    void trackCodecPicksTheOffersPayloadType() {
        OutgoingTrack h264 = new OutgoingTrack("cam", "bob", MediaKind.VIDEO, H264_CB, 5, 6, "c");
        NegotiationResult r = Negotiator.answerSubscribeOffer(Fixtures.parse(Fixtures.CHROMIUM_WHEP), LOCAL, List.of(h264));
        assertEquals(106, r.media().get(1).codecs().get(0).payloadType());
        assertEquals(107, r.media().get(1).codecs().get(0).rtxPayloadType());
        assertEquals(List.of("106", "107"), r.localDescription().media().get(1).formats());
    }

    @Test
    void lineWithoutTrackIsInactive() {
        NegotiationResult r = Negotiator.answerSubscribeOffer(Fixtures.parse(Fixtures.CHROMIUM_WHEP), LOCAL, List.of(AUDIO));
        NegotiatedMedia v = r.media().get(1);
        assertEquals(Direction.INACTIVE, v.direction());
        assertNull(v.trackId());
        MediaDescription vm = r.localDescription().media().get(1);
        assertEquals(Direction.INACTIVE, vm.direction());
        assertTrue(vm.ssrcs().isEmpty());
        assertEquals("96", vm.formats().get(0));
        assertReparses(r.localDescription());
    }

    @Test
    void passiveOfferIsRefused() {
        String text = Fixtures.text(Fixtures.CHROMIUM_WHEP).replace("a=setup:actpass", "a=setup:passive");
        assertThrows(NegotiationException.class, () -> Negotiator.answerSubscribeOffer(
                dev.prism.sdp.SdpParser.parse(text), LOCAL, List.of(AUDIO)));
        assertTrue(SdpWriter.write(Fixtures.parse(Fixtures.CHROMIUM_WHEP)).contains("a=recvonly"));
    }
}
