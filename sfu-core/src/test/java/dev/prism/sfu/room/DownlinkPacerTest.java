package dev.prism.sfu.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DownlinkPacerTest {
    private final long[] now = {1_000_000_000L};
    private final List<ByteBuf> sent = new ArrayList<>();
    private final DownlinkPacer pacer = new DownlinkPacer(sent::add, () -> now[0]);

    private static ByteBuf packet(int size) {
        return Unpooled.buffer(size).writeZero(size);
    }

    @Test
    void withoutAnEstimateEverythingGoesAtOnce() {
        for (int i = 0; i < 50; i++) {
            pacer.send(packet(1200));
        }
        assertEquals(50, sent.size());
    }

    @Test
    void aKeyFrameBurstIsSpreadAtTheEstimateTimesThePacingFactorInOrder() {
        pacer.setEstimate(400_000);
        long rate = (long) (400_000 * DownlinkPacer.PACING_FACTOR / 8); // bytes/s
        long burst = Math.max(DownlinkPacer.MIN_BURST_BYTES, rate * DownlinkPacer.BURST_MICROS / 1_000_000);
        pacer.send(packet(100)); // starts the clock
        now[0] += 1_000_000_000L;
        for (int i = 0; i < 40; i++) { // 48 kB at once: a key frame
            ByteBuf p = packet(1200);
            p.setInt(0, i);
            pacer.send(p);
        }
        int first = sent.size();
        assertTrue(first <= burst / 1200 + 2 && first < 10, "only the burst allowance goes at once: " + first);
        long bytes = 0;
        for (int tick = 0; tick < 100 && sent.size() < 41; tick++) { // 10 ms ticks
            now[0] += 10_000_000L;
            int before = sent.size();
            pacer.drain();
            for (int i = before; i < sent.size(); i++) {
                bytes += sent.get(i).readableBytes();
            }
            if (sent.size() < 41) {
                assertTrue(bytes <= rate * (tick + 1) / 100 + 2 * 1200, "never ahead of the rate at tick " + tick);
            }
        }
        assertEquals(41, sent.size(), "all sent within a second");
        for (int i = 1; i < 41; i++) {
            assertEquals(i - 1, sent.get(i).getInt(0), "FIFO order");
        }
        assertEquals(0, pacer.queuedBytes());
    }

    @Test
    void aFullQueueDropsAndClearReleases() {
        pacer.setEstimate(100_000);
        pacer.send(packet(100));
        List<ByteBuf> kept = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            ByteBuf p = packet(1200);
            kept.add(p);
            pacer.send(p);
        }
        assertTrue(pacer.dropped() > 0, "over 512 kB waiting: dropped");
        assertTrue(pacer.queuedBytes() <= DownlinkPacer.MAX_QUEUE_BYTES);
        pacer.clear();
        assertEquals(0, pacer.queuedBytes());
        for (ByteBuf p : kept) {
            if (!sent.contains(p)) {
                assertEquals(0, p.refCnt(), "released");
            }
        }
    }
}
