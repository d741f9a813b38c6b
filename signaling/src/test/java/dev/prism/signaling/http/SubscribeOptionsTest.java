package dev.prism.signaling.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.prism.signaling.MediaBackend.SubscribeOptions;
import org.junit.jupiter.api.Test;

/** WHEP {@code ?video_layer=}: what a viewer may ask for, and what is refused (a 400 with this message). */
class SubscribeOptionsTest {
    @Test
    void autoTopAndLayerIndices() {
        assertEquals(SubscribeOptions.ADAPTIVE, SignalingServer.subscribeOptions(null).videoLayer());
        assertEquals(SubscribeOptions.ADAPTIVE, SignalingServer.subscribeOptions("auto").videoLayer());
        assertEquals(SubscribeOptions.TOP_LAYER, SignalingServer.subscribeOptions("top").videoLayer());
        assertEquals(0, SignalingServer.subscribeOptions("0").videoLayer());
        assertEquals(2, SignalingServer.subscribeOptions("2").videoLayer());
    }

    @Test
    void anythingElseIsRefusedWithAClearMessage() {
        for (String bad : new String[] {"", "-1", "10", "f", "TOP", "1.5", " 1", "99999999999"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SignalingServer.subscribeOptions(bad), bad);
            assertEquals("video_layer must be auto, top or a layer index 0..9", e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new SubscribeOptions(-2));
    }
}
