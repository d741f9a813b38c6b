package dev.prism.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class RtpPacketTest {
    // RFC 3550 §5.1 header with two CSRCs, an RFC 8285 one-byte extension and padding.
    static final String FULL = """
            b2            # V=2 P=1 X=1 CC=2
            e0            # M=1 PT=96
            1234          # sequence number 0x1234
            deadbeef      # timestamp 0xdeadbeef (above 2^31: unsigned)
            cafebabe      # SSRC
            00000001      # CSRC[0]
            00000002      # CSRC[1]
            bede 0001     # one-byte extension profile, 1 word
            10 ab 00 00   # id=1 L=0 (1 byte) 0xab, two padding bytes
            01 02 03      # payload
            00 00 03      # RTP padding: 3 octets, count last
            """;

    static ByteBuf wrap(String hex) {
        return Unpooled.wrappedBuffer(Hex.bytes(hex));
    }

    @Test
    void readsEveryFieldOfAFullHeader() {
        ByteBuf buf = wrap(FULL);
        try {
            assertEquals(12 + 8 + 8, RtpPacket.validate(buf));
            assertEquals(2, RtpPacket.version(buf));
            assertTrue(RtpPacket.hasPadding(buf));
            assertTrue(RtpPacket.hasExtension(buf));
            assertEquals(2, RtpPacket.csrcCount(buf));
            assertEquals(1, RtpPacket.csrc(buf, 0));
            assertEquals(2, RtpPacket.csrc(buf, 1));
            assertTrue(RtpPacket.marker(buf));
            assertEquals(96, RtpPacket.payloadType(buf));
            assertEquals(0x1234, RtpPacket.sequenceNumber(buf));
            assertEquals(0xdeadbeefL, RtpPacket.timestamp(buf));
            assertEquals(0xcafebabe, RtpPacket.ssrc(buf));
            assertEquals(28, RtpPacket.headerLength(buf));
            assertEquals(3, RtpPacket.paddingLength(buf));
            assertEquals(28, RtpPacket.payloadOffset(buf));
            assertEquals(3, RtpPacket.payloadLength(buf));
            assertEquals(25, RtpPacket.findExtension(buf, 1));
            assertEquals(1, RtpPacket.extensionLength(buf, 1));
            assertEquals(-1, RtpPacket.findExtension(buf, 2));
            assertEquals(-1, RtpPacket.extensionLength(buf, 2));
        } finally {
            buf.release();
        }
    }

    @Test
    void honoursReaderIndex() {
        ByteBuf buf = Unpooled.buffer(64);
        try {
            buf.writeBytes(new byte[] {9, 9, 9});
            buf.writeBytes(Hex.bytes(FULL));
            buf.readerIndex(3);
            assertEquals(28, RtpPacket.validate(buf));
            assertEquals(0x1234, RtpPacket.sequenceNumber(buf));
            assertEquals(31, RtpPacket.payloadOffset(buf));
            assertEquals(28, RtpPacket.findExtension(buf, 1));
        } finally {
            buf.release();
        }
    }

    @Test
    void settersWriteExactBytesAndKeepNeighbours() {
        ByteBuf buf = wrap("80 60 0000 00000000 00000000");
        try {
            RtpPacket.setMarker(buf, true);
            RtpPacket.setPayloadType(buf, 111);
            RtpPacket.setSequenceNumber(buf, 0xfffe);
            RtpPacket.setTimestamp(buf, 0xfffffffeL);
            RtpPacket.setSsrc(buf, 0x11223344);
            assertEquals("80ef" + "fffe" + "fffffffe" + "11223344", Hex.of(buf));
            RtpPacket.setPayloadType(buf, 0);
            assertTrue(RtpPacket.marker(buf));
            RtpPacket.setMarker(buf, false);
            assertEquals("8000", Hex.of(buf).substring(0, 4));
            assertFalse(RtpPacket.marker(buf));
        } finally {
            buf.release();
        }
    }

    @Test
    void minimalPacketHasEmptyPayload() {
        ByteBuf buf = wrap("80 00 0001 00000001 00000001");
        try {
            assertEquals(12, RtpPacket.validate(buf));
            assertEquals(0, RtpPacket.payloadLength(buf));
            assertEquals(0, RtpPacket.paddingLength(buf));
        } finally {
            buf.release();
        }
    }

    private static void assertInvalid(int expected, String hex) {
        ByteBuf buf = wrap(hex);
        try {
            assertEquals(expected, RtpPacket.validate(buf));
        } finally {
            buf.release();
        }
    }

    @Test
    void tooShort() {
        assertInvalid(RtpPacket.ERR_TOO_SHORT, "80 60 0000 00000000 000000");
        assertInvalid(RtpPacket.ERR_TOO_SHORT, "");
    }

    @Test
    void versionNotTwo() {
        assertInvalid(RtpPacket.ERR_VERSION, "40 60 0000 00000000 00000000");
        assertInvalid(RtpPacket.ERR_VERSION, "c0 60 0000 00000000 00000000");
    }

    @Test
    void csrcCountTooLarge() {
        // CC=2 but only one CSRC present
        assertInvalid(RtpPacket.ERR_CSRC_OVERRUN, "82 60 0000 00000000 00000000 00000001");
    }

    @Test
    void extensionHeaderMissing() {
        // X=1 but only two bytes where the 4-byte extension header should be
        assertInvalid(RtpPacket.ERR_EXTENSION_OVERRUN, "90 60 0000 00000000 00000000 bede");
    }

    @Test
    void extensionRunsPastEnd() {
        // declares 2 words of extension data, carries one
        assertInvalid(RtpPacket.ERR_EXTENSION_OVERRUN, "90 60 0000 00000000 00000000 bede 0002 10ab0000");
    }

    @Test
    void paddingLongerThanPacket() {
        // P=1, padding count 5 but only 2 bytes follow the header
        assertInvalid(RtpPacket.ERR_PADDING, "a0 60 0000 00000000 00000000 00 05");
    }

    @Test
    void paddingCountZero() {
        assertInvalid(RtpPacket.ERR_PADDING, "a0 60 0000 00000000 00000000 01 00");
    }

    @Test
    void paddingExactlyFillingThePayloadIsValid() {
        ByteBuf buf = wrap("a0 60 0000 00000000 00000000 00 00 03");
        try {
            assertEquals(12, RtpPacket.validate(buf));
            assertEquals(0, RtpPacket.payloadLength(buf));
        } finally {
            buf.release();
        }
    }
}
