package dev.prism.sfu.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ReadBacklogTest {
    private static final long MS = 1_000_000L;

    private static void pass(ReadBacklog b, int reads, long nowNanos) {
        for (int i = 0; i < reads; i++) {
            b.onRead();
        }
        b.onPassEnd(nowNanos);
    }

    @Test
    void fullPassesInARowAreTheTimeBehindAndAPartialPassEndsIt() {
        ReadBacklog b = new ReadBacklog(16);
        pass(b, 3, 1_000 * MS);
        assertEquals(0, b.behindNanos(1_500 * MS), "a pass that emptied the socket: keeping up");
        pass(b, 16, 2_000 * MS);
        assertEquals(0, b.behindNanos(2_000 * MS));
        pass(b, 16, 2_100 * MS);
        pass(b, 16, 2_200 * MS);
        assertEquals(300 * MS, b.behindNanos(2_300 * MS), "behind since the first full pass");
        pass(b, 15, 2_400 * MS);
        assertEquals(0, b.behindNanos(2_500 * MS), "a pass short of the maximum found the socket empty");
    }

    @Test
    void aBusyLoopThatStillEmptiesItsSocketIsNeverBehind() {
        ReadBacklog b = new ReadBacklog(16);
        for (int i = 0; i < 1_000; i++) {
            pass(b, i % 2 == 0 ? 16 : 9, i * MS);
            if (i % 2 == 1) {
                assertEquals(0, b.behindNanos(i * MS + MS / 2));
            }
        }
    }

    @Test
    void aPassEndingAtClockZeroStillCountsAsBehind() {
        ReadBacklog b = new ReadBacklog(1);
        pass(b, 1, 0);
        assertEquals(4, b.behindNanos(5), "nanoTime may be 0: the start is kept as 1 ns, not read as 'not behind'");
    }

    @Test
    void rejectsANonPositivePassSize() {
        assertThrows(IllegalArgumentException.class, () -> new ReadBacklog(0));
    }
}
