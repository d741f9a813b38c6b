package dev.prism.loadtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.RecordComponent;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A viewer's counters are positional and many: each one's difference and sum must be its own
 * (early media sits between replays and unreadable payloads, the same type as both).
 */
class WhepViewerStatsTest {
    /** Every counter a different value, so that one read in another's place shows. */
    private static WhepViewer.Stats stats(long base) {
        return new WhepViewer.Stats(base + 1, base + 2, base + 3, base + 4, base + 5, base + 6, base + 7, base + 8,
                base + 9, base + 10, base + 11, base + 12, base + 13, base + 14, 3,
                new long[] {base + 15, base + 16, base + 17}, base + 18, base + 19);
    }

    @Test
    void everyCounterIsSubtractedAndAddedInItsOwnPlace() throws Exception {
        WhepViewer.Stats after = stats(1000);
        WhepViewer.Stats before = stats(100).plus(stats(1)); // differs from after in every counter
        WhepViewer.Stats minus = after.minus(before);
        WhepViewer.Stats plus = after.plus(before);
        for (RecordComponent c : WhepViewer.Stats.class.getRecordComponents()) {
            if (c.getType() != long.class) {
                continue;
            }
            long a = (long) c.getAccessor().invoke(after);
            long b = (long) c.getAccessor().invoke(before);
            assertEquals(a - b, (long) c.getAccessor().invoke(minus), c.getName() + " in minus");
            assertEquals(a + b, (long) c.getAccessor().invoke(plus), c.getName() + " in plus");
        }
        assertEquals(1010 - (110 + 11), minus.earlyMedia());
        assertEquals(3, minus.streams(), "a window keeps the viewer's streams");
        assertArrayEquals(new long[] {1015 - 131, 1016 - 133, 1017 - 135}, minus.layerPackets());
        assertEquals(1010 + 110 + 11, WhepViewer.Stats.total(List.of(stats(1000), stats(100), stats(1))).earlyMedia());
    }
}
