package dev.prism.sfu.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.rtcp.ReportBlock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReceiveStreamStatisticsTest {

    /** Feeds the sequence numbers 20 ms apart with timestamps advancing in step (no jitter). */
    private static ReceiveStreamStatistics feed(int... seqs) {
        ReceiveStreamStatistics s = new ReceiveStreamStatistics(90_000);
        long t = 0;
        for (int seq : seqs) {
            s.onPacket(seq, 0, t);
            t += 20_000;
        }
        return s;
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // name, sequence, ext highest, received, cumulative lost
                Arguments.of("in order", new int[] {10, 11, 12, 13}, 13L, 4L, 0L),
                Arguments.of("one lost", new int[] {10, 11, 13, 14}, 14L, 4L, 1L),
                Arguments.of("loss burst", new int[] {10, 11, 20, 21}, 21L, 4L, 8L),
                Arguments.of("reordered", new int[] {10, 12, 11, 13}, 13L, 4L, 0L),
                Arguments.of("late packet below the first", new int[] {10, 11, 9, 12}, 12L, 4L, -1L),
                Arguments.of("duplicates make loss negative", new int[] {10, 11, 11, 12, 12}, 12L, 5L, -2L),
                Arguments.of("wrap-around", new int[] {65534, 65535, 0, 1}, 65536L + 1, 4L, 0L),
                Arguments.of("wrap-around with loss", new int[] {65533, 65535, 2}, 65536L + 2, 3L, 3L),
                Arguments.of("reordered across the wrap", new int[] {65534, 0, 65535, 1}, 65536L + 1, 4L, 0L),
                Arguments.of("single large jump ignored", new int[] {10, 11, 30000, 12}, 12L, 3L, 0L),
                Arguments.of("confirmed jump restarts", new int[] {10, 11, 30000, 30001, 30002}, 30002L, 2L, 0L),
                Arguments.of("old packet beyond misorder is a jump", new int[] {1000, 1001, 500, 1002}, 1002L, 3L, 0L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void countsSequences(String name, int[] seqs, long extHighest, long received, long lost) {
        ReceiveStreamStatistics s = feed(seqs);
        assertEquals(extHighest, s.extendedHighestSequence(), "ext highest");
        assertEquals(received, s.packetsReceived(), "received");
        assertEquals(lost, s.cumulativeLost(), "cumulative lost");
    }

    @Test
    void largeJumpIsReportedAsNotCounted() {
        ReceiveStreamStatistics s = feed(10, 11);
        assertFalse(s.onPacket(40000, 0, 100_000));
        assertTrue(s.onPacket(40001, 0, 120_000));
    }

    @Test
    void fractionLostPerInterval() {
        ReceiveStreamStatistics s = feed(0, 1, 2, 3);
        assertEquals(0, s.closeReportInterval());
        // next interval: 4..11 expected (8), 6 received -> 2/8 = 64/256
        for (int seq : new int[] {4, 5, 7, 8, 10, 11}) {
            s.onPacket(seq, 0, 0);
        }
        assertEquals(64, s.closeReportInterval());
        assertEquals(64, s.fractionLost());
        // nothing new: fraction 0
        assertEquals(0, s.closeReportInterval());
        // duplicates only: negative loss clamps to 0
        s.onPacket(12, 0, 0);
        s.onPacket(12, 0, 0);
        assertEquals(0, s.closeReportInterval());
        assertEquals(1, s.cumulativeLost());
    }

    @Test
    void countsAcrossSeveralWrapsWithPeriodicLoss() {
        ReceiveStreamStatistics s = new ReceiveStreamStatistics(48_000);
        long sent = 3 * 65536L + 77;
        long lost = 0;
        for (long i = 0; i < sent; i++) {
            if (i % 10 == 5) {
                lost++;
                continue;
            }
            s.onPacket((int) ((60_000 + i) & 0xFFFF), 0, 0);
        }
        assertEquals(60_000 + sent - 1, s.extendedHighestSequence());
        assertEquals(lost, s.cumulativeLost());
        assertEquals(sent - lost, s.packetsReceived());
    }

    @Test
    void jitterIsZeroForPerfectPacing() {
        ReceiveStreamStatistics s = new ReceiveStreamStatistics(90_000);
        for (int i = 0; i < 100; i++) {
            s.onPacket(i, 1800L * i, 20_000L * i); // 20 ms at 90 kHz = 1800 ticks
        }
        assertEquals(0, s.jitter());
    }

    @Test
    void jitterConvergesToConstantAlternatingDeviation() {
        // Arrival alternates +-1 ms around perfect pacing: |D| = 2 ms = 180 ticks each packet,
        // so J converges to 180 (A.8: J += (|D| - J) / 16).
        ReceiveStreamStatistics s = new ReceiveStreamStatistics(90_000);
        for (int i = 0; i < 400; i++) {
            long offset = (i % 2 == 0) ? 1000 : -1000;
            s.onPacket(i, 1800L * i, 20_000L * i + 1_000_000 + offset);
        }
        assertTrue(Math.abs(s.jitter() - 180) <= 1, "jitter " + s.jitter());
    }

    @Test
    void jitterHandlesTimestampWrap() {
        ReceiveStreamStatistics s = new ReceiveStreamStatistics(90_000);
        long ts = 0xFFFFFFFFL - 1800 * 5;
        for (int i = 0; i < 20; i++) {
            s.onPacket(i, (ts + 1800L * i) & 0xFFFFFFFFL, 20_000L * i);
        }
        assertEquals(0, s.jitter());
    }

    @Test
    void jitterIgnoresReorderedPackets() {
        ReceiveStreamStatistics s = new ReceiveStreamStatistics(90_000);
        s.onPacket(0, 0, 0);
        s.onPacket(2, 3600, 40_000);
        s.onPacket(1, 1800, 500_000); // very late, reordered: not used for jitter
        s.onPacket(3, 5400, 60_000);
        assertEquals(0, s.jitter());
    }

    @Test
    void writesReportBlockWithLsrAndDlsr() {
        ReceiveStreamStatistics s = feed(100, 101, 103);
        s.onSenderReport(0x1234_5678L, 1_000_000);
        ByteBuf out = Unpooled.buffer();
        try {
            assertEquals(ReportBlock.SIZE, s.writeReportBlock(out, 0xCAFEBABE, 1_500_000));
            assertEquals(0xCAFEBABE, ReportBlock.ssrc(out, 0));
            assertEquals(64, ReportBlock.fractionLost(out, 0)); // 1 of 4
            assertEquals(1, ReportBlock.cumulativeLost(out, 0));
            assertEquals(103, ReportBlock.extendedHighestSequence(out, 0));
            assertEquals(0x1234_5678L, ReportBlock.lastSenderReport(out, 0));
            assertEquals(32768, ReportBlock.delaySinceLastSenderReport(out, 0)); // 0.5 s
        } finally {
            out.release();
        }
    }

    @Test
    void noSenderReportGivesZeroLsrAndDlsr() {
        ReceiveStreamStatistics s = feed(1, 2);
        assertEquals(0, s.lastSenderReport());
        assertEquals(0, s.delaySinceLastSenderReport(5_000_000));
    }
}
