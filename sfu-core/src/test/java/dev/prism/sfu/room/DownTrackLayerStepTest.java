package dev.prism.sfu.room;

import static dev.prism.sfu.room.DownTrack.FORWARD;
import static dev.prism.sfu.room.DownTrack.FORWARD_AND_REQUEST_KEY_FRAME;
import static dev.prism.sfu.room.DownTrack.SKIP;
import static dev.prism.sfu.room.DownTrack.SKIP_AND_REQUEST_KEY_FRAME;
import static dev.prism.sfu.room.DownTrack.START_OR_SWITCH;
import static dev.prism.sfu.room.DownTrack.layerStep;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What each packet of a three-layer simulcast track does to one down-track ({@link DownTrack#layerStep}). */
class DownTrackLayerStepTest {
    private static final boolean VIDEO = true;

    @Test
    void settledOnItsTargetTheOtherLayersAskForNothing() {
        // On f (2), wanting f: q and h packets, key frames or not, are skipped without a PLI.
        for (int layer = 0; layer < 2; layer++) {
            assertEquals(SKIP, layerStep(VIDEO, layer, false, 2, 2, false), "layer " + layer);
            assertEquals(SKIP, layerStep(VIDEO, layer, true, 2, 2, false), "key frame of layer " + layer);
        }
        assertEquals(FORWARD, layerStep(VIDEO, 2, false, 2, 2, false));
        assertEquals(FORWARD, layerStep(VIDEO, 2, true, 2, 2, false));
    }

    @Test
    void startingWaitsForAKeyFrameOfTheTargetAndAsksForIt() {
        assertEquals(SKIP_AND_REQUEST_KEY_FRAME, layerStep(VIDEO, 2, false, -1, 2, true));
        assertEquals(SKIP_AND_REQUEST_KEY_FRAME, layerStep(VIDEO, 0, true, -1, 2, true), "a key frame of another layer");
        assertEquals(START_OR_SWITCH, layerStep(VIDEO, 2, true, -1, 2, true));
    }

    @Test
    void switchingKeepsTheCurrentLayerFlowingUntilTheTargetsKeyFrame() {
        // On h (1), the allocator now wants f (2).
        assertEquals(FORWARD_AND_REQUEST_KEY_FRAME, layerStep(VIDEO, 1, false, 1, 2, false));
        assertEquals(SKIP_AND_REQUEST_KEY_FRAME, layerStep(VIDEO, 2, false, 1, 2, false));
        assertEquals(SKIP_AND_REQUEST_KEY_FRAME, layerStep(VIDEO, 0, false, 1, 2, false));
        assertEquals(START_OR_SWITCH, layerStep(VIDEO, 2, true, 1, 2, false));
    }

    @Test
    void resumingAfterAPauseWaitsForAKeyFrameEvenOnTheSameLayer() {
        assertEquals(SKIP_AND_REQUEST_KEY_FRAME, layerStep(VIDEO, 2, false, 2, 2, true));
        assertEquals(SKIP_AND_REQUEST_KEY_FRAME, layerStep(VIDEO, 0, false, 2, 2, true));
        assertEquals(START_OR_SWITCH, layerStep(VIDEO, 2, true, 2, 2, true));
    }

    @Test
    void audioStartsAtOnce() {
        assertEquals(START_OR_SWITCH, layerStep(false, 0, false, -1, 0, false));
        assertEquals(FORWARD, layerStep(false, 0, false, 0, 0, false));
    }
}
