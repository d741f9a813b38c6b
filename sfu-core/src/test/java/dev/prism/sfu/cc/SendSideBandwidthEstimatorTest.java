package dev.prism.sfu.cc;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.rtcp.TransportLayerCcWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Feedback parsing edge cases and the allocation budget of the estimator. */
class SendSideBandwidthEstimatorTest {
    private static final int BYTES = 1200;

    /**
     * Feedback for {@code count} packets from {@code baseSeq}, packet i arriving at
     * {@code firstArrival + i ms}, except those in {@code lost}; as an unpooled heap buffer that the
     * leak detector does not track (so reading it allocates nothing).
     */
    private static ByteBuf feedback(int baseSeq, int count, long firstArrivalMicros, int... lost) {
        TransportLayerCcWriter w = new TransportLayerCcWriter(4096);
        w.reset(1, 2, baseSeq, (int) (firstArrivalMicros / 64_000), 0);
        for (int i = 0; i < count; i++) {
            int seq = (baseSeq + i) & 0xFFFF;
            boolean isLost = false;
            for (int l : lost) {
                isLost |= l == seq;
            }
            boolean ok = isLost ? w.addLost(seq) : w.add(seq, firstArrivalMicros + i * 1_000L);
            assertTrue(ok);
        }
        ByteBuf tmp = Unpooled.buffer();
        w.write(tmp);
        ByteBuf out = Unpooled.wrappedBuffer(ByteBufUtil.getBytes(tmp));
        tmp.release();
        return out;
    }

    @Test
    void sequenceNumbersWrapAround() {
        SendSideBandwidthEstimator bwe = new SendSideBandwidthEstimator(500_000, 30_000, 5_000_000);
        long t = 5_000_000;
        for (int i = 0; i < 40; i++) {
            bwe.onPacketSent((65_520 + i) & 0xFFFF, BYTES, t + i * 1_000L);
        }
        // 65520..65535 and 0..23 sent; the first feedback crosses the wrap, with two lost.
        bwe.onTransportFeedback(feedback(65_520, 24, 20_000_000, 65_534, 3), 0, t + 80_000);
        assertEquals(1, bwe.feedbacks());
        assertEquals(0, bwe.unknownReports());
        assertEquals(2.0 / 24, bwe.lossFraction(), 1e-9);
        assertEquals(80 - 23, bwe.rttMillis(), "rtt from the newest acked packet (seq 7, the 24th, sent at +23 ms)");
        // The rest, after the wrap.
        bwe.onTransportFeedback(feedback(8, 16, 20_024_000), 0, t + 120_000);
        assertEquals(2, bwe.feedbacks());
        assertEquals(0, bwe.unknownReports());
        assertEquals(2.0 / 40, bwe.lossFraction(), 1e-9);
        assertEquals(0, bwe.ackedBps(), "40 ms of arrivals: too short to tell a rate yet");
        // Numbers never sent are not matched to anything.
        bwe.onTransportFeedback(feedback(30_000, 5, 20_100_000), 0, t + 150_000);
        assertEquals(5, bwe.unknownReports());
    }

    @Test
    void repeatedReportsCountOnceAndALateArrivalUndoesItsLoss() {
        SendSideBandwidthEstimator bwe = new SendSideBandwidthEstimator(500_000, 30_000, 5_000_000);
        for (int i = 0; i < 30; i++) {
            bwe.onPacketSent(100 + i, BYTES, i * 1_000L);
        }
        bwe.onTransportFeedback(feedback(100, 30, 1_000_000, 110, 111), 0, 100_000);
        assertEquals(2.0 / 30, bwe.lossFraction(), 1e-9);
        // The same loss again: no change.
        bwe.onTransportFeedback(feedback(100, 30, 1_000_000, 110, 111), 0, 150_000);
        assertEquals(2.0 / 30, bwe.lossFraction(), 1e-9);
        // 110 arrived late after all: one loss is undone; the received ones are not counted again.
        bwe.onTransportFeedback(feedback(100, 30, 1_000_000, 111), 0, 200_000);
        assertEquals(1.0 / 30, bwe.lossFraction(), 1e-9);
    }

    @Test
    void garbageAndTruncatedFeedbackIsCountedAndIgnored() {
        SendSideBandwidthEstimator bwe = new SendSideBandwidthEstimator(500_000, 30_000, 5_000_000);
        for (int i = 0; i < 100; i++) {
            bwe.onPacketSent(i, BYTES, i * 1_000L);
        }
        ByteBuf good = feedback(0, 100, 1_000_000, 5, 6, 50);
        int len = good.readableBytes();
        long malformed = 0;
        // Every truncation: the length field then overshoots the bytes present.
        for (int cut = 0; cut < len; cut++) {
            ByteBuf b = Unpooled.wrappedBuffer(ByteBufUtil.getBytes(good, 0, cut));
            assertDoesNotThrow(() -> bwe.onTransportFeedback(b, 0, 200_000));
            malformed++;
        }
        assertEquals(malformed, bwe.malformedFeedbacks());
        assertEquals(0, bwe.feedbacks());
        assertEquals(500_000, bwe.estimateBps());
        // Offsets outside the buffer.
        bwe.onTransportFeedback(good, -4, 200_000);
        bwe.onTransportFeedback(good, len, 200_000);
        bwe.onTransportFeedback(good, len + 100, 200_000);
        bwe.onTransportFeedback(Unpooled.EMPTY_BUFFER, 0, 200_000);
        assertEquals(malformed + 4, bwe.malformedFeedbacks());
        assertEquals(0, bwe.feedbacks());
        // Random bytes and random corruptions of a good packet: never an exception, estimate in range.
        Random random = new Random(7);
        byte[] original = ByteBufUtil.getBytes(good);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes;
            if (i % 2 == 0) {
                bytes = new byte[random.nextInt(64)];
                random.nextBytes(bytes);
            } else {
                bytes = original.clone();
                for (int k = random.nextInt(4); k >= 0; k--) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
            }
            ByteBuf b = Unpooled.wrappedBuffer(bytes);
            assertDoesNotThrow(() -> bwe.onTransportFeedback(b, 0, 300_000));
            assertTrue(bwe.estimateBps() >= 30_000 && bwe.estimateBps() <= 5_000_000);
            assertTrue(bwe.lossFraction() >= 0 && bwe.lossFraction() <= 1);
        }
        assertTrue(bwe.malformedFeedbacks() > malformed + 4, "corruptions were counted");
        // Still works afterwards.
        long before = bwe.feedbacks();
        bwe.onTransportFeedback(good, 0, 400_000);
        assertEquals(before + 1, bwe.feedbacks());
    }

    @Test
    void sendingAndFeedbackAllocateNothingAfterWarmUp() {
        // 100k packets at one per ms, 20 ms one way with a little jitter, feedback every 50
        // packets; sequence numbers wrap on the way. Feedback buffers are built beforehand.
        int packets = 100_000;
        int perFeedback = 50;
        ByteBuf[] feedbacks = new ByteBuf[packets / perFeedback];
        Random random = new Random(11);
        for (int f = 0; f < feedbacks.length; f++) {
            int base = f * perFeedback;
            TransportLayerCcWriter w = new TransportLayerCcWriter(perFeedback);
            long first = base * 1_000L + 20_000 + 10_000_000;
            w.reset(1, 2, base & 0xFFFF, (int) (first / 64_000), f);
            for (int i = 0; i < perFeedback; i++) {
                int seq = base + i;
                if (random.nextInt(100) == 0) {
                    w.addLost(seq & 0xFFFF);
                } else {
                    w.add(seq & 0xFFFF, seq * 1_000L + 20_000 + 10_000_000 + random.nextInt(2_000));
                }
            }
            ByteBuf tmp = Unpooled.buffer();
            w.write(tmp);
            feedbacks[f] = Unpooled.wrappedBuffer(ByteBufUtil.getBytes(tmp));
            tmp.release();
        }
        SendSideBandwidthEstimator warmUp = new SendSideBandwidthEstimator(1_000_000, 30_000, 20_000_000);
        run(warmUp, feedbacks, perFeedback);
        run(new SendSideBandwidthEstimator(1_000_000, 30_000, 20_000_000), feedbacks, perFeedback);
        SendSideBandwidthEstimator measured = new SendSideBandwidthEstimator(1_000_000, 30_000, 20_000_000);

        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        long before = threads.getThreadAllocatedBytes(id);
        run(measured, feedbacks, perFeedback);
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        System.out.printf("100k packets and %d feedbacks allocated %d bytes; estimate %d kbit/s, feedbacks used %d%n",
                feedbacks.length, allocated, measured.estimateBps() / 1000, measured.feedbacks());
        assertEquals(feedbacks.length, measured.feedbacks());
        assertTrue(allocated < 4_096, "allocated " + allocated + " bytes");
    }

    private static void run(SendSideBandwidthEstimator bwe, ByteBuf[] feedbacks, int perFeedback) {
        int next = 0;
        for (int seq = 0; seq < feedbacks.length * perFeedback; seq++) {
            long now = seq * 1_000L;
            bwe.onPacketSent(seq & 0xFFFF, BYTES, now);
            // Feedback for a batch arrives 50 ms after its last packet was sent.
            while (next < feedbacks.length && (next + 1) * perFeedback * 1_000L + 50_000 <= now) {
                bwe.onTransportFeedback(feedbacks[next], 0, now);
                next++;
            }
        }
        while (next < feedbacks.length) {
            bwe.onTransportFeedback(feedbacks[next], 0, feedbacks.length * perFeedback * 1_000L + 50_000);
            next++;
        }
    }
}
