package dev.prism.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.rtcp.FullIntraRequest;
import dev.prism.rtcp.PictureLossIndication;
import dev.prism.rtcp.TransportLayerNack;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** The SFU's feedback as a compound packet reaches the publisher; no transport needed for these. */
class PublisherFeedbackTest {
    private final VideoLayer[] layers = {new VideoLayer(0, 3, 1_800_000, 30, 1100),
            new VideoLayer(1, 3, 1_800_000, 30, 1100), new VideoLayer(2, 3, 1_800_000, 30, 1100)};
    private final PublisherFeedback feedback = new PublisherFeedback(layers, null);

    PublisherFeedbackTest() {
        for (VideoLayer l : layers) {
            l.keyRequested = false; // a layer starts wanting a key frame; these tests ask for one
        }
    }

    @Test
    void aPliOrFirAsksOnlyTheLayersItNames() {
        ByteBuf compound = Unpooled.buffer();
        PictureLossIndication.write(compound, 7, layers[1].ssrc);
        FullIntraRequest.write(compound, 7, layers[2].ssrc, 1);
        PictureLossIndication.write(compound, 7, 12345); // not ours
        feedback.onRtcp(compound);
        assertFalse(layers[0].keyRequested);
        assertTrue(layers[1].keyRequested);
        assertTrue(layers[2].keyRequested);
        assertEquals(2, feedback.keyFrameRequests);
    }

    @Test
    void aNackForAStreamNotOursResendsNothing() {
        ByteBuf nack = Unpooled.buffer();
        TransportLayerNack.write(nack, 7, 12345, new int[] {10, 11}, 2);
        feedback.onRtcp(nack); // a transport is needed only to resend; none is touched here
        assertEquals(0, feedback.retransmitted);
        assertEquals(0, feedback.keyFrameRequests);
    }
}
