package dev.prism.sfu.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ActiveSpeakerDetectorTest {
    /** Feeds 50 packets/s per source for {@code millis} with the given levels; decides every 300 ms. */
    private static int run(ActiveSpeakerDetector d, long[] clock, long millis, int... levels) {
        int changed = -1;
        for (long t = 0; t < millis; t += 20) {
            clock[0] += 20;
            for (int s = 0; s < levels.length; s++) {
                d.onLevel(s, levels[s], clock[0]);
            }
            if (clock[0] % 300 == 0) {
                int c = d.decide(clock[0]);
                if (c >= 0) {
                    changed = c;
                }
            }
        }
        return changed;
    }

    @Test
    void theOnlyOneTalkingBecomesTheSpeaker() {
        ActiveSpeakerDetector d = new ActiveSpeakerDetector(4);
        d.add(0);
        d.add(1);
        long[] clock = {0};
        assertEquals(-1, run(d, clock, 2000, 127, 127), "silence elects nobody");
        assertEquals(1, run(d, clock, 1000, 127, 30));
        assertEquals(1, d.speaker());
    }

    @Test
    void aShortInterruptionDoesNotFlipTheSpeakerButSustainedSpeechDoes() {
        ActiveSpeakerDetector d = new ActiveSpeakerDetector(4);
        d.add(0);
        d.add(1);
        long[] clock = {0};
        run(d, clock, 2000, 30, 127);
        assertEquals(0, d.speaker());
        // 300 ms of the other at the same loudness while the speaker pauses: not enough to switch.
        assertEquals(-1, run(d, clock, 300, 127, 30));
        assertEquals(-1, run(d, clock, 600, 30, 127));
        assertEquals(0, d.speaker());
        // The other takes over for good.
        assertEquals(1, run(d, clock, 3000, 127, 25));
        assertEquals(1, d.speaker());
        // Both fall silent: the last speaker stays highlighted.
        assertEquals(-1, run(d, clock, 3000, 127, 127));
        assertEquals(1, d.speaker());
    }

    @Test
    void louderWinsOverQuieterAndRemovedSourcesAreForgotten() {
        ActiveSpeakerDetector d = new ActiveSpeakerDetector(3);
        d.add(0);
        d.add(1);
        d.add(2);
        long[] clock = {0};
        run(d, clock, 3000, 60, 10, 127);
        assertEquals(1, d.speaker());
        d.remove(1);
        assertEquals(-1, d.speaker());
        d.onLevel(1, 0, clock[0]); // ignored once removed
        assertEquals(0, run(d, clock, 1000, 60, 0, 127));
    }
}
