package dev.prism.rtp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.rtp.Hex;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class CodecPayloadTest {
    // RFC 7741 §4.2 descriptor with every optional field, 15-bit picture id, key frame.
    static final String VP8_FULL = """
            90        # X=1 R=0 N=0 S=1 R=0 PID=0
            f0        # I=1 L=1 T=1 K=1 RSV=0
            9234      # M=1, 15-bit PictureID 0x1234
            ab        # TL0PICIDX 0xab
            a5        # TID=2 Y=1 KEYIDX=5
            9c        # VP8 payload header: Size0=4 H=1 VER=6 P=0 (key frame)
            """;

    // Minimal descriptor (no X), start of partition 0, inter frame (P=1).
    static final String VP8_MINIMAL = """
            10        # X=0 N=0 S=1 PID=0
            9d        # VP8 payload header, P=1: inter frame
            """;

    // X with only I and a 7-bit picture id, not a partition start.
    static final String VP8_SHORT_PID = """
            81        # X=1 S=0 PID=1
            80        # I=1
            7f        # M=0, 7-bit PictureID 127
            00
            """;

    static ByteBuf wrap(String hex) {
        return Unpooled.wrappedBuffer(Hex.bytes(hex));
    }

    @Test
    void vp8FullDescriptor() {
        ByteBuf buf = wrap(VP8_FULL);
        try {
            Vp8PayloadDescriptor d = new Vp8PayloadDescriptor();
            assertEquals(6, d.parse(buf, 0, buf.readableBytes()));
            assertTrue(d.extended());
            assertFalse(d.nonReference());
            assertTrue(d.startOfPartition());
            assertEquals(0, d.partitionIndex());
            assertEquals(0x1234, d.pictureId());
            assertTrue(d.longPictureId());
            assertEquals(0xab, d.tl0PicIdx());
            assertEquals(2, d.temporalLayer());
            assertTrue(d.layerSync());
            assertEquals(5, d.keyIdx());
            assertTrue(d.keyFrame());
            assertTrue(Vp8PayloadDescriptor.isKeyFrame(buf, 0, buf.readableBytes()));
        } finally {
            buf.release();
        }
    }

    @Test
    void vp8RewriteKeepsWidth() {
        ByteBuf full = wrap(VP8_FULL);
        ByteBuf shortPid = wrap(VP8_SHORT_PID);
        try {
            assertEquals(0, Vp8PayloadDescriptor.setPictureId(full, 0, 7, 0x8001)); // reduced mod 2^15
            assertEquals(0, Vp8PayloadDescriptor.setTl0PicIdx(full, 0, 7, 0x01));
            assertEquals("90f0" + "8001" + "01" + "a5" + "9c", Hex.of(full));
            assertEquals(0, Vp8PayloadDescriptor.setPictureId(shortPid, 0, 4, 0x1ff)); // mod 2^7
            assertEquals("81807f00", Hex.of(shortPid));
            assertEquals(Vp8PayloadDescriptor.ERR_ABSENT, Vp8PayloadDescriptor.setTl0PicIdx(shortPid, 0, 4, 1));
        } finally {
            full.release();
            shortPid.release();
        }
    }

    @Test
    void vp8WriteMatchesTheRfcLayoutAndParsesBack() {
        ByteBuf out = Unpooled.buffer();
        try {
            // The VP8_FULL fields without K (KEYIDX is not written): T alone sets the T/K octet.
            assertEquals(6, Vp8PayloadDescriptor.write(out, true, 0, 0x1234, true, 0xab, 2, true));
            assertEquals("90e0" + "9234" + "ab" + "a0", Hex.of(out));
            Vp8PayloadDescriptor d = new Vp8PayloadDescriptor();
            assertEquals(6, d.parse(out, 0, 6));
            assertEquals(0x1234, d.pictureId());
            assertEquals(0xab, d.tl0PicIdx());
            assertEquals(2, d.temporalLayer());
            assertTrue(d.layerSync());
            assertEquals(-1, d.keyIdx());
            out.clear();
            assertEquals(3, Vp8PayloadDescriptor.write(out, false, 1, 0x1ff, false, -1, -1, false));
            assertEquals("81807f", Hex.of(out), "7-bit picture id reduced modulo 2^7, no L or T");
            out.clear();
            assertEquals(1, Vp8PayloadDescriptor.write(out, true, 0, -1, false, -1, -1, false));
            assertEquals("10", Hex.of(out), "no optional field: no X octet");
            out.clear();
            assertEquals(4, Vp8PayloadDescriptor.write(out, true, 0, -1, false, 7, 0, false));
            assertEquals("90600700", Hex.of(out), "L and T without I");
        } finally {
            out.release();
        }
    }

    @Test
    void vp8MinimalAndShort() {
        ByteBuf min = wrap(VP8_MINIMAL);
        ByteBuf shortPid = wrap(VP8_SHORT_PID);
        try {
            Vp8PayloadDescriptor d = new Vp8PayloadDescriptor();
            assertEquals(1, d.parse(min, 0, 2));
            assertEquals(-1, d.pictureId());
            assertFalse(d.keyFrame());
            assertFalse(Vp8PayloadDescriptor.isKeyFrame(min, 0, 2));
            assertEquals(Vp8PayloadDescriptor.ERR_ABSENT, Vp8PayloadDescriptor.setPictureId(min, 0, 2, 5));
            assertEquals(3, d.parse(shortPid, 0, 4));
            assertEquals(127, d.pictureId());
            assertFalse(d.longPictureId());
            assertFalse(d.keyFrame());
        } finally {
            min.release();
            shortPid.release();
        }
    }

    @Test
    void vp8TruncatedDescriptor() {
        ByteBuf buf = wrap(VP8_FULL);
        try {
            Vp8PayloadDescriptor d = new Vp8PayloadDescriptor();
            for (int len = 1; len < 6; len++) {
                assertEquals(Vp8PayloadDescriptor.ERR_TRUNCATED, d.parse(buf, 0, len), "length " + len);
                assertFalse(Vp8PayloadDescriptor.isKeyFrame(buf, 0, len));
            }
            assertEquals(Vp8PayloadDescriptor.ERR_EMPTY, d.parse(buf, 0, 0));
            assertEquals(Vp8PayloadDescriptor.ERR_TRUNCATED, Vp8PayloadDescriptor.setPictureId(buf, 0, 3, 1));
            // a descriptor with no payload after it is not a key frame
            assertEquals(6, d.parse(buf, 0, 6));
            assertFalse(d.keyFrame());
        } finally {
            buf.release();
        }
    }

    @Test
    void h264KeyFrames() {
        assertH264(true, "65 88 84");                         // single NAL, type 5 IDR
        assertH264(true, "67 42 c0 1f");                      // single NAL, type 7 SPS
        assertH264(false, "41 9a 00");                        // single NAL, type 1 non-IDR slice
        assertH264(false, "68 ce 3c 80");                     // PPS alone
        assertH264(true, "78 0002 6742 0002 68ce 0002 6588"); // STAP-A: SPS, PPS, IDR
        assertH264(true, "78 0002 68ce 0001 65");             // STAP-A: PPS, IDR
        assertH264(false, "78 0002 41 9a");                   // STAP-A: non-IDR only
        assertH264(false, "78 0005 6742");                    // STAP-A: size runs past the end
        assertH264(false, "78 0000 65");                      // STAP-A: zero size
        assertH264(true, "7c 85 88");                         // FU-A: S=1 type 5
        assertH264(false, "7c 05 88");                        // FU-A: continuation of IDR
        assertH264(false, "7c 81 9a");                        // FU-A: S=1 type 1
        assertH264(false, "7c");                              // FU-A truncated
        assertH264(false, "");
    }

    private static void assertH264(boolean key, String hex) {
        ByteBuf buf = wrap(hex);
        try {
            assertEquals(key, H264Payload.isKeyFrame(buf, 0, buf.readableBytes()), hex);
        } finally {
            buf.release();
        }
    }

    // RFC 9628 §4.2 non-flexible mode with L and an SS, key frame of spatial layer 0.
    static final String VP9_KEY = """
            aa        # I=1 P=0 L=1 F=0 B=1 E=0 V=1 Z=0
            8123      # M=1 PictureID 0x0123
            00        # TID=0 U=0 SID=0 D=0
            07        # TL0PICIDX 7
            18        # SS: N_S=0 (one layer) Y=1 G=1
            0280 0168 # width 640, height 360
            01        # N_G=1
            04 01     # TID=0 U=0 R=1, P_DIFF=1
            """;

    @Test
    void vp9NonFlexibleKeyFrame() {
        ByteBuf buf = wrap(VP9_KEY + "ff");
        try {
            Vp9PayloadDescriptor d = new Vp9PayloadDescriptor();
            assertEquals(13, d.parse(buf, 0, buf.readableBytes()));
            assertTrue(d.hasPictureId());
            assertEquals(0x123, d.pictureId());
            assertTrue(d.longPictureId());
            assertEquals(7, d.tl0PicIdx());
            assertEquals(0, d.spatialLayer());
            assertTrue(d.startOfFrame());
            assertTrue(d.hasScalabilityStructure());
            assertTrue(d.keyFrame());
            assertTrue(Vp9PayloadDescriptor.isKeyFrame(buf, 0, buf.readableBytes()));
            for (int len = 1; len < 13; len++) {
                assertEquals(Vp9PayloadDescriptor.ERR_TRUNCATED, d.parse(buf, 0, len), "length " + len);
            }
        } finally {
            buf.release();
        }
    }

    @Test
    void vp9FlexibleModeWithReferences() {
        ByteBuf buf = wrap("""
                f4        # I=1 P=1 L=1 F=1 B=0 E=1 V=0 Z=0
                05        # M=0 PictureID 5
                b5        # TID=5 U=1 SID=2 D=1
                03 05 04  # P_DIFF=1 N=1, P_DIFF=2 N=1, P_DIFF=2 N=0
                ee
                """);
        ByteBuf tooMany = wrap("d0 05 03 03 03 03 ee"); // I P F, four references
        try {
            Vp9PayloadDescriptor d = new Vp9PayloadDescriptor();
            assertEquals(6, d.parse(buf, 0, buf.readableBytes()));
            assertEquals(5, d.pictureId());
            assertEquals(5, d.temporalLayer());
            assertTrue(d.switchingUp());
            assertEquals(2, d.spatialLayer());
            assertTrue(d.interLayerDependency());
            assertEquals(-1, d.tl0PicIdx());
            assertEquals(3, d.referenceCount());
            assertTrue(d.endOfFrame());
            assertFalse(d.keyFrame());
            assertFalse(Vp9PayloadDescriptor.isKeyFrame(buf, 0, buf.readableBytes()));
            assertEquals(Vp9PayloadDescriptor.ERR_TOO_MANY_REFERENCES, d.parse(tooMany, 0, 7));
        } finally {
            buf.release();
            tooMany.release();
        }
    }

    @Test
    void vp9UpperSpatialLayerIsNotAKeyFrame() {
        ByteBuf buf = wrap("a8 01 02 00 ee"); // I L B; TID=0 SID=1; TL0PICIDX 0
        try {
            assertFalse(Vp9PayloadDescriptor.isKeyFrame(buf, 0, 5));
            Vp9PayloadDescriptor d = new Vp9PayloadDescriptor();
            assertEquals(4, d.parse(buf, 0, 5));
            assertEquals(1, d.spatialLayer());
            assertFalse(d.keyFrame());
        } finally {
            buf.release();
        }
    }

    @Test
    void av1KeyFrames() {
        assertAv1(true, "18 0a 0b 00");      // Z=0 Y=0 W=1 N=1; OBU header type 1 (sequence header)
        assertAv1(true, "08 02 0a 00 32");   // W=0: LEB128 length 2, sequence header
        assertAv1(true, "28 02 0a 00 32");   // W=2: first element has a length
        assertAv1(false, "10 0a 0b 00");     // N=0
        assertAv1(false, "98 0a 0b 00");     // Z=1: starts with a fragment
        assertAv1(false, "18 32 00");        // first OBU is a frame (type 6)
        assertAv1(false, "08 05 0a 00");     // length runs past the end
        assertAv1(false, "08 80");           // LEB128 cut short
        assertAv1(false, "08 00 0a");        // zero-length element
        assertAv1(false, "08 ffffffffffffffff 01 0a"); // LEB128 longer than 8 bytes
        assertAv1(false, "18");
    }

    private static void assertAv1(boolean key, String hex) {
        ByteBuf buf = wrap(hex);
        try {
            assertEquals(key, Av1Payload.isKeyFrame(buf, 0, buf.readableBytes()), hex);
        } finally {
            buf.release();
        }
    }

    @Test
    void av1AggregationHeaderBits() {
        ByteBuf buf = wrap("f8");
        try {
            assertTrue(Av1Payload.continuesObu(buf, 0));
            assertTrue(Av1Payload.obuContinues(buf, 0));
            assertEquals(3, Av1Payload.obuCount(buf, 0));
            assertTrue(Av1Payload.newCodedVideoSequence(buf, 0));
        } finally {
            buf.release();
        }
    }

    @Test
    void vp8KeyFrameSizeFromTheFrameHeader() {
        // Descriptor 90 80 (X, S, PID 7-bit 0x12), then a key frame tag, start code and
        // 1280x720 (0x0500, 0x02d0, little endian) as Chromium's 720p encoder writes them.
        io.netty.buffer.ByteBuf key = io.netty.buffer.Unpooled.wrappedBuffer(io.netty.buffer.ByteBufUtil.decodeHexDump(
                "908012" + "b00b01" + "9d012a" + "0005" + "d002" + "00"));
        assertEquals(1280 << 16 | 720, Vp8PayloadDescriptor.keyFrameSize(key, 0, key.readableBytes()));
        io.netty.buffer.ByteBuf delta = io.netty.buffer.Unpooled.wrappedBuffer(io.netty.buffer.ByteBufUtil.decodeHexDump(
                "908012" + "b10b01" + "9d012a" + "0005" + "d002" + "00"));
        assertEquals(-1, Vp8PayloadDescriptor.keyFrameSize(delta, 0, delta.readableBytes()), "inter frame");
        io.netty.buffer.ByteBuf cut = io.netty.buffer.Unpooled.wrappedBuffer(io.netty.buffer.ByteBufUtil.decodeHexDump(
                "908012" + "b00b01" + "9d012a" + "00"));
        assertEquals(-1, Vp8PayloadDescriptor.keyFrameSize(cut, 0, cut.readableBytes()), "truncated");
        io.netty.buffer.ByteBuf badStart = io.netty.buffer.Unpooled.wrappedBuffer(io.netty.buffer.ByteBufUtil.decodeHexDump(
                "908012" + "b00b01" + "9d012b" + "0005" + "d002" + "00"));
        assertEquals(-1, Vp8PayloadDescriptor.keyFrameSize(badStart, 0, badStart.readableBytes()), "no start code");
    }
}
