package dev.prism.sfu.nack;

import static dev.prism.sfu.nack.NackGenerator.MISSING_ADDED;
import static dev.prism.sfu.nack.NackGenerator.REQUEST_KEYFRAME;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NackGeneratorTest {
    /** One received packet, then a collect at the same time and the NACKs it must produce. */
    record Step(int seq, boolean keyFrame, boolean rtx, long atMillis, int result, int[] nacks) {}

    static Step in(int seq, long at, int result, int... nacks) {
        return new Step(seq, false, false, at, result, nacks);
    }

    static Step key(int seq, long at, int result, int... nacks) {
        return new Step(seq, true, false, at, result, nacks);
    }

    static Step rtx(int seq, long at, int... nacks) {
        return new Step(seq, false, true, at, 0, nacks);
    }

    static Stream<Arguments> tables() {
        return Stream.of(
                Arguments.of("no loss", List.of(in(1, 0, 0), in(2, 10, 0), in(3, 20, 0))),
                Arguments.of("one lost", List.of(in(1, 0, 0), in(2, 10, 0), in(4, 20, MISSING_ADDED, 3), in(5, 30, 0))),
                Arguments.of("burst lost", List.of(in(10, 0, 0), in(15, 10, MISSING_ADDED, 11, 12, 13, 14))),
                Arguments.of("two gaps", List.of(in(1, 0, 0), in(3, 10, MISSING_ADDED, 2), in(6, 20, MISSING_ADDED, 4, 5))),
                // A reordered packet is NACKed at once (as mediasoup and libwebrtc do) but never again.
                Arguments.of("reordered, not lost", List.of(in(1, 0, 0), in(3, 0, MISSING_ADDED, 2), in(2, 0, 0),
                        in(4, 500, 0))),
                Arguments.of("recovered before the retry", List.of(in(1, 0, 0), in(3, 0, MISSING_ADDED, 2), rtx(2, 50),
                        in(4, 300, 0))),
                Arguments.of("duplicate ignored", List.of(in(1, 0, 0), in(1, 0, 0), in(2, 0, 0))),
                Arguments.of("wrap-around no loss", List.of(in(65534, 0, 0), in(65535, 0, 0), in(0, 0, 0), in(1, 0, 0))),
                Arguments.of("wrap-around loss at 0", List.of(in(65534, 0, 0), in(65535, 0, 0), in(1, 0, MISSING_ADDED, 0))),
                Arguments.of("loss across the wrap", List.of(in(65533, 0, 0), in(2, 0, MISSING_ADDED, 65534, 65535, 0, 1))),
                Arguments.of("reordered across the wrap", List.of(in(65535, 0, 0), in(1, 0, MISSING_ADDED, 0), in(0, 0, 0),
                        in(2, 500, 0))),
                Arguments.of("retransmission ahead of newest is not nacked",
                        List.of(in(1, 0, 0), rtx(3, 0), in(4, 0, MISSING_ADDED, 2))),
                Arguments.of("retry after 1.5 RTT", List.of(in(1, 0, 0), in(3, 0, MISSING_ADDED, 2), in(4, 100, 0),
                        in(5, 149, 0), in(6, 150, 0, 2), in(7, 299, 0), in(8, 300, 0, 2))),
                Arguments.of("too much missing asks for a keyframe",
                        List.of(in(1, 0, 0), in(1003, 0, REQUEST_KEYFRAME), in(1004, 0, 0))),
                Arguments.of("exactly the list size is still nacked",
                        List.of(in(1, 0, 0), in(4, 0, MISSING_ADDED, 2, 3))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tables")
    void table(String name, List<Step> steps) {
        NackGenerator g = new NackGenerator();
        int[] out = new int[2000];
        int i = 0;
        for (Step s : steps) {
            assertEquals(s.result(), g.onPacket(s.seq(), s.keyFrame(), s.rtx(), s.atMillis()), "result of step " + i);
            int n = g.collect(s.atMillis(), out);
            assertArrayEquals(s.nacks(), Arrays.copyOf(out, n), "nacks after step " + i + " " + s);
            i++;
        }
    }

    @Test
    void givesUpAfterMaxRetries() {
        NackGenerator g = new NackGenerator(new NackConfig(1000, 3, 10_000, 10_000, 20, 150, 100));
        int[] out = new int[16];
        g.onPacket(1, false, false, 0);
        g.onPacket(3, false, false, 0);
        assertEquals(1, g.collect(0, out));
        assertEquals(1, g.collect(150, out));
        assertEquals(1, g.collect(300, out));
        assertEquals(0, g.collect(450, out));
        assertEquals(0, g.missingCount());
        assertEquals(3, g.nacksSent());
    }

    @Test
    void minimumRetryIntervalWithTinyRtt() {
        NackGenerator g = new NackGenerator();
        g.setRttMillis(2);
        int[] out = new int[16];
        g.onPacket(1, false, false, 0);
        g.onPacket(3, false, false, 0);
        assertEquals(1, g.collect(0, out));
        assertEquals(0, g.collect(19, out));
        assertEquals(1, g.collect(20, out));
    }

    @Test
    void dropsEntriesOlderThanMaxAge() {
        NackGenerator g = new NackGenerator();
        g.setRttMillis(1000); // retries every 1.5 s
        int[] out = new int[16];
        g.onPacket(1, false, false, 0);
        g.onPacket(3, false, false, 0);
        assertEquals(1, g.collect(0, out));
        assertTrue(g.isMissing(2));
        assertEquals(0, g.collect(1501, out));
        assertFalse(g.isMissing(2));
    }

    @Test
    void dropsEntriesTooFarBehindInSequence() {
        NackGenerator g = new NackGenerator(new NackConfig(1000, 10, 10_000, 100, 20, 150, 100));
        g.onPacket(1, false, false, 0);
        g.onPacket(3, false, false, 0);
        for (int s = 4; s <= 102; s++) {
            g.onPacket(s, false, false, 0);
        }
        assertTrue(g.isMissing(2));
        g.onPacket(103, false, false, 0);
        assertFalse(g.isMissing(2));
    }

    @Test
    void overflowForgetsLossesBeforeTheLatestKeyFrame() {
        NackGenerator g = new NackGenerator(new NackConfig(10, 10, 10_000, 10_000, 20, 150, 100));
        int[] out = new int[32];
        g.onPacket(0, false, false, 0);
        assertEquals(MISSING_ADDED, g.onPacket(6, false, false, 0)); // 1..5 missing
        assertEquals(0, g.onPacket(7, true, false, 0));               // keyframe
        assertEquals(MISSING_ADDED, g.onPacket(14, false, false, 0)); // 8..13: 5 + 6 > 10
        int n = g.collect(0, out);
        assertArrayEquals(new int[] {8, 9, 10, 11, 12, 13}, Arrays.copyOf(out, n));
    }

    @Test
    void overflowWithoutKeyFrameClearsAndAsksForOne() {
        NackGenerator g = new NackGenerator(new NackConfig(10, 10, 10_000, 10_000, 20, 150, 100));
        int[] out = new int[32];
        g.onPacket(0, false, false, 0);
        assertEquals(MISSING_ADDED, g.onPacket(6, false, false, 0));
        assertEquals(REQUEST_KEYFRAME, g.onPacket(13, false, false, 0));
        assertEquals(0, g.collect(0, out));
        assertEquals(1, g.keyFrameRequests());
        assertEquals(MISSING_ADDED, g.onPacket(15, false, false, 10)); // tracking resumes
        assertEquals(1, g.collect(10, out));
        assertEquals(14, out[0]);
    }

    @Test
    void outputBoundedByArrayLengthRestStaysDue() {
        NackGenerator g = new NackGenerator();
        int[] out = new int[4];
        g.onPacket(0, false, false, 0);
        g.onPacket(11, false, false, 0);
        assertEquals(4, g.collect(0, out));
        assertArrayEquals(new int[] {1, 2, 3, 4}, out);
        assertEquals(4, g.collect(1, out));
        assertArrayEquals(new int[] {5, 6, 7, 8}, out);
        assertEquals(2, g.collect(2, out));
        assertEquals(9, out[0]);
        assertEquals(10, out[1]);
    }

    @Test
    void longRunAcrossManyWrapsNacksEveryLostPacketOnce() {
        NackGenerator g = new NackGenerator();
        g.setRttMillis(2000); // no retry before the 1.5 s age limit
        int[] out = new int[64];
        int nacked = 0;
        int lost = 0;
        for (int i = 0; i < 200_000; i++) {
            if (i % 97 == 50) {
                lost++;
                continue;
            }
            g.onPacket((40_000 + i) & 0xFFFF, false, false, i);
            int n = g.collect(i, out);
            for (int k = 0; k < n; k++) {
                assertEquals((40_000 + i - 1) & 0xFFFF, out[k]);
            }
            nacked += n;
        }
        assertEquals(lost, nacked);
    }
}
