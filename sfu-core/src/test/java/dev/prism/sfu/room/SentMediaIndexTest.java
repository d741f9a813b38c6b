package dev.prism.sfu.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The transport-wide index of sent media: empty slots match nothing, recorded ones read back until overwritten. */
class SentMediaIndexTest {
    @Test
    void anEmptyIndexKnowsNoTransportWideNumber() {
        SentMediaIndex index = new SentMediaIndex();
        for (int seq = 0; seq < 0x10000; seq++) {
            assertFalse(index.knows(seq), "transport-wide number " + seq);
        }
    }

    @Test
    void recordsReadBackUntilALapLaterOverwritesThem() {
        SentMediaIndex index = new SentMediaIndex();
        index.record(0xFFFF, 0xCAFEBABE, 0xFFFE);
        index.record(0, 0x1234, 0);
        assertTrue(index.knows(0xFFFF));
        assertEquals(0xCAFEBABE, index.ssrc(0xFFFF));
        assertEquals(0xFFFE, index.outputSeq(0xFFFF));
        assertTrue(index.knows(0));
        assertEquals(0x1234, index.ssrc(0));
        assertEquals(0, index.outputSeq(0));

        index.record(SentMediaIndex.SIZE, 0x5678, 77); // same slot as 0
        assertFalse(index.knows(0), "overwritten");
        assertTrue(index.knows(SentMediaIndex.SIZE));
        assertEquals(77, index.outputSeq(SentMediaIndex.SIZE));
        assertFalse(index.knows(SentMediaIndex.SIZE * 2), "same slot, never sent");
    }
}
