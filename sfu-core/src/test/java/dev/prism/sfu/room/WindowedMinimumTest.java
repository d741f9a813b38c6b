package dev.prism.sfu.room;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WindowedMinimumTest {
    @Test
    void remembersTheMinimumForOneToTwoWindowsThenForgetsIt() {
        WindowedMinimum m = new WindowedMinimum(1000);
        assertEquals(Long.MAX_VALUE, m.min());
        m.add(40, 0);
        m.add(90, 500);
        assertEquals(40, m.min());
        m.add(120, 1200); // new window: the old minimum still counts
        assertEquals(40, m.min());
        m.add(130, 2300); // two windows on: 40 is forgotten
        assertEquals(120, m.min());
        m.add(100, 9000); // after a long gap, nothing old survives
        assertEquals(100, m.min());
    }
}
