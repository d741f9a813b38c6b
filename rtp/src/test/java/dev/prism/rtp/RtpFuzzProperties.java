package dev.prism.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Random and mutated bytes never make the RTP parsers throw; edits keep packets valid. */
class RtpFuzzProperties {
    static final List<byte[]> VALID = List.of(
            Hex.bytes(RtpHeaderExtensionsTest.RFC8285_ONE_BYTE),
            Hex.bytes(RtpHeaderExtensionsTest.RFC8285_TWO_BYTE),
            Hex.bytes(RtpPacketTest.FULL),
            Hex.bytes(RtpHeaderExtensionsTest.FIXED + RtpHeaderExtensionsTest.PAYLOAD));

    @Provide
    static Arbitrary<byte[]> mutatedPackets() {
        return Arbitraries.of(VALID).flatMap(base -> Combinators.combine(
                Arbitraries.integers().between(0, base.length - 1).list().ofMaxSize(4),
                Arbitraries.bytes().list().ofSize(4),
                Arbitraries.integers().between(0, base.length))
                .as((positions, values, keep) -> {
                    byte[] copy = base.clone();
                    for (int i = 0; i < positions.size(); i++) {
                        copy[positions.get(i)] = values.get(i);
                    }
                    return keep == base.length ? copy : java.util.Arrays.copyOf(copy, keep);
                }));
    }

    @Property
    void randomBytesNeverThrow(@ForAll @Size(max = 80) byte[] bytes, @ForAll @IntRange(max = 255) int id) {
        exercise(bytes, id, 1);
    }

    @Property
    void mutatedPacketsNeverThrow(@ForAll("mutatedPackets") byte[] bytes, @ForAll @IntRange(max = 256) int id,
                                  @ForAll @IntRange(min = -1, max = 256) int length) {
        exercise(bytes, id, length);
    }

    /** Parses, and on a valid packet adds and removes an element, checking the payload survives. */
    private static void exercise(byte[] bytes, int id, int length) {
        ByteBuf buf = Unpooled.buffer(bytes.length + 300).writeBytes(bytes);
        try {
            RtpHeaderExtensions.find(buf, id);
            RtpPacket.findExtension(buf, id);
            int header = RtpPacket.validate(buf);
            if (header < 0) {
                assertTrue(RtpHeaderExtensions.add(buf, id, length) < 0);
                assertTrue(RtpHeaderExtensions.remove(buf, id) < 0);
                return;
            }
            RtpPacket.marker(buf);
            RtpPacket.payloadType(buf);
            RtpPacket.sequenceNumber(buf);
            RtpPacket.timestamp(buf);
            RtpPacket.ssrc(buf);
            for (int i = 0; i < RtpPacket.csrcCount(buf); i++) {
                RtpPacket.csrc(buf, i);
            }
            assertEquals(header, RtpPacket.headerLength(buf));
            int payloadLength = RtpPacket.payloadLength(buf);
            assertTrue(payloadLength >= 0);
            byte[] payloadAndPadding = ByteBufUtil.getBytes(buf, RtpPacket.payloadOffset(buf),
                    buf.writerIndex() - RtpPacket.payloadOffset(buf));
            for (int other = 1; other < 16; other++) {
                RtpPacket.extensionLength(buf, other);
            }
            int index = RtpHeaderExtensions.add(buf, id, length);
            if (index >= 0) {
                assertTrue(RtpPacket.validate(buf) >= 0);
                long found = RtpHeaderExtensions.find(buf, id);
                assertEquals(index, RtpHeaderExtensions.dataIndex(found));
                assertEquals(length, RtpHeaderExtensions.dataLength(found));
                assertTail(buf, payloadAndPadding);
                assertTrue(RtpHeaderExtensions.remove(buf, id) >= 0);
                assertTrue(RtpPacket.validate(buf) >= 0);
                assertEquals(-1, RtpHeaderExtensions.find(buf, id));
                assertTail(buf, payloadAndPadding);
            } else {
                RtpHeaderExtensions.remove(buf, id);
            }
        } finally {
            buf.release();
        }
    }

    private static void assertTail(ByteBuf buf, byte[] expected) {
        int offset = RtpPacket.payloadOffset(buf);
        assertEquals(ByteBufUtil.hexDump(expected),
                ByteBufUtil.hexDump(buf, offset, buf.writerIndex() - offset));
    }
}
