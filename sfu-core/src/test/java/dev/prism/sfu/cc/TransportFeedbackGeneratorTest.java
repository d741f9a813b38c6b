package dev.prism.sfu.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.rtcp.TransportLayerCcReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransportFeedbackGeneratorTest {
    record Status(int seq, boolean received, long arrivalMicros) {}

    static List<Status> read(ByteBuf feedback) {
        TransportLayerCcReader r = new TransportLayerCcReader();
        assertTrue(r.reset(feedback, feedback.readerIndex()) >= 0, "feedback parses");
        List<Status> out = new ArrayList<>();
        while (r.next()) {
            out.add(new Status(r.sequenceNumber(), r.received(), r.received() ? r.arrivalMicros() : -1));
        }
        return out;
    }

    @Test
    void reportsArrivalsAndGapsInSequenceOrderAcrossWrap() {
        TransportFeedbackGenerator g = new TransportFeedbackGenerator(7);
        long t = 10_000_000;
        g.onPacket(65534, t);
        g.onPacket(0, t + 2000);      // 65535 missing
        g.onPacket(65535, t + 3000);  // arrives late: reordered, not lost
        g.onPacket(2, t + 5000);      // 1 lost
        ByteBuf out = Unpooled.buffer();
        assertTrue(g.write(out, 0x1234) > 0);
        List<Status> s = read(out);
        assertEquals(List.of(65534, 65535, 0, 1, 2), s.stream().map(Status::seq).toList());
        assertEquals(List.of(true, true, true, false, true), s.stream().map(Status::received).toList());
        // Arrival times survive the 250 µs quantisation relative to the first.
        long base = s.get(0).arrivalMicros();
        assertEquals(3000, s.get(1).arrivalMicros() - base);
        assertEquals(2000, s.get(2).arrivalMicros() - base);
        assertEquals(5000, s.get(4).arrivalMicros() - base);
        assertFalse(g.hasPending());
        assertEquals(0, g.write(Unpooled.buffer(), 1), "nothing new, nothing written");
    }

    @Test
    void consecutiveFeedbacksContinueWhereTheLastStopped() {
        TransportFeedbackGenerator g = new TransportFeedbackGenerator(7);
        for (int i = 0; i < 100; i++) {
            g.onPacket(1000 + i, 1_000_000 + i * 1000L);
        }
        ByteBuf first = Unpooled.buffer();
        g.write(first, 1);
        for (int i = 100; i < 150; i++) {
            g.onPacket(1000 + i, 1_000_000 + i * 1000L);
        }
        g.onPacket(1050, 5_000_000); // a duplicate of something already reported is ignored
        ByteBuf second = Unpooled.buffer();
        g.write(second, 1);
        List<Status> a = read(first);
        List<Status> b = read(second);
        assertEquals(100, a.size());
        assertEquals(50, b.size());
        assertEquals(1100, b.get(0).seq());
        assertTrue(b.stream().allMatch(Status::received));
        assertEquals(1, second.getUnsignedByte(second.readerIndex() + 19), "feedback count increments");
    }
}
