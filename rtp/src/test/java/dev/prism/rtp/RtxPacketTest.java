package dev.prism.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class RtxPacketTest {
    // V=2 X=1 M=1 PT=97 seq=0x0102 ts=0x11223344 ssrc=0xAABBCCDD, one-byte extension (id 1, "x"),
    // OSN 0xFFFE, payload 01 02 03.
    private static final String RTX = "90e10102" + "11223344" + "aabbccdd" + "bede0001" + "10780000" + "fffe" + "010203";
    private static final String ORIGINAL = "90e0fffe" + "11223344" + "01020304" + "bede0001" + "10780000" + "010203";

    @Test
    void unwrapRestoresTheOriginalPacketInPlace() {
        ByteBuf packet = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(RTX));
        assertTrue(RtpPacket.validate(packet) > 0);
        assertTrue(RtxPacket.unwrap(packet, 0x01020304, 96));
        assertEquals(ORIGINAL, ByteBufUtil.hexDump(packet));
        assertEquals(0xFFFE, RtpPacket.sequenceNumber(packet));
        assertEquals(1, RtpPacket.findExtension(packet, 1) >= 0 ? 1 : 0);
        assertArrayEquals(new byte[] {1, 2, 3}, ByteBufUtil.getBytes(packet, RtpPacket.payloadOffset(packet), 3));
        packet.release();
    }

    @Test
    void paddingOnlyRtxIsLeftAlone() {
        // P=1, no payload but four bytes of padding (RFC 3550 §5.1): what Chromium sends to probe.
        ByteBuf packet = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("a0610001" + "00000000" + "00000001" + "00000004"));
        assertTrue(RtpPacket.validate(packet) > 0);
        String before = ByteBufUtil.hexDump(packet);
        assertFalse(RtxPacket.unwrap(packet, 5, 96));
        assertEquals(before, ByteBufUtil.hexDump(packet));
        packet.release();
    }
}
