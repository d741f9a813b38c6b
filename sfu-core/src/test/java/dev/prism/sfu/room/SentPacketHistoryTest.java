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
            h.record(out, (i * 7) & 0xFFFF, i % 3, 0xFFFF_FF00L + i, i & 0x7FFF, i & 0xFF, i);
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
        h.record(10, 1, 0, 0, -1, -1, 0);
        h.record(11, 2, 0, 0, -1, -1, 0);
        h.record(13, 4, 0, 0, -1, -1, 0); // 12 lost upstream
        assertEquals(-1, h.slotOf(12));
        assertEquals(-1, h.pictureId(h.slotOf(13)));
        h.record(12, 3, 0, 0, -1, -1, 0); // arrives late: found, and the newest stays 13
        assertEquals(3, h.sourceSequence(h.slotOf(12)));
        assertEquals(4, h.sourceSequence(h.slotOf(13)));
        // Jumps all the way round the 16-bit space (long losses): 13's entry must not answer for
        // the 13 of the next lap, which was never written.
        h.record(30_000, 5, 0, 0, -1, -1, 0);
        h.record(60_000, 6, 0, 0, -1, -1, 0);
        h.record(3, 7, 0, 0, -1, -1, 0);
        h.record(20, 8, 0, 0, -1, -1, 0);
        assertEquals(-1, h.slotOf(13));
        assertEquals(8, h.sourceSequence(h.slotOf(20)));
    }

    @Test
    void everyFieldComesBackAtItsExtremes() {
        SentPacketHistory h = new SentPacketHistory();
        h.record(65535, 65535, 2, 0xFFFFFFFFL, 32767, 255, 0xFFFF_FFFFL);
        h.record(0, 0, 0, 0, -1, -1, 0);
        h.record(1, 7, 1, 0x80000000L, 0, 0, 1_764_000_065_530L);
        int a = h.slotOf(65535);
        assertEquals(65535, h.outputSequence(a));
        assertEquals(65535, h.sourceSequence(a));
        assertEquals(2, h.source(a));
        assertEquals(0xFFFFFFFFL, h.timestamp(a));
        assertEquals(32767, h.pictureId(a));
        assertEquals(255, h.tl0(a));
        int b = h.slotOf(0);
        assertEquals(-1, h.pictureId(b));
        assertEquals(-1, h.tl0(b));
        assertEquals(0, h.source(b));
        int c = h.slotOf(1);
        assertEquals(0, h.pictureId(c));
        assertEquals(0, h.tl0(c));
        assertEquals(1, h.source(c));
        assertEquals(0x80000000L, h.timestamp(c));
    }

    @Test
    void theSendTimeIsKeptModuloItsSixteenBitsAndLeavesTheSourceSequenceWhole() {
        SentPacketHistory h = new SentPacketHistory();
        long sent = 1_764_000_065_530L; // wall milliseconds whose low 16 bits are about to wrap
        h.record(500, 65535, 2, 0, -1, -1, sent);
        int slot = h.slotOf(500);
        assertEquals(65535, h.sourceSequence(slot), "not sign-extended into the time bits");
        assertEquals(0, h.sentMillisAgo(slot, sent));
        assertEquals(10, h.sentMillisAgo(slot, sent + 10));
        assertEquals(2000, h.sentMillisAgo(slot, sent + 2000), "across the wrap of the low 16 bits");
        h.record(501, 0, 2, 0, -1, -1, sent + 2000);
        assertEquals(0, h.sentMillisAgo(h.slotOf(501), sent + 2000));
        assertEquals(65535, h.sourceSequence(h.slotOf(500)), "a later record leaves the earlier alone");
    }
}
