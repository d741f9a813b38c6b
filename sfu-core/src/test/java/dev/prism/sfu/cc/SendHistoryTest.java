package dev.prism.sfu.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The send history's packed slots: every field reads back, across 16-bit wrap and ring laps. */
class SendHistoryTest {
    @Test
    void nothingIsFoundBeforeAnythingIsSent() {
        SendHistory h = new SendHistory();
        for (int seq = 0; seq < 0x10000; seq += 97) {
            assertEquals(-1, h.find(seq));
        }
    }

    @Test
    void eachPacketReadsBackWithItsSizeTimeAndFlagsAcrossTheWrap() {
        SendHistory h = new SendHistory();
        int first = 0xFFF0;
        for (int i = 0; i < 40; i++) {
            h.add((first + i) & 0xFFFF, 100 + i, -5_000_000L + i * 1000L); // send times may be negative (nanoTime)
        }
        for (int i = 0; i < 40; i++) {
            int slot = h.find((first + i) & 0xFFFF);
            assertTrue(slot >= 0, "packet " + i);
            assertEquals(first + i, h.seqAt(slot), "unwrapped past 0xFFFF");
            assertEquals(100 + i, h.size(slot));
            assertEquals(-5_000_000L + i * 1000L, h.sendMicros(slot));
            assertFalse(h.acked(slot));
            assertFalse(h.reportedLost(slot));
        }
        int slot = h.find(first + 3);
        h.markReportedLost(slot);
        assertTrue(h.reportedLost(slot));
        assertFalse(h.acked(slot));
        h.markAcked(slot);
        assertTrue(h.acked(slot));
        assertEquals(103, h.size(slot), "flags leave the size alone");
        assertEquals(first + 3, h.seqAt(slot));
        assertEquals(-1, h.find((first + 40) & 0xFFFF), "not sent yet");
    }

    @Test
    void aReusedSlotStartsClearAndTheOverwrittenPacketIsUnknown() {
        SendHistory h = new SendHistory();
        h.add(5, 1200, 1);
        int slot = h.find(5);
        h.markAcked(slot);
        h.markReportedLost(slot);
        for (int i = 1; i <= SendHistory.SLOTS; i++) {
            h.add((5 + i) & 0xFFFF, 300_000, 1 + i); // larger than the size field: clamped, not spilled
        }
        int again = h.find((5 + SendHistory.SLOTS) & 0xFFFF);
        assertEquals(slot, again, "the same slot, one lap later");
        assertFalse(h.acked(again));
        assertFalse(h.reportedLost(again));
        assertEquals((1 << 18) - 1, h.size(again));
        assertEquals(5 + SendHistory.SLOTS, h.seqAt(again));
        assertEquals(-1, h.find((5 + SendHistory.SLOTS + 1) & 0xFFFF), "not sent yet");
    }
}
