package dev.prism.rtcp;

import static dev.prism.rtcp.RtcpBytes.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** Walking compound packets (RFC 3550 §6.1), and the named malformed cases. */
class RtcpCompoundReaderTest {

    @Test
    void senderReportThenSourceDescription() {
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeZero(3).readerIndex(3); // offsets are absolute: start away from index 0
            SenderReport.write(buf, 7, 1L << 32, 90_000, 10, 1_000, 1);
            ReportBlock.write(buf, 8, 0, 0, 100, 0, 0, 0);
            SourceDescription.writeCname(buf, 7, "user@host");
            RtcpCompoundReader r = new RtcpCompoundReader().reset(buf);
            assertTrue(r.next());
            assertEquals(RtcpPacketType.SR, r.packetType());
            assertEquals(3, r.offset());
            assertEquals(52, r.length());
            assertEquals(8, ReportBlock.ssrc(buf, SenderReport.reportBlockOffset(r.offset(), 0)));
            assertTrue(r.next());
            assertEquals(RtcpPacketType.SDES, r.packetType());
            assertEquals(55, r.offset());
            assertEquals(1, r.countOrFormat());
            assertFalse(r.next());
            assertFalse(r.next(), "stays at the end");
            assertEquals(RtcpError.OK, r.error());
            assertEquals(0, r.skipped());
        } finally {
            buf.release();
        }
    }

    @Test
    void receiverReportThenRembThenNackThenPli() {
        ByteBuf buf = Unpooled.buffer();
        try {
            ReceiverReport.write(buf, 1, 0);
            ReceiverEstimatedMaximumBitrate.write(buf, 1, 1_500_000, new int[] {5, 6}, 2);
            TransportLayerNack.write(buf, 1, 5, new int[] {10}, 1);
            PictureLossIndication.write(buf, 1, 6);
            RtcpCompoundReader r = new RtcpCompoundReader().reset(buf);
            int[] types = {RtcpPacketType.RR, RtcpPacketType.PSFB, RtcpPacketType.RTPFB, RtcpPacketType.PSFB};
            int[] formats = {0, RtcpPacketType.FMT_AFB, RtcpPacketType.FMT_NACK, RtcpPacketType.FMT_PLI};
            for (int i = 0; i < types.length; i++) {
                assertTrue(r.next(), "packet " + i);
                assertEquals(types[i], r.packetType());
                assertEquals(formats[i], r.countOrFormat());
            }
            assertFalse(r.next());
            assertEquals(RtcpError.OK, r.error());
        } finally {
            buf.release();
        }
    }

    @Test
    void unknownTypesAndOtherAfbMessagesPass() {
        ByteBuf buf = of(
                0x80, 0xCC, 0x00, 0x02,         // APP (204), length 2 words
                0, 0, 0, 1, 'n', 'a', 'm', 'e', // SSRC, name
                0x8F, 0xCE, 0x00, 0x03,         // PSFB FMT=15 (AFB), length 3 words
                0, 0, 0, 1, 0, 0, 0, 0,         // sender, media
                'X', 'Y', 'Z', 'W');            // an AFB that is not REMB
        try {
            RtcpCompoundReader r = new RtcpCompoundReader().reset(buf);
            assertTrue(r.next());
            assertEquals(RtcpPacketType.APP, r.packetType());
            assertTrue(r.next());
            assertFalse(ReceiverEstimatedMaximumBitrate.isRemb(buf, r.offset()));
            assertFalse(r.next());
            assertEquals(RtcpError.OK, r.error());
        } finally {
            buf.release();
        }
    }

    @Test
    void emptyBufferYieldsNothing() {
        ByteBuf buf = Unpooled.buffer(0);
        try {
            RtcpCompoundReader r = new RtcpCompoundReader().reset(buf);
            assertFalse(r.next());
            assertEquals(RtcpError.OK, r.error());
        } finally {
            buf.release();
        }
    }

    @Test
    void lengthOvershoots() {
        expectStop(RtcpError.LENGTH_OVERSHOOTS,
                0x80, 0xC9, 0x00, 0x02,         // RR, length 2 words = 12 bytes
                0, 0, 0, 1);                    // only 8 present
    }

    @Test
    void truncatedHeader() {
        expectStop(RtcpError.TRUNCATED_HEADER,
                0x80, 0xC9, 0x00, 0x01, 0, 0, 0, 1,  // a good RR
                0x80, 0xC9);                         // half a header
    }

    @Test
    void badVersion() {
        expectStop(RtcpError.BAD_VERSION,
                0x40, 0xC9, 0x00, 0x01,         // V=1
                0, 0, 0, 1);
    }

    @Test
    void paddingCountZero() {
        expectStop(RtcpError.BAD_PADDING,
                0xA0, 0xC9, 0x00, 0x01,         // RR with P=1
                0, 0, 0, 0);                    // last byte (padding count) 0
    }

    @Test
    void paddingLongerThanBody() {
        expectStop(RtcpError.BAD_PADDING,
                0xA0, 0xC9, 0x00, 0x01,         // RR with P=1
                0, 0, 0, 5);                    // padding 5 > 4 body bytes
    }

    @Test
    void paddingEatingTheReporterSsrc() {
        expectSkip(RtcpError.TRUNCATED_REPORT_BLOCK,
                0xA0, 0xC9, 0x00, 0x01,         // RR with P=1
                0, 0, 0, 4);                    // padding takes all 4 body bytes: no SSRC left
    }

    @Test
    void truncatedReportBlock() {
        expectSkip(RtcpError.TRUNCATED_REPORT_BLOCK,
                0x81, 0xC9, 0x00, 0x03,         // RR RC=1 but length 3 words: 16 bytes, needs 32
                0, 0, 0, 1,                     // reporter
                0, 0, 0, 2, 0, 0, 0, 0);        // half a block
    }

    @Test
    void truncatedSenderInfo() {
        expectSkip(RtcpError.TRUNCATED_SENDER_INFO,
                0x80, 0xC8, 0x00, 0x02,         // SR, length 2 words: 12 bytes, needs 28
                0, 0, 0, 1, 0, 0, 0, 0);
    }

    @Test
    void nackWithoutFci() {
        expectSkip(RtcpError.NACK_WITHOUT_FCI,
                0x81, 0xCD, 0x00, 0x02,         // RTPFB FMT=1, length 2 words
                0, 0, 0, 1, 0, 0, 0, 2);        // sender, media, no PID/BLP
    }

    @Test
    void feedbackWithoutMediaSsrc() {
        expectSkip(RtcpError.FEEDBACK_TOO_SHORT,
                0x81, 0xCE, 0x00, 0x01,         // PSFB FMT=1 (PLI), length 1 word
                0, 0, 0, 1);                    // sender only
    }

    @Test
    void firWithoutEntries() {
        expectSkip(RtcpError.FIR_WITHOUT_ENTRIES,
                0x84, 0xCE, 0x00, 0x02,         // PSFB FMT=4, length 2 words
                0, 0, 0, 1, 0, 0, 0, 0);
    }

    @Test
    void rembSsrcListPastEnd() {
        expectSkip(RtcpError.REMB_TRUNCATED,
                0x8F, 0xCE, 0x00, 0x04,         // PSFB FMT=15, length 4 words
                0, 0, 0, 1, 0, 0, 0, 0,         // sender, media
                'R', 'E', 'M', 'B',
                0x02, 0x00, 0x10, 0x00);        // num SSRC 2, but no SSRC follows
    }

    @Test
    void sdesItemPastEnd() {
        expectSkip(RtcpError.SDES_TRUNCATED,
                0x81, 0xCA, 0x00, 0x02,         // SDES SC=1, length 2 words
                0, 0, 0, 1,                     // SSRC
                0x01, 0x09, 'a', 'b');          // CNAME claims 9 bytes, 2 present
    }

    @Test
    void sdesChunkWithoutNullItem() {
        expectSkip(RtcpError.SDES_TRUNCATED,
                0x81, 0xCA, 0x00, 0x02,         // SDES SC=1, length 2 words
                0, 0, 0, 1,                     // SSRC
                0x01, 0x02, 'a', 'b');          // CNAME "ab" fills the packet: no terminating null
    }

    @Test
    void byeReasonPastEnd() {
        expectSkip(RtcpError.BYE_TRUNCATED,
                0x81, 0xCB, 0x00, 0x02,         // BYE SC=1, length 2 words
                0, 0, 0, 1,                     // SSRC
                0x08, 'b', 'y', 'e');           // reason claims 8 bytes, 3 present
    }

    @Test
    void byeSourcesPastEnd() {
        expectSkip(RtcpError.BYE_TRUNCATED,
                0x83, 0xCB, 0x00, 0x01,         // BYE SC=3, length 1 word
                0, 0, 0, 1);                    // one SSRC of three
    }

    @Test
    void malformedPacketIsSkippedAndTheWalkGoesOn() {
        ByteBuf buf = of(
                0x81, 0xCD, 0x00, 0x02,         // NACK without FCI: skipped
                0, 0, 0, 1, 0, 0, 0, 2,
                0x81, 0xCE, 0x00, 0x02,         // PLI: yielded
                0, 0, 0, 1, 0, 0, 0, 2);
        try {
            RtcpCompoundReader r = new RtcpCompoundReader().reset(buf);
            assertTrue(r.next());
            assertEquals(RtcpPacketType.PSFB, r.packetType());
            assertEquals(12, r.offset());
            assertFalse(r.next());
            assertEquals(RtcpError.NACK_WITHOUT_FCI, r.error());
            assertEquals(1, r.skipped());
        } finally {
            buf.release();
        }
    }

    @Test
    void readerIsReusable() {
        ByteBuf bad = of(0x40, 0xC9, 0x00, 0x01, 0, 0, 0, 1);
        ByteBuf good = of(0x80, 0xC9, 0x00, 0x01, 0, 0, 0, 1);
        try {
            RtcpCompoundReader r = new RtcpCompoundReader();
            assertFalse(r.reset(bad).next());
            assertEquals(RtcpError.BAD_VERSION, r.error());
            assertTrue(r.reset(good).next());
            assertEquals(RtcpError.OK, r.error());
        } finally {
            bad.release();
            good.release();
        }
    }

    /** A framing error: the walk stops with that error and yields nothing after it. */
    private static void expectStop(int expected, int... bytes) {
        ByteBuf buf = of(bytes);
        try {
            RtcpCompoundReader r = new RtcpCompoundReader().reset(buf);
            while (r.next()) {
                assertEquals(RtcpPacketType.RR, r.packetType());
            }
            assertEquals(RtcpError.name(expected), RtcpError.name(r.error()));
            assertEquals(0, r.skipped());
        } finally {
            buf.release();
        }
    }

    /** A body error: the packet is not yielded, the error is recorded, the packet counted as skipped. */
    private static void expectSkip(int expected, int... bytes) {
        ByteBuf buf = of(bytes);
        try {
            RtcpCompoundReader r = new RtcpCompoundReader().reset(buf);
            assertFalse(r.next());
            assertEquals(RtcpError.name(expected), RtcpError.name(r.error()));
            assertEquals(1, r.skipped());
        } finally {
            buf.release();
        }
    }
}
