package dev.prism.sfu.room;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SentPacketHistoryTest {
    @Test
    void mapsTheLastCapacityOutputSequenceNumbersAcrossTheWrap() {
        SentPacketHistory h = new SentPacketHistory();
        assertEquals(-1, h.slotOf(0), "empty");
        for (int i = 0; i < 3000; i++) {
            int out = (64_000 + i) & 0xFFFF;
            h.record(out, (i * 7) & 0xFFFF, i % 3, 0xFFFF_FF00L + i, i & 0x7FFF, i & 0xFF);
        }
        int newest = (64_000 + 2999) & 0xFFFF;
        int slot = h.slotOf(newest);
        assertEquals(newest, h.outputSequence(slot));
        assertEquals((2999 * 7) & 0xFFFF, h.sourceSequence(slot));
        assertEquals(2999 % 3, h.source(slot));
        assertEquals((0xFFFF_FF00L + 2999) & 0xFFFFFFFFL, h.timestamp(slot));
        assertEquals(2999, h.pictureId(slot));
        int oldest = (newest - SentPacketHistory.CAPACITY + 1) & 0xFFFF;
        assertEquals(oldest, h.outputSequence(h.slotOf(oldest)));
        assertEquals(-1, h.slotOf((oldest - 1) & 0xFFFF), "older than the history");
        assertEquals(-1, h.slotOf((newest + 1) & 0xFFFF), "not sent yet");
    }

    @Test
    void sequenceNumbersNeverWrittenAreNotFoundEvenWhenALapAgoWasThere() {
        SentPacketHistory h = new SentPacketHistory();
        h.record(10, 1, 0, 0, -1, -1);
        h.record(11, 2, 0, 0, -1, -1);
        h.record(13, 4, 0, 0, -1, -1); // 12 lost upstream
        assertEquals(-1, h.slotOf(12));
        assertEquals(-1, h.pictureId(h.slotOf(13)));
        h.record(12, 3, 0, 0, -1, -1); // arrives late: found, and the newest stays 13
        assertEquals(3, h.sourceSequence(h.slotOf(12)));
        assertEquals(4, h.sourceSequence(h.slotOf(13)));
        // Jumps all the way round the 16-bit space (long losses): 13's entry must not answer for
        // the 13 of the next lap, which was never written.
        h.record(30_000, 5, 0, 0, -1, -1);
        h.record(60_000, 6, 0, 0, -1, -1);
        h.record(3, 7, 0, 0, -1, -1);
        h.record(20, 8, 0, 0, -1, -1);
        assertEquals(-1, h.slotOf(13));
        assertEquals(8, h.sourceSequence(h.slotOf(20)));
    }
}
