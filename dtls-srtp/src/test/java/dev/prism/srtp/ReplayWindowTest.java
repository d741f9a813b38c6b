package dev.prism.srtp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReplayWindowTest {
    @Test
    void acceptsNewRejectsSeenAndTooOld() {
        ReplayWindow w = new ReplayWindow();
        assertTrue(w.check(1000));
        w.update(1000);
        assertFalse(w.check(1000));
        assertTrue(w.check(999));
        w.update(1200);
        assertFalse(w.check(1000), "200 behind");
        assertTrue(w.check(1200 - 127));
        assertFalse(w.check(1200 - 128));
        w.update(1100);
        assertFalse(w.check(1100));
        assertTrue(w.check(1101));
    }

    @Test
    void bitsSurviveShiftsAcrossBothWords() {
        ReplayWindow w = new ReplayWindow();
        w.update(10);
        w.update(40);   // 10 now at delta 30
        w.update(100);  // 10 at delta 90 (second word), 40 at delta 60
        assertFalse(w.check(10));
        assertFalse(w.check(40));
        assertTrue(w.check(11));
        assertTrue(w.check(99));
        w.update(137);  // 10 at delta 127: still remembered
        assertFalse(w.check(10));
        w.update(138);  // now 128 behind: outside
        assertFalse(w.check(10));
        assertTrue(w.check(12));
    }
}
