package dev.prism.signaling.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.sfu.room.PublishedTrackSpec;
import dev.prism.sfu.room.TrackSource;
import dev.prism.signaling.SignalingException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Declared sources applied to the tracks of a publish offer, by MID. */
class TrackSourcesTest {
    private static PublishedTrackSpec track(String mid, String kind) {
        return new PublishedTrackSpec("T-" + mid, "s", kind, 0, 0, 96, -1, kind.equals("audio") ? "opus" : "VP8",
                kind.equals("audio") ? 48000 : 90000, kind.equals("audio") ? 2 : 0, "", List.of(), -1, mid,
                kind.equals("video") ? List.of("q", "h", "f") : List.of(), 1, 2, 3, -1);
    }

    private static final List<PublishedTrackSpec> OFFER = List.of(track("0", "audio"), track("1", "video"),
            track("2", "video"));

    @Test
    void undeclaredTracksAreCameraOrMicrophoneByKind() {
        List<PublishedTrackSpec> out = NegotiationMapping.withSources(OFFER, Map.of());
        assertEquals(List.of(TrackSource.MICROPHONE, TrackSource.CAMERA, TrackSource.CAMERA),
                out.stream().map(PublishedTrackSpec::source).toList());
    }

    @Test
    void aDeclaredScreenShareIsMarkedAndKeepsEverythingElse() {
        List<PublishedTrackSpec> out = NegotiationMapping.withSources(OFFER, Map.of("2", TrackSource.SCREEN));
        assertEquals(TrackSource.SCREEN, out.get(2).source());
        assertTrue(out.get(2).isScreen());
        assertEquals(OFFER.get(2), out.get(2).withSource(null), "only the source changed");
        assertEquals(TrackSource.CAMERA, out.get(1).source());
    }

    @Test
    void aSourceThatDoesNotFitTheKindIsRefused() {
        SignalingException e = assertThrows(SignalingException.class,
                () -> NegotiationMapping.withSources(OFFER, Map.of("0", TrackSource.SCREEN)));
        assertEquals("bad_message", e.code());
        assertTrue(e.getMessage().contains("'0'"), e.getMessage());
        assertEquals("bad_message", assertThrows(SignalingException.class,
                () -> NegotiationMapping.withSources(OFFER, Map.of("1", TrackSource.MICROPHONE))).code());
    }

    @Test
    void aMidTheOfferDoesNotPublishIsRefused() {
        SignalingException e = assertThrows(SignalingException.class,
                () -> NegotiationMapping.withSources(OFFER, Map.of("7", TrackSource.SCREEN)));
        assertEquals("bad_message", e.code());
        assertTrue(e.getMessage().contains("7"), e.getMessage());
    }
}
