package dev.prism.sfu.room;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Where a down-track's sequence numbers start ({@link DownTrack#initialSequenceNumber}). */
class DownTrackSequenceStartTest {

    @Test
    void streamsStartRandomlyInTheLowerHalfSoNoSubscriberMissesTheirFirstWrap() {
        SplittableRandom random = new SplittableRandom(7);
        int lowest = Integer.MAX_VALUE;
        int highest = Integer.MIN_VALUE;
        for (int i = 0; i < 10_000; i++) {
            int seq = DownTrack.initialSequenceNumber(random);
            assertTrue(seq >= 0 && seq < 0x8000, "start " + seq + " is within 32,768 packets of the wrap");
            lowest = Math.min(lowest, seq);
            highest = Math.max(highest, seq);
        }
        // Still random over that half: a fixed start would let an observer line streams up.
        assertTrue(lowest < 0x400 && highest > 0x7C00, "starts span " + lowest + ".." + highest);
    }
}
