package dev.prism.rtcp;

import static dev.prism.rtcp.RtcpBytes.of;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Byte vectors built field by field from the RFC layouts: each is read through the compound
 * reader and the type's accessors, then rebuilt by the type's writer and compared byte for byte.
 */
class RtcpVectorsTest {

    private static ByteBuf written() {
        return Unpooled.buffer(256);
    }

    private static RtcpCompoundReader single(ByteBuf buf, int type) {
        RtcpCompoundReader r = new RtcpCompoundReader().reset(buf);
        assertTrue(r.next(), () -> RtcpError.name(r.error()));
        assertEquals(type, r.packetType());
        assertEquals(buf.readableBytes(), r.length());
        return r;
    }

    @Test
    void senderReportWithOneBlock() {
        ByteBuf buf = of(
                0x81, 0xC8, 0x00, 0x0C,             // V=2 P=0 RC=1, PT=200 SR, length 12 words
                0x90, 0x2F, 0x9E, 0x2E,             // SSRC of sender
                0xDA, 0x8B, 0xD1, 0xFC,             // NTP seconds
                0xDD, 0xDD, 0xDD, 0xDD,             // NTP fraction
                0x00, 0x01, 0xE2, 0x40,             // RTP timestamp 123456
                0x00, 0x00, 0x00, 0x10,             // sender's packet count 16
                0x00, 0x00, 0x12, 0x34,             // sender's octet count 4660
                0xBC, 0x5E, 0x9A, 0x40,             // block: SSRC_1
                0x40,                               // fraction lost 64/256
                0xFF, 0xFF, 0xFE,                   // cumulative lost -2 (24-bit signed)
                0x00, 0x01, 0x46, 0x1E,             // extended highest seq: cycle 1, seq 0x461E
                0x00, 0x00, 0x01, 0x2C,             // jitter 300
                0x12, 0x34, 0x56, 0x78,             // LSR
                0x00, 0x01, 0x80, 0x00);            // DLSR 1.5 s
        ByteBuf out = written();
        try {
            int at = single(buf, RtcpPacketType.SR).offset();
            assertEquals(0x902F9E2E, SenderReport.ssrc(buf, at));
            assertEquals(0xDA8BD1FCDDDDDDDDL, SenderReport.ntpTimestamp(buf, at));
            assertEquals(123456, SenderReport.rtpTimestamp(buf, at));
            assertEquals(16, SenderReport.packetCount(buf, at));
            assertEquals(0x1234, SenderReport.octetCount(buf, at));
            assertEquals(1, SenderReport.reportCount(buf, at));
            int b = SenderReport.reportBlockOffset(at, 0);
            assertEquals(0xBC5E9A40, ReportBlock.ssrc(buf, b));
            assertEquals(64, ReportBlock.fractionLost(buf, b));
            assertEquals(-2, ReportBlock.cumulativeLost(buf, b));
            assertEquals(0x1461EL, ReportBlock.extendedHighestSequence(buf, b));
            assertEquals(300, ReportBlock.jitter(buf, b));
            assertEquals(0x12345678L, ReportBlock.lastSenderReport(buf, b));
            assertEquals(0x18000L, ReportBlock.delaySinceLastSenderReport(buf, b));

            int n = SenderReport.write(out, 0x902F9E2E, 0xDA8BD1FCDDDDDDDDL, 123456, 16, 0x1234, 1);
            n += ReportBlock.write(out, 0xBC5E9A40, 64, -2, 0x1461EL, 300, 0x12345678L, 0x18000L);
            assertEquals(52, n);
            assertArrayEquals(RtcpBytes.toArray(buf), RtcpBytes.toArray(out));
        } finally {
            buf.release();
            out.release();
        }
    }

    @Test
    void receiverReportWithoutBlocks() {
        ByteBuf buf = of(
                0x80, 0xC9, 0x00, 0x01,             // V=2 RC=0, PT=201 RR, length 1 word
                0x00, 0x00, 0x04, 0xD2);            // reporter SSRC 1234
        ByteBuf out = written();
        try {
            int at = single(buf, RtcpPacketType.RR).offset();
            assertEquals(1234, ReceiverReport.ssrc(buf, at));
            assertEquals(0, ReceiverReport.reportCount(buf, at));
            assertEquals(8, ReceiverReport.write(out, 1234, 0));
            assertArrayEquals(RtcpBytes.toArray(buf), RtcpBytes.toArray(out));
        } finally {
            buf.release();
            out.release();
        }
    }

    @Test
    void sourceDescriptionCname() {
        ByteBuf buf = of(
                0x81, 0xCA, 0x00, 0x03,             // V=2 SC=1, PT=202 SDES, length 3 words
                0x11, 0x22, 0x33, 0x44,             // chunk SSRC
                0x01, 0x05,                         // item CNAME, length 5
                'p', 'r', 'i', 's', 'm',            // "prism"
                0x00);                              // null item ends the chunk at a 32-bit boundary
        ByteBuf out = written();
        try {
            int at = single(buf, RtcpPacketType.SDES).offset();
            SourceDescriptionReader sdes = new SourceDescriptionReader();
            sdes.reset(buf, at);
            assertTrue(sdes.nextChunk());
            assertEquals(0x11223344, sdes.ssrc());
            assertTrue(sdes.nextItem());
            assertEquals(RtcpPacketType.SDES_CNAME, sdes.itemType());
            assertEquals("prism", buf.toString(sdes.itemOffset(), sdes.itemLength(), StandardCharsets.US_ASCII));
            assertFalse(sdes.nextItem());
            assertFalse(sdes.nextChunk());
            assertEquals(16, SourceDescription.writeCname(out, 0x11223344, "prism"));
            assertArrayEquals(RtcpBytes.toArray(buf), RtcpBytes.toArray(out));
        } finally {
            buf.release();
            out.release();
        }
    }

    @Test
    void sourceDescriptionTwoChunksSecondWithTwoItems() {
        ByteBuf buf = of(
                0x82, 0xCA, 0x00, 0x06,             // SC=2, PT=202, length 6 words
                0x00, 0x00, 0x00, 0x01,             // chunk 1 SSRC 1
                0x01, 0x01, 'a', 0x00,              // CNAME "a", null item
                0x00, 0x00, 0x00, 0x02,             // chunk 2 SSRC 2
                0x01, 0x02, 'b', 'c',               // CNAME "bc"
                0x02, 0x03, 'x', 'y', 'z',          // NAME "xyz"
                0x00, 0x00, 0x00);                  // null item + padding to 32 bits
        try {
            int at = single(buf, RtcpPacketType.SDES).offset();
            SourceDescriptionReader sdes = new SourceDescriptionReader();
            sdes.reset(buf, at);
            List<String> seen = new ArrayList<>();
            while (sdes.nextChunk()) {
                while (sdes.nextItem()) {
                    seen.add(sdes.ssrc() + ":" + sdes.itemType() + ":"
                            + buf.toString(sdes.itemOffset(), sdes.itemLength(), StandardCharsets.US_ASCII));
                }
            }
            assertEquals(List.of("1:1:a", "2:1:bc", "2:2:xyz"), seen);
        } finally {
            buf.release();
        }
    }

    @Test
    void goodbyeWithReason() {
        ByteBuf buf = of(
                0x82, 0xCB, 0x00, 0x04,             // V=2 SC=2, PT=203 BYE, length 4 words
                0x00, 0x00, 0x00, 0x0A,             // SSRC 10
                0x00, 0x00, 0x00, 0x0B,             // SSRC 11
                0x04, 'd', 'o', 'n',                // reason length 4, "done"
                'e', 0x00, 0x00, 0x00);             // zero padding to 32 bits
        ByteBuf out = written();
        try {
            int at = single(buf, RtcpPacketType.BYE).offset();
            assertEquals(2, Goodbye.sourceCount(buf, at));
            assertEquals(10, Goodbye.ssrc(buf, at, 0));
            assertEquals(11, Goodbye.ssrc(buf, at, 1));
            assertEquals("done", buf.toString(Goodbye.reasonOffset(buf, at), Goodbye.reasonLength(buf, at),
                    StandardCharsets.US_ASCII));
            assertEquals(20, Goodbye.write(out, new int[] {10, 11}, 2, "done"));
            assertArrayEquals(RtcpBytes.toArray(buf), RtcpBytes.toArray(out));
        } finally {
            buf.release();
            out.release();
        }
    }

    @Test
    void goodbyeWithoutReason() {
        ByteBuf buf = of(
                0x81, 0xCB, 0x00, 0x01,             // SC=1, PT=203, length 1 word
                0x00, 0x00, 0x00, 0x0A);            // SSRC 10
        ByteBuf out = written();
        try {
            int at = single(buf, RtcpPacketType.BYE).offset();
            assertEquals(-1, Goodbye.reasonOffset(buf, at));
            assertEquals(0, Goodbye.reasonLength(buf, at));
            assertEquals(8, Goodbye.write(out, new int[] {10}, 1, null));
            assertArrayEquals(RtcpBytes.toArray(buf), RtcpBytes.toArray(out));
        } finally {
            buf.release();
            out.release();
        }
    }

    @Test
    void genericNack() {
        ByteBuf buf = of(
                0x81, 0xCD, 0x00, 0x04,             // V=2 FMT=1, PT=205 RTPFB, length 4 words
                0x00, 0x00, 0x00, 0x01,             // SSRC of packet sender
                0x00, 0x00, 0x00, 0x02,             // SSRC of media source
                0x00, 0x64, 0x80, 0x05,             // PID 100, BLP bits 0, 2, 15 -> 101, 103, 116
                0xFF, 0xFF, 0x00, 0x01);            // PID 65535, BLP bit 0 -> 0 (wraps)
        ByteBuf out = written();
        try {
            int at = single(buf, RtcpPacketType.RTPFB).offset();
            assertEquals(2, TransportLayerNack.pairCount(buf, at));
            List<Integer> lost = new ArrayList<>();
            assertEquals(6, TransportLayerNack.forEachLost(buf, at, lost::add));
            assertEquals(List.of(100, 101, 103, 116, 65535, 0), lost);
            int[] seqs = {100, 101, 103, 116, 65535, 0};
            assertEquals(20, TransportLayerNack.write(out, 1, 2, seqs, seqs.length));
            assertArrayEquals(RtcpBytes.toArray(buf), RtcpBytes.toArray(out));
        } finally {
            buf.release();
            out.release();
        }
    }

    @Test
    void pictureLossIndication() {
        ByteBuf buf = of(
                0x81, 0xCE, 0x00, 0x02,             // V=2 FMT=1, PT=206 PSFB, length 2 words
                0x00, 0x00, 0x00, 0x01,             // SSRC of packet sender
                0x4B, 0xC4, 0xFC, 0xB4);            // SSRC of media source
        ByteBuf out = written();
        try {
            int at = single(buf, RtcpPacketType.PSFB).offset();
            assertEquals(RtcpPacketType.FMT_PLI, RtcpFeedback.format(buf, at));
            assertEquals(1, PictureLossIndication.senderSsrc(buf, at));
            assertEquals(0x4BC4FCB4, PictureLossIndication.mediaSsrc(buf, at));
            assertEquals(12, PictureLossIndication.write(out, 1, 0x4BC4FCB4));
            assertArrayEquals(RtcpBytes.toArray(buf), RtcpBytes.toArray(out));
        } finally {
            buf.release();
            out.release();
        }
    }

    @Test
    void fullIntraRequest() {
        ByteBuf buf = of(
                0x84, 0xCE, 0x00, 0x04,             // V=2 FMT=4, PT=206 PSFB, length 4 words
                0x00, 0x00, 0x00, 0x01,             // SSRC of packet sender
                0x00, 0x00, 0x00, 0x00,             // SSRC of media source: unused, 0 (RFC 5104 §4.3.1.2)
                0x12, 0x34, 0x56, 0x78,             // FCI: target SSRC
                0x2A, 0x00, 0x00, 0x00);            // command seq nr 42, reserved
        ByteBuf out = written();
        try {
            int at = single(buf, RtcpPacketType.PSFB).offset();
            assertEquals(1, FullIntraRequest.entryCount(buf, at));
            assertEquals(0x12345678, FullIntraRequest.entrySsrc(buf, at, 0));
            assertEquals(42, FullIntraRequest.entrySequenceNumber(buf, at, 0));
            assertEquals(20, FullIntraRequest.write(out, 1, 0x12345678, 42));
            assertArrayEquals(RtcpBytes.toArray(buf), RtcpBytes.toArray(out));
        } finally {
            buf.release();
            out.release();
        }
    }

    @Test
    void receiverEstimatedMaximumBitrate() {
        ByteBuf buf = of(
                0x8F, 0xCE, 0x00, 0x05,             // V=2 FMT=15, PT=206 PSFB, length 5 words
                0x00, 0x00, 0x00, 0x01,             // SSRC of packet sender
                0x00, 0x00, 0x00, 0x00,             // SSRC of media source, always 0
                'R', 'E', 'M', 'B',                 // unique identifier
                0x01,                               // num SSRC 1
                0x0A, 0xF4, 0x24,                   // exp 2, mantissa 0x2F424 = 193572 -> 774288 bps
                0x4B, 0xC4, 0xFC, 0xB4);            // SSRC feedback
        ByteBuf out = written();
        try {
            int at = single(buf, RtcpPacketType.PSFB).offset();
            assertTrue(ReceiverEstimatedMaximumBitrate.isRemb(buf, at));
            assertEquals(2, ReceiverEstimatedMaximumBitrate.exponent(buf, at));
            assertEquals(0x2F424, ReceiverEstimatedMaximumBitrate.mantissa(buf, at));
            assertEquals(774_288L, ReceiverEstimatedMaximumBitrate.bitrate(buf, at));
            assertEquals(1, ReceiverEstimatedMaximumBitrate.ssrcCount(buf, at));
            assertEquals(0x4BC4FCB4, ReceiverEstimatedMaximumBitrate.ssrc(buf, at, 0));
            assertEquals(24, ReceiverEstimatedMaximumBitrate.write(out, 1, 774_288L, new int[] {0x4BC4FCB4}, 1));
            assertArrayEquals(RtcpBytes.toArray(buf), RtcpBytes.toArray(out));
        } finally {
            buf.release();
            out.release();
        }
    }

    @Test
    void rembBitrateSaturatesInsteadOfOverflowing() {
        ByteBuf buf = of(
                0x8F, 0xCE, 0x00, 0x04,             // FMT=15, PT=206, length 4 words
                0x00, 0x00, 0x00, 0x01,             // sender
                0x00, 0x00, 0x00, 0x00,             // media 0
                'R', 'E', 'M', 'B',                 // identifier
                0x00,                               // num SSRC 0
                0xFF, 0xFF, 0xFF);                  // exp 63, mantissa 0x3FFFF
        try {
            int at = single(buf, RtcpPacketType.PSFB).offset();
            assertEquals(Long.MAX_VALUE, ReceiverEstimatedMaximumBitrate.bitrate(buf, at));
        } finally {
            buf.release();
        }
    }
}
