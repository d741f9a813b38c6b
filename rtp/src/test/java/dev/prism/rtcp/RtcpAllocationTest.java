package dev.prism.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The per-packet paths allocate nothing: walking a compound with every accessor, iterating TWCC
 * and NACK, and building TWCC/NACK/RR into a reused buffer. Allocation, unlike time, is
 * deterministic enough for a unit test (thread allocated-bytes counter).
 */
class RtcpAllocationTest {
    private static final int ROUNDS = 20_000;

    /** A long-lived consumer: the non-capturing way to use forEachLost on the hot path. */
    private static final class LostSum implements SequenceNumberConsumer {
        long sum;

        @Override
        public void accept(int sequenceNumber) {
            sum += sequenceNumber;
        }
    }

    private final RtcpCompoundReader reader = new RtcpCompoundReader();
    private final TransportLayerCcReader twcc = new TransportLayerCcReader();
    private final TransportLayerCcWriter writer = new TransportLayerCcWriter(256);
    private final LostSum lost = new LostSum();
    private final int[] seqs = {3, 4, 9, 40};

    @Test
    void readingAndWritingAllocateNothing() {
        ByteBuf in = RtcpFuzzTest.validCompound();
        // Heap buffers: the test JVM's PARANOID leak detector wraps direct ones and records
        // every access, which would be counted here as our allocation.
        ByteBuf out = Unpooled.buffer(2048);
        try {
            long expected = round(in, out);
            for (int i = 0; i < ROUNDS; i++) { // warm up: let the JIT settle before counting
                round(in, out);
            }
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long thread = Thread.currentThread().threadId();
            long before = threads.getThreadAllocatedBytes(thread);
            long sum = 0;
            for (int i = 0; i < ROUNDS; i++) {
                sum += round(in, out);
            }
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            assertEquals(expected * ROUNDS, sum);
            System.out.println("RtcpAllocationTest: " + allocated + " bytes allocated over " + ROUNDS + " rounds");
            assertTrue(allocated < 4096, allocated + " bytes allocated over " + ROUNDS + " rounds");
        } finally {
            in.release();
            out.release();
        }
    }

    private long round(ByteBuf in, ByteBuf out) {
        long sum = 0;
        reader.reset(in);
        while (reader.next()) {
            int at = reader.offset();
            switch (reader.packetType()) {
                case RtcpPacketType.SR -> sum += ReportBlock.cumulativeLost(in, SenderReport.reportBlockOffset(at, 0));
                case RtcpPacketType.RTPFB -> {
                    if (reader.countOrFormat() == RtcpPacketType.FMT_NACK) {
                        lost.sum = 0;
                        TransportLayerNack.forEachLost(in, at, lost);
                        sum += lost.sum;
                    } else if (twcc.reset(in, at) == RtcpError.OK) {
                        while (twcc.next()) {
                            sum += twcc.arrivalMicros() + twcc.sequenceNumber();
                        }
                    }
                }
                case RtcpPacketType.PSFB -> sum += RtcpFeedback.mediaSsrc(in, at);
                default -> sum += reader.length();
            }
        }
        out.clear();
        ReceiverReport.write(out, 1, 1);
        ReportBlock.write(out, 2, 3, 4, 5, 6, 7, 8);
        TransportLayerNack.write(out, 1, 2, seqs, seqs.length);
        writer.reset(1, 2, 100, 5, 0);
        for (int i = 0; i < 50; i++) {
            writer.add(100 + i * 2, 5 * 64_000L + i * 3_000L);
        }
        sum += writer.write(out);
        return sum;
    }
}
