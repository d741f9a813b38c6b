package dev.prism.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PublisherPacerTest {
    private final EventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void spreadsAFrameAtThePacingRateInOrder() throws Exception {
        // 1000-byte packets at 1 × 4 Mbit/s (500 kB/s): one every 2 ms.
        int packets = 10;
        List<Integer> order = new ArrayList<>();
        long[] sentAt = new long[packets];
        CountDownLatch done = new CountDownLatch(packets);
        int[] flushes = {0};
        PublisherPacer[] pacer = new PublisherPacer[1];
        // The pacer's clock stands still while the frame is queued (on a busy CI machine queuing ten
        // packets can take milliseconds, which would refill the budget), then runs on in real time.
        long base = System.nanoTime();
        long[] shift = {-1};
        LongSupplier clock = () -> shift[0] < 0 ? base : System.nanoTime() - shift[0];
        loop.submit(() -> {
            pacer[0] = new PublisherPacer(loop, 1.0, 4_000_000, (b, seq, layer) -> {
                sentAt[order.size()] = System.nanoTime();
                order.add(seq);
                b.release();
                done.countDown();
            }, () -> flushes[0]++, clock);
            for (int i = 0; i < packets; i++) {
                pacer[0].enqueue(Unpooled.buffer(1000).writeZero(1000), i, null);
            }
            // The budget holds 5 ms at the rate (2,500 bytes): three packets leave at once, the rest wait.
            assertEquals(3, order.size(), "a 5 ms burst leaves at once, the rest wait");
            shift[0] = System.nanoTime() - base;
        }).get(5, TimeUnit.SECONDS);

        assertTrue(done.await(5, TimeUnit.SECONDS), "every packet left");
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), order, "first in, first out");
        long spreadMicros = (sentAt[packets - 1] - sentAt[0]) / 1000;
        // After the burst the budget is 500 bytes short; seven more packets need 500 + 6 × 1000 bytes
        // of it, 13 ms at 500 kB/s, before the tenth leaves (timers only fire late).
        assertTrue(spreadMicros >= 12_500, "the frame was spread at the pacing rate, not burst: " + spreadMicros + " µs");
        assertTrue(flushes[0] >= 1, "the pacer flushes after sending from its timer");
    }

    @Test
    void lateWakesDoNotLowerTheRate() throws Exception {
        // 1000-byte packets at 500 kB/s: one per 2 ms. A busy loop wakes the pacer every 4 ms instead;
        // the 5 ms budget lets two go per wake, so the rate holds and no backlog builds.
        long[] clock = {1_000_000_000L};
        int[] sent = {0};
        loop.submit(() -> {
            PublisherPacer pacer = new PublisherPacer(loop, 1.0, 4_000_000, (b, seq, layer) -> {
                sent[0]++;
                b.release();
            }, () -> { }, () -> clock[0]);
            for (int i = 0; i < 100; i++) {
                pacer.enqueue(Unpooled.buffer(1000).writeZero(1000), i, null);
            }
            assertEquals(3, sent[0]);
            for (int wake = 0; wake < 40; wake++) {
                clock[0] += 4_000_000;
                pacer.poll();
            }
            // 160 ms at 500 kB/s is 80 packets after the first three.
            assertEquals(83, sent[0], "late wakes kept the pacing rate");
            pacer.close();
        }).get(5, TimeUnit.SECONDS);
    }

    @Test
    void closeReleasesWaitingPacketsAndDropsLaterOnes() throws Exception {
        List<ByteBuf> queued = new ArrayList<>();
        int[] sent = {0};
        long frozen = System.nanoTime();
        loop.submit(() -> {
            PublisherPacer pacer = new PublisherPacer(loop, 2.5, 100_000, (b, seq, layer) -> {
                sent[0]++;
                b.release();
            }, () -> { }, () -> frozen);
            for (int i = 0; i < 5; i++) {
                ByteBuf b = Unpooled.buffer(1200).writeZero(1200);
                queued.add(b);
                pacer.enqueue(b, i, null);
            }
            // 2.5 × 100 kbit/s: a 5 ms budget of 156 bytes lets one packet out.
            assertEquals(4, pacer.queued());
            pacer.close();
            ByteBuf late = Unpooled.buffer(10).writeZero(10);
            queued.add(late);
            pacer.enqueue(late, 9, null);
            assertEquals(0, pacer.queued());
        }).get(5, TimeUnit.SECONDS);
        Thread.sleep(50);
        assertEquals(1, sent[0], "only the first packet left before the close");
        for (ByteBuf b : queued) {
            assertEquals(0, b.refCnt(), "every packet was released");
        }
    }

    @Test
    void refusesAFactorBelowOne() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new PublisherPacer(loop, 0.5, 1_000_000, (b, s, l) -> { }, () -> { }));
    }
}
