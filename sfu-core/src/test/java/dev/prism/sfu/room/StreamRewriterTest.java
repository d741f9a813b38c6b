package dev.prism.sfu.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.rtp.RtpPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class StreamRewriterTest {
    /** V=2 with one CSRC, a one-byte extension, marker, PT 96, padding of 3. */
    static ByteBuf source(int seq, long timestamp, boolean marker) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(0x80 | 0x20 | 0x10 | 1).writeByte((marker ? 0x80 : 0) | 96).writeShort(seq)
                .writeInt((int) timestamp).writeInt(0xAABBCCDD).writeInt(0x01020304);
        b.writeShort(0xBEDE).writeShort(1).writeByte(0x30).writeByte(0x7f).writeShort(0);
        b.writeBytes(new byte[] {9, 8, 7, 6, 5});
        b.writeBytes(new byte[] {0, 0, 3});
        return b;
    }

    @Test
    void rewritesIdentityAndKeepsPayloadAndPadding() {
        StreamRewriter r = new StreamRewriter(0x11223344, 100);
        assertFalse(r.started());
        ByteBuf in = source(500, 90_000, true);
        assertTrue(RtpPacket.validate(in) >= 0);
        r.start(500, 90_000, 7, 1_000);
        ByteBuf out = Unpooled.buffer();
        r.write(in, out);
        assertEquals(StreamRewriter.outputLength(in), out.readableBytes());
        assertTrue(RtpPacket.validate(out) >= 0);
        assertEquals(0xA0, out.getUnsignedByte(0), "V=2, padding kept, no extension, no CSRC");
        assertTrue(RtpPacket.marker(out));
        assertEquals(100, RtpPacket.payloadType(out));
        assertEquals(7, RtpPacket.sequenceNumber(out));
        assertEquals(1_000, RtpPacket.timestamp(out));
        assertEquals(0x11223344, RtpPacket.ssrc(out));
        assertEquals("09080706050000" + "03", ByteBufUtil.hexDump(out, 12, out.readableBytes() - 12));
    }

    @Test
    void sequenceAndTimestampStayContinuousAcrossWrap() {
        StreamRewriter r = new StreamRewriter(1, 96);
        r.start(65_530, 0xFFFFFF00L, 65_000, 0xFFFFFFF0L);
        int previousSeq = -1;
        long previousTs = -1;
        for (int i = 0; i < 20; i++) {
            ByteBuf out = Unpooled.buffer();
            r.write(source((65_530 + i) & 0xFFFF, (0xFFFFFF00L + 3000L * i) & 0xFFFFFFFFL, false), out);
            int seq = RtpPacket.sequenceNumber(out);
            long ts = RtpPacket.timestamp(out);
            if (previousSeq >= 0) {
                assertEquals((previousSeq + 1) & 0xFFFF, seq);
                assertEquals((previousTs + 3000) & 0xFFFFFFFFL, ts);
            }
            previousSeq = seq;
            previousTs = ts;
        }
        assertEquals((0xFFFFFFF0L + 3000L * 5) & 0xFFFFFFFFL, r.translateTimestamp((0xFFFFFF00L + 3000L * 5) & 0xFFFFFFFFL),
                "sender reports translate with the same offset");
    }

    @Test
    void reanchorContinuesTheSequenceAfterAPause() {
        StreamRewriter r = new StreamRewriter(1, 96);
        r.start(100, 0, 5000, 0);
        ByteBuf out = Unpooled.buffer();
        r.write(source(100, 0, false), out);
        r.write(source(101, 3000, false), out.clear());
        assertEquals(5001, RtpPacket.sequenceNumber(out));
        r.reanchor();
        r.write(source(180, 3000 * 81, false), out.clear()); // 79 packets withheld
        assertEquals(5002, RtpPacket.sequenceNumber(out), "no gap for the subscriber to NACK");
        assertEquals(3000 * 81, RtpPacket.timestamp(out), "timestamps follow the source clock");
        r.write(source(181, 3000 * 82, false), out.clear());
        assertEquals(5003, RtpPacket.sequenceNumber(out));
    }

    @Test
    void nackedSequenceNumbersTraceBackToTheirSourceAcrossSwitchesAndWrap() {
        StreamRewriter r = new StreamRewriter(0x11223344, 100, 90_000, false);
        r.setSource(0);
        r.start(1000, 0, 65_530, 5_000); // output wraps after six packets
        for (int i = 0; i < 10; i++) {
            r.write(source(1000 + i, 3000L * i, false), Unpooled.buffer(), 1000 + i);
        }
        // Switch to layer 2, whose sequence space is elsewhere.
        r.setSource(2);
        r.switchSource(40_000, 777_000, 1020);
        for (int i = 0; i < 5; i++) {
            r.write(source(40_000 + i, 777_000 + 3000L * i, false), Unpooled.buffer(), 1020 + i);
        }
        // Output so far: 65530..65535, 0..3 from layer 0 then 4..8 from layer 2.
        int slot = r.history().slotOf(65_533);
        assertTrue(slot >= 0);
        assertEquals(0, r.history().source(slot));
        assertEquals(1003, r.history().sourceSequence(slot));
        slot = r.history().slotOf(3);
        assertEquals(0, r.history().source(slot));
        assertEquals(1009, r.history().sourceSequence(slot));
        slot = r.history().slotOf(4);
        assertEquals(2, r.history().source(slot));
        assertEquals(40_000, r.history().sourceSequence(slot));
        assertEquals(40_004, r.history().sourceSequence(r.history().slotOf(8)));
        assertEquals(-1, r.history().slotOf(9), "never sent");
        assertEquals(-1, r.history().slotOf(65_000), "before the first packet");
    }

    @Test
    void retransmissionIsTheOriginalRewriteOrItsRtxWrapping() {
        StreamRewriter r = new StreamRewriter(0x11223344, 100, 90_000, false);
        r.setSource(1);
        r.start(500, 90_000, 7, 1_000);
        ByteBuf first = Unpooled.buffer();
        r.write(source(500, 90_000, true), first, 1);
        r.write(source(501, 93_000, false), Unpooled.buffer(), 2);
        int slot = r.history().slotOf(7);
        ByteBuf again = Unpooled.buffer();
        r.writeRetransmission(source(500, 90_000, true), again, slot, 0x55, -1, 0);
        assertEquals(ByteBufUtil.hexDump(first), ByteBufUtil.hexDump(again), "plain retransmission repeats the packet");

        ByteBuf rtx = Unpooled.buffer();
        r.writeRetransmission(source(500, 90_000, true), rtx, slot, 0x55, 101, 4242);
        assertTrue(RtpPacket.validate(rtx) >= 0);
        assertEquals(101, RtpPacket.payloadType(rtx));
        assertEquals(4242, RtpPacket.sequenceNumber(rtx));
        assertEquals(0x55, RtpPacket.ssrc(rtx));
        assertEquals(1_000, RtpPacket.timestamp(rtx));
        assertEquals(7, rtx.getUnsignedShort(12), "RFC 4588 OSN");
        assertEquals(ByteBufUtil.hexDump(first, 12, first.readableBytes() - 12),
                ByteBufUtil.hexDump(rtx, 14, rtx.readableBytes() - 14), "original payload after the OSN");
        assertTrue(dev.prism.rtp.RtxPacket.unwrap(rtx, 0x11223344, 100));
        assertEquals(ByteBufUtil.hexDump(first, 2, 10), ByteBufUtil.hexDump(rtx, rtx.readerIndex() + 2, 10),
                "unwrapping gives back the sequence number, timestamp and SSRC first sent");
    }
}
