package dev.prism.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Write with each type's writer, read back through the compound reader and accessors. */
class RtcpRoundTripTest {

    private static ByteBuf buffer() {
        return PooledByteBufAllocator.DEFAULT.directBuffer(64);
    }

    private static int only(ByteBuf buf, int type) {
        RtcpCompoundReader r = new RtcpCompoundReader().reset(buf);
        assertTrue(r.next(), () -> RtcpError.name(r.error()));
        assertEquals(type, r.packetType());
        int at = r.offset();
        assertFalse(r.next());
        assertEquals(RtcpError.OK, r.error());
        return at;
    }

    @Property(tries = 200)
    void senderReportWithBlocks(@ForAll int ssrc, @ForAll long ntp, @ForAll @IntRange(min = 0, max = 31) int blocks,
                                @ForAll @IntRange(min = -0x800000, max = 0x7FFFFF) int lost) {
        ByteBuf buf = buffer();
        try {
            int n = SenderReport.write(buf, ssrc, ntp, 0xFFFFFFFFL, 7, 8, blocks);
            for (int i = 0; i < blocks; i++) {
                n += ReportBlock.write(buf, ssrc + i, i, lost, 0x10000L + i, 9, 10, 11);
            }
            assertEquals(buf.readableBytes(), n);
            int at = only(buf, RtcpPacketType.SR);
            assertEquals(ssrc, SenderReport.ssrc(buf, at));
            assertEquals(ntp, SenderReport.ntpTimestamp(buf, at));
            assertEquals(0xFFFFFFFFL, SenderReport.rtpTimestamp(buf, at));
            assertEquals(blocks, SenderReport.reportCount(buf, at));
            for (int i = 0; i < blocks; i++) {
                int b = SenderReport.reportBlockOffset(at, i);
                assertEquals(ssrc + i, ReportBlock.ssrc(buf, b));
                assertEquals(i, ReportBlock.fractionLost(buf, b));
                assertEquals(lost, ReportBlock.cumulativeLost(buf, b));
                assertEquals(0x10000L + i, ReportBlock.extendedHighestSequence(buf, b));
            }
        } finally {
            buf.release();
        }
    }

    @Test
    void cumulativeLostSaturates() {
        ByteBuf buf = buffer();
        try {
            ReceiverReport.write(buf, 1, 2);
            ReportBlock.write(buf, 2, 0, Integer.MAX_VALUE, 0, 0, 0, 0);
            ReportBlock.write(buf, 3, 0, Integer.MIN_VALUE, 0, 0, 0, 0);
            int at = only(buf, RtcpPacketType.RR);
            assertEquals(0x7FFFFF, ReportBlock.cumulativeLost(buf, ReceiverReport.reportBlockOffset(at, 0)));
            assertEquals(-0x800000, ReportBlock.cumulativeLost(buf, ReceiverReport.reportBlockOffset(at, 1)));
        } finally {
            buf.release();
        }
    }

    @Property(tries = 200)
    void cnameOfAnyLength(@ForAll int ssrc, @ForAll @IntRange(min = 0, max = 255) int length) {
        String cname = "c".repeat(length);
        ByteBuf buf = buffer();
        try {
            int n = SourceDescription.writeCname(buf, ssrc, cname);
            assertEquals(buf.readableBytes(), n);
            assertEquals(0, n % 4);
            SourceDescriptionReader sdes = new SourceDescriptionReader();
            sdes.reset(buf, only(buf, RtcpPacketType.SDES));
            assertTrue(sdes.nextChunk());
            assertEquals(ssrc, sdes.ssrc());
            assertTrue(sdes.nextItem());
            assertEquals(cname, buf.toString(sdes.itemOffset(), sdes.itemLength(), StandardCharsets.UTF_8));
            assertFalse(sdes.nextItem());
            assertFalse(sdes.nextChunk());
        } finally {
            buf.release();
        }
    }

    @Property(tries = 200)
    void goodbye(@ForAll @Size(max = 31) int[] ssrcs, @ForAll boolean withReason, @ForAll @IntRange(max = 255) int reasonLength) {
        String reason = withReason ? "r".repeat(reasonLength) : null;
        ByteBuf buf = buffer();
        try {
            int n = Goodbye.write(buf, ssrcs, ssrcs.length, reason);
            assertEquals(buf.readableBytes(), n);
            int at = only(buf, RtcpPacketType.BYE);
            assertEquals(ssrcs.length, Goodbye.sourceCount(buf, at));
            for (int i = 0; i < ssrcs.length; i++) {
                assertEquals(ssrcs[i], Goodbye.ssrc(buf, at, i));
            }
            if (withReason) {
                assertEquals(reason, buf.toString(Goodbye.reasonOffset(buf, at), Goodbye.reasonLength(buf, at), StandardCharsets.UTF_8));
            } else {
                assertEquals(-1, Goodbye.reasonOffset(buf, at));
            }
        } finally {
            buf.release();
        }
    }

    @Property(tries = 300)
    void nackReportsExactlyTheLostSet(@ForAll @IntRange(max = 65535) int start,
                                      @ForAll @Size(min = 1, max = 80) List<@IntRange(max = 400) Integer> offsets) {
        TreeSet<Integer> sorted = new TreeSet<>(offsets);
        int[] seqs = new int[sorted.size()];
        int k = 0;
        for (int o : sorted) {
            seqs[k++] = (start + o) & 0xFFFF; // ascending in serial order, wrapping past 65535
        }
        ByteBuf buf = buffer();
        try {
            int n = TransportLayerNack.write(buf, 1, 2, seqs, seqs.length);
            assertEquals(buf.readableBytes(), n);
            int at = only(buf, RtcpPacketType.RTPFB);
            assertEquals(TransportLayerNack.pairsFor(seqs, seqs.length), TransportLayerNack.pairCount(buf, at));
            List<Integer> lost = new ArrayList<>();
            TransportLayerNack.forEachLost(buf, at, lost::add);
            List<Integer> expected = new ArrayList<>();
            for (int s : seqs) {
                expected.add(s);
            }
            assertEquals(expected, lost);
        } finally {
            buf.release();
        }
    }

    @Test
    void nackPacksSeventeenPerPair() {
        int[] seqs = new int[34];
        for (int i = 0; i < seqs.length; i++) {
            seqs[i] = 1000 + i;
        }
        assertEquals(2, TransportLayerNack.pairsFor(seqs, seqs.length));
        assertEquals(1, TransportLayerNack.pairsFor(seqs, 17));
        assertEquals(2, TransportLayerNack.pairsFor(seqs, 18));
    }

    @Property(tries = 100)
    void firEntries(@ForAll @Size(min = 1, max = 20) int[] ssrcs) {
        int[] seqNrs = new int[ssrcs.length];
        for (int i = 0; i < seqNrs.length; i++) {
            seqNrs[i] = (i * 37) & 0xFF;
        }
        ByteBuf buf = buffer();
        try {
            int n = FullIntraRequest.write(buf, 9, ssrcs, seqNrs, ssrcs.length);
            assertEquals(buf.readableBytes(), n);
            int at = only(buf, RtcpPacketType.PSFB);
            assertEquals(RtcpPacketType.FMT_FIR, RtcpFeedback.format(buf, at));
            assertEquals(0, RtcpFeedback.mediaSsrc(buf, at));
            assertEquals(ssrcs.length, FullIntraRequest.entryCount(buf, at));
            for (int i = 0; i < ssrcs.length; i++) {
                assertEquals(ssrcs[i], FullIntraRequest.entrySsrc(buf, at, i));
                assertEquals(seqNrs[i], FullIntraRequest.entrySequenceNumber(buf, at, i));
            }
        } finally {
            buf.release();
        }
    }

    @Property(tries = 300)
    void rembKeepsEighteenSignificantBits(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long bitrate,
                                          @ForAll @Size(max = 255) int[] ssrcs) {
        ByteBuf buf = buffer();
        try {
            ReceiverEstimatedMaximumBitrate.write(buf, 1, bitrate, ssrcs, ssrcs.length);
            int at = only(buf, RtcpPacketType.PSFB);
            assertTrue(ReceiverEstimatedMaximumBitrate.isRemb(buf, at));
            long decoded = ReceiverEstimatedMaximumBitrate.bitrate(buf, at);
            assertTrue(decoded <= bitrate, decoded + " > " + bitrate);
            int exp = ReceiverEstimatedMaximumBitrate.exponent(buf, at);
            assertTrue(bitrate - decoded < (1L << exp), "only bits below the exponent are dropped");
            assertEquals(ssrcs.length, ReceiverEstimatedMaximumBitrate.ssrcCount(buf, at));
            for (int i = 0; i < ssrcs.length; i++) {
                assertEquals(ssrcs[i], ReceiverEstimatedMaximumBitrate.ssrc(buf, at, i));
            }
        } finally {
            buf.release();
        }
    }
}
