package dev.prism.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RtpHeaderExtensionsTest {
    static final String FIXED = "80 60 0001 00000002 00000003"; // V=2, PT=96, seq 1, ts 2, SSRC 3
    static final String FIXED_X = "90 60 0001 00000002 00000003"; // same with X=1
    static final String PAYLOAD = "c0c1c2c3c4";

    // RFC 8285 §4.2 example: one-byte form, three elements with padding between.
    static final String RFC8285_ONE_BYTE = FIXED_X + """
            bede 0003     # 0xBEDE, length=3 words
            10 a1         # ID=1 L=0: 1 byte of data
            21 b1 b2      # ID=2 L=1: 2 bytes of data
            00 00         # two padding bytes
            33 c1c2c3c4   # ID=3 L=3: 4 bytes of data
            """ + PAYLOAD;

    // RFC 8285 §4.3 example: two-byte form, 0x1000 with appbits 0.
    static final String RFC8285_TWO_BYTE = FIXED_X + """
            1000 0003     # 0x100 + appbits 0, length=3 words
            01 00         # ID=1 L=0: no data
            02 01 b1      # ID=2 L=1: 1 byte of data
            00            # one padding byte
            03 04 c1c2c3c4 # ID=3 L=4: 4 bytes of data
            """ + PAYLOAD;

    enum Kind { HEAP, DIRECT_POOLED }

    static ByteBuf buffer(boolean direct, String hex, int tailroom) {
        byte[] bytes = Hex.bytes(hex);
        ByteBuf buf = direct
                ? PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length + tailroom)
                : Unpooled.buffer(bytes.length + tailroom);
        return buf.writeBytes(bytes);
    }

    @Test
    void findsTheRfc8285OneByteExample() {
        ByteBuf buf = buffer(false, RFC8285_ONE_BYTE, 0);
        try {
            assertEquals(28, RtpPacket.validate(buf));
            assertFound(buf, 1, 17, 1);
            assertFound(buf, 2, 19, 2);
            assertFound(buf, 3, 24, 4);
            assertEquals(0xc1c2c3c4, buf.getInt(24));
            assertEquals(-1, RtpHeaderExtensions.find(buf, 4));
            assertEquals(-1, RtpHeaderExtensions.find(buf, 0));
        } finally {
            buf.release();
        }
    }

    @Test
    void findsTheRfc8285TwoByteExample() {
        ByteBuf buf = buffer(false, RFC8285_TWO_BYTE, 0);
        try {
            assertEquals(28, RtpPacket.validate(buf));
            assertFound(buf, 1, 18, 0);
            assertFound(buf, 2, 20, 1);
            assertFound(buf, 3, 24, 4);
        } finally {
            buf.release();
        }
    }

    @Test
    void oneByteId15StopsProcessing() {
        // §4.2: ID 15 ends the block; the element after it is not seen.
        ByteBuf buf = buffer(false, FIXED_X + "bede 0001 f0 10 aa 00", 0);
        try {
            assertEquals(-1, RtpHeaderExtensions.find(buf, 1));
        } finally {
            buf.release();
        }
    }

    @Test
    void elementRunningPastBlockIsNotFound() {
        // ID=1 L=7 claims 8 bytes in a 4-byte block
        ByteBuf buf = buffer(false, FIXED_X + "bede 0001 17 aa bb cc" + PAYLOAD, 0);
        try {
            assertEquals(20, RtpPacket.validate(buf));
            assertEquals(-1, RtpHeaderExtensions.find(buf, 1));
            assertEquals(RtpHeaderExtensions.ERR_MALFORMED, RtpHeaderExtensions.add(buf, 2, 1));
        } finally {
            buf.release();
        }
    }

    @Test
    void unknownProfileIsLeftAlone() {
        ByteBuf buf = buffer(false, FIXED_X + "abcd 0001 10 aa 00 00", 0);
        try {
            assertEquals(-1, RtpHeaderExtensions.find(buf, 1));
            assertEquals(RtpHeaderExtensions.ERR_UNSUPPORTED_PROFILE, RtpHeaderExtensions.add(buf, 1, 1));
        } finally {
            buf.release();
        }
    }

    @Test
    void rewriteInPlace() {
        ByteBuf buf = buffer(false, RFC8285_ONE_BYTE, 0);
        ByteBuf value = Unpooled.wrappedBuffer(new byte[] {(byte) 0xee, (byte) 0xff});
        try {
            assertEquals(19, RtpHeaderExtensions.rewrite(buf, 2, value, 0, 2));
            assertEquals(0xeeff, buf.getUnsignedShort(19));
            assertEquals(RtpHeaderExtensions.ERR_BAD_LENGTH, RtpHeaderExtensions.rewrite(buf, 2, value, 0, 1));
            assertEquals(RtpHeaderExtensions.ERR_NOT_FOUND, RtpHeaderExtensions.rewrite(buf, 9, value, 0, 2));
        } finally {
            buf.release();
            value.release();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void addToPacketWithoutExtensionUsesOneByteForm(boolean direct) {
        ByteBuf buf = buffer(direct, FIXED + PAYLOAD + "00 00 03", 16);
        buf.setByte(0, 0xa0); // P=1: three octets of padding must move along
        try {
            int index = RtpHeaderExtensions.add(buf, 5, 2);
            assertEquals(17, index);
            TransportSequenceNumber.write(buf, index, 0xabcd);
            assertEquals(Hex.of(Unpooled.wrappedBuffer(Hex.bytes("b0 60 0001 00000002 00000003"
                    + "bede 0001 51 abcd 00" + PAYLOAD + "000003"))), Hex.of(buf));
            assertEquals(20, RtpPacket.validate(buf));
            assertEquals(5, RtpPacket.payloadLength(buf));
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void addThenRemoveRestoresTheExactPacket(boolean direct) {
        String original = FIXED + PAYLOAD;
        ByteBuf buf = buffer(direct, original, 8);
        try {
            RtpHeaderExtensions.add(buf, 3, 3);
            assertEquals(12, RtpHeaderExtensions.remove(buf, 3));
            assertEquals(Hex.of(Unpooled.wrappedBuffer(Hex.bytes(original))), Hex.of(buf));
        } finally {
            buf.release();
        }
    }

    @Test
    void addToOneByteBlockAppendsAfterLastElement() {
        ByteBuf buf = buffer(false, FIXED_X + "bede 0001 10 aa 00 00" + PAYLOAD, 8);
        try {
            assertEquals(19, RtpHeaderExtensions.add(buf, 2, 1));
            buf.setByte(19, 0xbb);
            // fits in the existing word: the payload does not move
            assertEquals(Hex.of(Unpooled.wrappedBuffer(Hex.bytes(FIXED_X + "bede 0001 10 aa 20 bb" + PAYLOAD))),
                    Hex.of(buf));
            assertEquals(21, RtpHeaderExtensions.add(buf, 3, 3));
            assertEquals(Hex.of(Unpooled.wrappedBuffer(Hex.bytes(FIXED_X + "bede 0002 10 aa 20 bb 32 000000"
                    + PAYLOAD))), Hex.of(buf));
        } finally {
            buf.release();
        }
    }

    @Test
    void idAbove14ConvertsToTwoByteForm() {
        ByteBuf buf = buffer(true, RFC8285_ONE_BYTE, 16);
        try {
            int index = RtpHeaderExtensions.add(buf, 20, 1);
            buf.setByte(index, 0x77);
            String expected = FIXED_X + """
                    1000 0004     # converted, 4 words
                    01 01 a1      # ID=1 L=1
                    02 02 b1b2    # ID=2 L=2 (the padding bytes are dropped)
                    03 04 c1c2c3c4 # ID=3 L=4
                    14 01 77      # new ID=20 L=1, ends on the word boundary
                    """ + PAYLOAD;
            assertEquals(Hex.of(Unpooled.wrappedBuffer(Hex.bytes(expected))), Hex.of(buf));
            assertEquals(32, RtpPacket.validate(buf));
        } finally {
            buf.release();
        }
    }

    @Test
    void lengthAbove16ConvertsToTwoByteForm() {
        ByteBuf buf = buffer(false, FIXED_X + "bede 0001 10 aa 00 00" + PAYLOAD, 32);
        try {
            int index = RtpHeaderExtensions.add(buf, 2, 17);
            assertEquals(16 + 3 + 2, index);
            assertEquals(RtpHeaderExtensions.TWO_BYTE_PROFILE, buf.getUnsignedShort(12));
            assertFound(buf, 1, 18, 1);
            assertFound(buf, 2, 21, 17);
            assertEquals(Hex.of(Unpooled.wrappedBuffer(Hex.bytes(PAYLOAD))),
                    Hex.of(buf.slice(RtpPacket.payloadOffset(buf), RtpPacket.payloadLength(buf))));
        } finally {
            buf.release();
        }
    }

    @Test
    void addToTwoByteBlockKeepsAppbits() {
        ByteBuf buf = buffer(false, FIXED_X + "1005 0001 01 01 aa 00" + PAYLOAD, 8);
        try {
            assertEquals(23, RtpHeaderExtensions.add(buf, 2, 0) + 2);
            assertEquals(Hex.of(Unpooled.wrappedBuffer(Hex.bytes(FIXED_X + "1005 0002 01 01 aa 02 00 000000"
                    + PAYLOAD))), Hex.of(buf));
        } finally {
            buf.release();
        }
    }

    @Test
    void addExistingIdSameLengthReusesElement() {
        ByteBuf buf = buffer(false, RFC8285_ONE_BYTE, 0);
        try {
            assertEquals(19, RtpHeaderExtensions.add(buf, 2, 2));
            assertEquals(33, buf.writerIndex());
        } finally {
            buf.release();
        }
    }

    @Test
    void addExistingIdOtherLengthReplacesElement() {
        ByteBuf buf = buffer(false, RFC8285_ONE_BYTE, 8);
        try {
            int index = RtpHeaderExtensions.add(buf, 1, 3);
            assertFound(buf, 1, index, 3);
            assertFound(buf, 2, 17, 2);
            assertFound(buf, 3, 22, 4);
        } finally {
            buf.release();
        }
    }

    @Test
    void noRoomWhenBufferCannotGrow() {
        byte[] bytes = Hex.bytes(FIXED + PAYLOAD);
        ByteBuf buf = Unpooled.buffer(bytes.length, bytes.length).writeBytes(bytes);
        try {
            assertEquals(RtpHeaderExtensions.ERR_NO_ROOM, RtpHeaderExtensions.add(buf, 1, 1));
            assertEquals(Hex.of(Unpooled.wrappedBuffer(bytes)), Hex.of(buf));
        } finally {
            buf.release();
        }
    }

    @Test
    void badIdAndLength() {
        ByteBuf buf = buffer(false, FIXED, 8);
        try {
            assertEquals(RtpHeaderExtensions.ERR_BAD_ID, RtpHeaderExtensions.add(buf, 0, 1));
            assertEquals(RtpHeaderExtensions.ERR_BAD_ID, RtpHeaderExtensions.add(buf, 256, 1));
            assertEquals(RtpHeaderExtensions.ERR_BAD_LENGTH, RtpHeaderExtensions.add(buf, 1, 256));
            assertEquals(RtpHeaderExtensions.ERR_NOT_FOUND, RtpHeaderExtensions.remove(buf, 1));
        } finally {
            buf.release();
        }
    }

    @Test
    void invalidPacketIsRefused() {
        ByteBuf buf = buffer(false, "80 60 00", 8);
        try {
            assertEquals(RtpHeaderExtensions.ERR_INVALID_PACKET, RtpHeaderExtensions.add(buf, 1, 1));
            assertEquals(RtpHeaderExtensions.ERR_INVALID_PACKET, RtpHeaderExtensions.remove(buf, 1));
        } finally {
            buf.release();
        }
    }

    @Test
    void removeMiddleElementShrinksBlock() {
        ByteBuf buf = buffer(false, RFC8285_ONE_BYTE, 0);
        try {
            assertEquals(24, RtpHeaderExtensions.remove(buf, 3));
            assertEquals(Hex.of(Unpooled.wrappedBuffer(Hex.bytes(FIXED_X + "bede 0002 10 a1 21 b1 b2 000000"
                    + PAYLOAD))), Hex.of(buf));
            assertEquals(20, RtpHeaderExtensions.remove(buf, 1));
            assertEquals(Hex.of(Unpooled.wrappedBuffer(Hex.bytes(FIXED_X + "bede 0001 21 b1 b2 00" + PAYLOAD))),
                    Hex.of(buf));
            assertEquals(12, RtpHeaderExtensions.remove(buf, 2));
            assertEquals(Hex.of(Unpooled.wrappedBuffer(Hex.bytes(FIXED + PAYLOAD))), Hex.of(buf));
            assertFalse(RtpPacket.hasExtension(buf));
        } finally {
            buf.release();
        }
    }

    @Test
    void removeFromTwoByteBlock() {
        ByteBuf buf = buffer(false, RFC8285_TWO_BYTE, 0);
        try {
            // 12 bytes used -> 9: still three words, so the header keeps its length
            assertEquals(28, RtpHeaderExtensions.remove(buf, 2));
            assertFound(buf, 1, 18, 0);
            assertFound(buf, 3, 21, 4);
            assertEquals(Hex.of(Unpooled.wrappedBuffer(Hex.bytes(FIXED_X + "1000 0003 01 00 00 03 04 c1c2c3c4 000000"
                    + PAYLOAD))), Hex.of(buf));
        } finally {
            buf.release();
        }
    }

    @Test
    void moveHandlesOverlapBothWays() {
        for (boolean direct : new boolean[] {false, true}) {
            ByteBuf buf = buffer(direct, "000102030405060708090a0b0c0d0e0f1011121314", 0);
            try {
                RtpHeaderExtensions.move(buf, 0, 3, 18);
                assertEquals("000102000102030405060708090a0b0c0d0e0f1011", Hex.of(buf));
                RtpHeaderExtensions.move(buf, 3, 0, 18);
                assertEquals("000102030405060708090a0b0c0d0e0f1011" + "0f1011", Hex.of(buf));
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void extensionValueCodecsOnPackets() {
        ByteBuf buf = buffer(true, FIXED + PAYLOAD, 64);
        try {
            int abs = RtpHeaderExtensions.add(buf, 2, AbsSendTime.LENGTH);
            AbsSendTime.write(buf, abs, 0x123456);
            int level = RtpHeaderExtensions.add(buf, 1, AudioLevel.LENGTH);
            AudioLevel.write(buf, level, true, 42);
            assertTrue(StreamIdentifier.set(buf, 4, "hi") > 0);
            assertTrue(TransportSequenceNumber.rewrite(buf, 5, 7) == false);
            int tw = RtpHeaderExtensions.add(buf, 5, TransportSequenceNumber.LENGTH);
            assertTrue(TransportSequenceNumber.rewrite(buf, 5, 0xfffe));
            assertEquals(0xfffe, TransportSequenceNumber.read(buf, tw));
            assertEquals(0x123456, AbsSendTime.read(buf, RtpPacket.findExtension(buf, 2)));
            int l = RtpPacket.findExtension(buf, 1);
            assertTrue(AudioLevel.voiceActivity(buf, l));
            assertEquals(42, AudioLevel.level(buf, l));
            int rid = RtpPacket.findExtension(buf, 4);
            assertTrue(StreamIdentifier.equalsAscii(buf, rid, RtpPacket.extensionLength(buf, 4), "hi"));
            assertEquals("hi", StreamIdentifier.read(buf, rid, 2));
            assertEquals(Hex.of(Unpooled.wrappedBuffer(Hex.bytes(PAYLOAD))),
                    Hex.of(buf.slice(RtpPacket.payloadOffset(buf), RtpPacket.payloadLength(buf))));
        } finally {
            buf.release();
        }
    }

    private static void assertFound(ByteBuf buf, int id, int index, int length) {
        long found = RtpHeaderExtensions.find(buf, id);
        assertTrue(found >= 0, "id " + id + " not found");
        assertEquals(index, RtpHeaderExtensions.dataIndex(found), "index of id " + id);
        assertEquals(length, RtpHeaderExtensions.dataLength(found), "length of id " + id);
        assertEquals(index, RtpPacket.findExtension(buf, id));
        assertEquals(length, RtpPacket.extensionLength(buf, id));
    }
}
