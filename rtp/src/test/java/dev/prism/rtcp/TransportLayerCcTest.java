package dev.prism.rtcp;

import static dev.prism.rtcp.RtcpBytes.of;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** TWCC feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1): vectors, writer choices, round trips. */
class TransportLayerCcTest {

    /** Run-length chunk, then a 2-bit status vector with a large negative delta. */
    static int[] runLengthAndTwoBitVector() {
        return new int[] {
            0x8F, 0xCD, 0x00, 0x07,             // V=2 P=0 FMT=15, PT=205 RTPFB, length 7 words
            0x00, 0x00, 0x00, 0x01,             // SSRC of packet sender
            0x12, 0x34, 0x56, 0x78,             // SSRC of media source
            0x00, 0x64,                         // base sequence number 100
            0x00, 0x09,                         // packet status count 9
            0x00, 0x00, 0x10,                   // reference time 16 x 64 ms = 1.024 s
            0x05,                               // fb pkt count 5
            0x20, 0x04,                         // run length: T=0, symbol 01 (small delta), run 4 -> seq 100..103
            0xC9, 0x10,                         // vector: T=1 S=1 (2-bit): 00 10 01 00 01 [00 00] -> 104..108
            0x04, 0x00, 0x08, 0xFF,             // small deltas 1 ms, 0, 2 ms, 63.75 ms (seq 100..103)
            0xFF, 0xF0,                         // large delta -16 ticks = -4 ms (seq 105)
            0x01, 0x02,                         // small deltas 0.25 ms (106), 0.5 ms (108)
        };
    }

    /** A 1-bit status vector across the sequence wrap, padded with the RTCP padding bit. */
    static int[] oneBitVectorWithPadding() {
        return new int[] {
            0xAF, 0xCD, 0x00, 0x06,             // V=2 P=1 FMT=15, PT=205, length 6 words
            0x00, 0x00, 0x00, 0x01,             // SSRC of packet sender
            0x12, 0x34, 0x56, 0x78,             // SSRC of media source
            0xFF, 0xFE,                         // base sequence number 65534
            0x00, 0x04,                         // packet status count 4
            0x00, 0x00, 0x00,                   // reference time 0
            0x01,                               // fb pkt count 1
            0xB4, 0x00,                         // vector: T=1 S=0 (1-bit): 1 1 0 1 [0 x10] -> 65534, 65535, 0 lost, 1
            0x10, 0x20, 0x30,                   // small deltas 4 ms, 8 ms, 12 ms
            0x00, 0x00, 0x03,                   // padding, last byte counts it (RFC 3550 §6.4.1)
        };
    }

    private static List<String> iterate(ByteBuf buf) {
        TransportLayerCcReader r = new TransportLayerCcReader();
        assertEquals(RtcpError.OK, r.reset(buf, buf.readerIndex()));
        List<String> out = new ArrayList<>();
        while (r.next()) {
            out.add(r.sequenceNumber() + "/" + r.status() + "/" + r.deltaMicros() + "/" + r.arrivalMicros());
        }
        return out;
    }

    @Test
    void readsRunLengthAndTwoBitVector() {
        ByteBuf buf = of(runLengthAndTwoBitVector());
        try {
            RtcpCompoundReader c = new RtcpCompoundReader().reset(buf);
            assertTrue(c.next(), () -> RtcpError.name(c.error()));
            assertEquals(100, TransportLayerCc.baseSequenceNumber(buf, 0));
            assertEquals(9, TransportLayerCc.packetStatusCount(buf, 0));
            assertEquals(16, TransportLayerCc.referenceTime(buf, 0));
            assertEquals(5, TransportLayerCc.feedbackPacketCount(buf, 0));
            assertEquals(0x12345678, TransportLayerCc.mediaSsrc(buf, 0));
            assertEquals(List.of(
                    "100/1/1000/1025000", "101/1/0/1025000", "102/1/2000/1027000", "103/1/63750/1090750",
                    "104/0/0/1090750", "105/2/-4000/1086750", "106/1/250/1087000", "107/0/0/1087000",
                    "108/1/500/1087500"), iterate(buf));
        } finally {
            buf.release();
        }
    }

    @Test
    void readsOneBitVectorAcrossWrapWithPadding() {
        ByteBuf buf = of(oneBitVectorWithPadding());
        try {
            RtcpCompoundReader c = new RtcpCompoundReader().reset(buf);
            assertTrue(c.next(), () -> RtcpError.name(c.error()));
            assertEquals(28, c.length());
            assertEquals(List.of("65534/1/4000/4000", "65535/1/8000/12000", "0/0/0/12000", "1/1/12000/24000"),
                    iterate(buf));
        } finally {
            buf.release();
        }
    }

    @Test
    void writerReproducesOneBitVectorBytes() {
        TransportLayerCcWriter w = new TransportLayerCcWriter(64);
        w.reset(1, 0x12345678, 65534, 0, 1);
        assertTrue(w.add(65534, 4_000));
        assertTrue(w.add(65535, 12_000));
        assertTrue(w.add(1, 24_000)); // 0 is skipped: not received
        ByteBuf out = Unpooled.buffer();
        ByteBuf expected = of(oneBitVectorWithPadding());
        try {
            assertEquals(28, w.write(out));
            assertArrayEquals(RtcpBytes.toArray(expected), RtcpBytes.toArray(out));
        } finally {
            out.release();
            expected.release();
        }
    }

    @Test
    void writerUsesRunLengthForLongRuns() {
        TransportLayerCcWriter w = new TransportLayerCcWriter(1000);
        w.reset(1, 2, 10, 0, 0);
        for (int i = 0; i < 20; i++) {
            assertTrue(w.add(10 + i, 1_000L * i));
        }
        assertTrue(w.addLost(129)); // 100 lost: 30..129
        ByteBuf out = Unpooled.buffer();
        try {
            w.write(out);
            assertEquals(120, TransportLayerCc.packetStatusCount(out, 0));
            assertEquals(0x2014, out.getUnsignedShort(20), "run of 20 small deltas");
            assertEquals(0x0064, out.getUnsignedShort(22), "run of 100 not received");
            assertEquals(0, out.getUnsignedByte(24), "first delta 0 ms from the reference time");
            assertEquals(4, out.getUnsignedByte(25), "then 1 ms steps");
        } finally {
            out.release();
        }
    }

    @Test
    void writerUsesTwoBitVectorForLargeDeltas() {
        TransportLayerCcWriter w = new TransportLayerCcWriter(16);
        w.reset(1, 2, 0, 0, 0);
        assertTrue(w.add(0, 100_000));   // 400 ticks: large
        assertTrue(w.add(1, 100_250));   // small
        assertTrue(w.add(2, 99_000));    // negative: large
        ByteBuf out = Unpooled.buffer();
        try {
            w.write(out);
            // 1 1 | 10 01 10 00 00 00 00
            assertEquals(0xE600, out.getUnsignedShort(20));
            assertEquals(List.of("0/2/100000/100000", "1/1/250/100250", "2/2/-1250/99000"), iterate(out));
        } finally {
            out.release();
        }
    }

    @Test
    void writerRefusesWhatItCannotSay() {
        TransportLayerCcWriter w = new TransportLayerCcWriter(4);
        w.reset(1, 2, 100, 0, 0);
        assertTrue(w.add(100, 0));
        assertFalse(w.add(100, 10), "duplicate");
        assertFalse(w.add(99, 10), "before base");
        assertFalse(w.add(104, 10), "past capacity");
        assertFalse(w.add(101, 8_192_000), "delta beyond 16 signed bits of 250 us");
        assertEquals(1, w.packetStatusCount());
        assertTrue(w.add(101, 8_191_750));
        ByteBuf out = Unpooled.buffer();
        try {
            w.reset(1, 2, 0, 0, 0);
            assertEquals(0, w.write(out), "empty feedback writes nothing");
            assertEquals(0, out.readableBytes());
        } finally {
            out.release();
        }
    }

    @Test
    void randomArrivalsRoundTrip() {
        Random random = new Random(7);
        TransportLayerCcWriter w = new TransportLayerCcWriter(2000);
        TransportLayerCcReader r = new TransportLayerCcReader();
        for (int round = 0; round < 200; round++) {
            int base = random.nextInt(65536);
            int reference = random.nextInt(1 << 24) - (1 << 23);
            w.reset(random.nextInt(), random.nextInt(), base, reference, round);
            long t = reference * 64_000L;
            int n = 1 + random.nextInt(1500);
            long[] arrival = new long[n];
            boolean[] got = new boolean[n];
            for (int i = 0; i < n; i++) {
                int kind = random.nextInt(10);
                t += kind == 0 ? -random.nextInt(5_000) : kind == 1 ? random.nextInt(300_000) : random.nextInt(3_000);
                got[i] = random.nextInt(4) != 0 || i == n - 1;
                arrival[i] = t;
                assertTrue(got[i] ? w.add(base + i, t) : w.addLost(base + i));
            }
            ByteBuf out = Unpooled.buffer();
            try {
                int len = w.write(out);
                assertEquals(len, out.readableBytes());
                assertEquals(0, len % 4);
                assertEquals(RtcpError.OK, r.reset(out, 0));
                for (int i = 0; i < n; i++) {
                    assertTrue(r.next());
                    assertEquals((base + i) & 0xFFFF, r.sequenceNumber());
                    assertEquals(got[i], r.received());
                    if (got[i]) {
                        // Ticks are floor(µs / 250), so the reader's time is the arrival rounded down.
                        assertEquals(Math.floorDiv(arrival[i], 250) * 250, r.arrivalMicros());
                    }
                }
                assertFalse(r.next());
            } finally {
                out.release();
            }
        }
    }

    @Test
    void twccChunkCountMismatch() {
        assertTwccError(RtcpError.TWCC_CHUNK_COUNT_MISMATCH,
                0x8F, 0xCD, 0x00, 0x05,         // FMT=15, PT=205, length 5 words
                0, 0, 0, 1,                     // sender
                0, 0, 0, 2,                     // media
                0x00, 0x00, 0x00, 0x10,         // base seq 0, status count 16
                0x00, 0x00, 0x00, 0x00,         // reference time 0, fb pkt count 0
                0x80, 0x00,                     // 1-bit vector: 14 not received
                0x00, 0x01);                    // run length: 1 not received -> 15 of 16, and no bytes left
    }

    @Test
    void deltaRunsPastEnd() {
        int[] bytes = runLengthAndTwoBitVector();
        bytes[22] = 0xEA; // vector 11 10 10 10 10 10 [00 00]: five large deltas (10 bytes) where
        bytes[23] = 0xA0; // the packet holds 4 bytes after the first run's deltas
        assertTwccError(RtcpError.TWCC_DELTA_RUNS_PAST_END, bytes);
    }

    @Test
    void reservedSymbol() {
        int[] bytes = runLengthAndTwoBitVector();
        bytes[20] = 0x60; // run-length chunk with symbol 11
        assertTwccError(RtcpError.TWCC_RESERVED_SYMBOL, bytes);
    }

    @Test
    void twccTruncatedFixedPart() {
        assertTwccError(RtcpError.TWCC_TRUNCATED,
                0x8F, 0xCD, 0x00, 0x03,         // FMT=15, PT=205, length 3 words: 16 bytes, needs 20
                0, 0, 0, 1,                     // sender
                0, 0, 0, 2,                     // media
                0x00, 0x01, 0x00, 0x01);        // base seq 1, count 1, no reference time
    }

    private static void assertTwccError(int expected, int... bytes) {
        ByteBuf buf = of(bytes);
        try {
            RtcpCompoundReader c = new RtcpCompoundReader().reset(buf);
            assertFalse(c.next());
            assertEquals(RtcpError.name(expected), RtcpError.name(c.error()));
            assertEquals(1, c.skipped());
            assertEquals(expected, new TransportLayerCcReader().reset(buf, 0));
        } finally {
            buf.release();
        }
    }
}
