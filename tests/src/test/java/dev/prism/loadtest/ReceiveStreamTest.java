package dev.prism.loadtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ReceiveStreamTest {
    private static final long MS = 1_000_000L;

    @Test
    void gapsAcrossTheWrapAreLostThenNackedThenRecovered() {
        ReceiveStream s = new ReceiveStream(1, true, 90000);
        long t = 1_000 * MS;
        for (int seq : new int[] {65533, 65534, 1, 2}) { // 65535 and 0 missing
            s.onPacket(seq, 0, t);
        }
        assertEquals(6, s.expected());
        assertEquals(2, s.lost());
        int[] out = new int[8];
        int n = s.dueNacks(out, t);
        assertArrayEquals(new int[] {65535, 0}, Arrays.copyOf(out, n));
        assertEquals(0, s.dueNacks(out, t + 10 * MS), "not again before the NACK interval");
        assertTrue(s.onPacket(0, 0, t + 20 * MS), "a retransmission fills the gap");
        assertEquals(1, s.lost());
        assertEquals(1, s.recovered);
        n = s.dueNacks(out, t + 60 * MS);
        assertArrayEquals(new int[] {65535}, Arrays.copyOf(out, n));
        s.dueNacks(out, t + 120 * MS);
        assertEquals(0, s.dueNacks(out, t + 180 * MS), "given up after three NACKs");
    }

    @Test
    void aSecondCopyIsADuplicateNotAReceivedPacket() {
        ReceiveStream s = new ReceiveStream(1, true, 90000);
        long t = 1_000 * MS;
        for (int seq : new int[] {10, 12, 13}) { // 11 missing
            s.onPacket(seq, 0, t);
        }
        assertTrue(s.onPacket(11, 0, t), "the retransmission of 11 fills the gap");
        assertEquals(false, s.onPacket(11, 0, t), "the late original of 11 after it");
        s.onPacket(13, 0, t); // the newest packet twice
        assertEquals(4, s.received);
        assertEquals(2, s.duplicates);
        assertEquals(4, s.expected());
        assertEquals(0, s.lost());
    }
}
