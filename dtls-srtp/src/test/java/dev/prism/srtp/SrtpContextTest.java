package dev.prism.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SrtpContextTest {
    private static final int SSRC = 0x1234abcd;

    static SrtpContext[] pair(SrtpProfile profile) {
        Random random = new Random(profile.ordinal());
        byte[] key = new byte[profile.keyLength()];
        byte[] salt = new byte[profile.saltLength()];
        random.nextBytes(key);
        random.nextBytes(salt);
        return new SrtpContext[] {SrtpContext.create(profile, key, salt), SrtpContext.create(profile, key, salt)};
    }

    static byte[] rtp(int seq, long timestamp, int payloadLength) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(0x90).writeByte(96).writeShort(seq).writeInt((int) timestamp).writeInt(SSRC);
        b.writeShort(0xBEDE).writeShort(1).writeByte(0x22).writeMedium(seq * 7); // one-byte extension, id 2
        for (int i = 0; i < payloadLength; i++) {
            b.writeByte(seq + i);
        }
        byte[] bytes = ByteBufUtil.getBytes(b);
        b.release();
        return bytes;
    }

    static byte[] rtcp() {
        // RR with one report block, then a PLI: a compound packet.
        ByteBuf b = Unpooled.buffer();
        b.writeInt(0x81c90007).writeInt(SSRC).writeInt(0x55667788).writeZero(20);
        b.writeInt(0x81ce0002).writeInt(SSRC).writeInt(0x55667788);
        byte[] bytes = ByteBufUtil.getBytes(b);
        b.release();
        return bytes;
    }

    static ByteBuf protect(SrtpContext ctx, byte[] plain, boolean rtcp) {
        ByteBuf buf = Unpooled.buffer(plain.length + 32);
        buf.writeBytes(plain);
        int result = rtcp ? ctx.protectRtcp(buf) : ctx.protectRtp(buf);
        assertEquals(SrtpContext.OK, result);
        return buf;
    }

    /** A fan-out reads a context's state ahead (prefetchRtp): reading it must change nothing that is sent. */
    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void prefetchingChangesNothingProtected(SrtpProfile profile) {
        SrtpContext[] plain = pair(profile);
        SrtpContext[] prefetched = pair(profile);
        prefetched[0].prefetchRtp(SSRC); // before the stream exists
        for (int seq = 65530; seq < 65545; seq++) { // across a rollover
            byte[] packet = rtp(seq & 0xFFFF, seq * 3000L, 1100);
            prefetched[0].prefetchRtp(SSRC);
            prefetched[0].prefetchRtp(SSRC + 1);
            ByteBuf a = protect(plain[0], packet, false);
            ByteBuf b = protect(prefetched[0], packet, false);
            assertArrayEquals(ByteBufUtil.getBytes(a), ByteBufUtil.getBytes(b));
            assertEquals(SrtpContext.OK, prefetched[1].unprotectRtp(b));
            a.release();
            b.release();
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtpRoundTripAcrossRolloverWrap(SrtpProfile profile) {
        SrtpContext[] p = pair(profile);
        for (int i = 0; i < 40; i++) {
            int seq = (65520 + i) & 0xFFFF;
            byte[] plain = rtp(seq, 3000L * i, 100 + i);
            ByteBuf wire = protect(p[0], plain, false);
            assertEquals(plain.length + profile.rtpTagLength(), wire.readableBytes());
            assertFalse(ByteBufUtil.equals(Unpooled.wrappedBuffer(plain), wire.slice(0, plain.length)),
                    "payload must be encrypted");
            assertEquals(SrtpContext.OK, p[1].unprotectRtp(wire), "seq " + seq);
            assertArrayEquals(plain, ByteBufUtil.getBytes(wire));
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void reorderedPacketsAroundTheWrapUseTheRightRolloverCounter(SrtpProfile profile) {
        SrtpContext[] p = pair(profile);
        List<ByteBuf> wire = new ArrayList<>();
        List<byte[]> plain = new ArrayList<>();
        for (int seq : new int[] {65530, 65531, 65532, 65533, 65534, 65535, 0, 1, 2, 3, 4, 5}) {
            byte[] b = rtp(seq, seq, 50);
            plain.add(b);
            wire.add(protect(p[0], b, false));
        }
        // Deliver the first, then the packets after the wrap, then the late ones from before it.
        int[] order = {0, 6, 7, 8, 1, 2, 3, 4, 5, 9, 10, 11};
        for (int k : order) {
            assertEquals(SrtpContext.OK, p[1].unprotectRtp(wire.get(k)), "packet " + k);
            assertArrayEquals(plain.get(k), ByteBufUtil.getBytes(wire.get(k)));
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aStreamWhoseFirstPacketsWereLostAcrossTheWrapStillAuthenticates(SrtpProfile profile) {
        SrtpContext[] p = pair(profile);
        List<ByteBuf> wire = new ArrayList<>();
        List<byte[]> plain = new ArrayList<>();
        for (int seq : new int[] {65533, 65534, 65535, 0, 1, 2, 3}) {
            byte[] b = rtp(seq, seq, 60);
            plain.add(b);
            wire.add(protect(p[0], b, false)); // the sender's ROC is 1 from seq 0 on
        }
        // The receiver hears nothing before seq 0 (sent before its keys were ready), then a late one.
        int[] order = {3, 4, 5, 6, 2};
        for (int k : order) {
            assertEquals(SrtpContext.OK, p[1].unprotectRtp(wire.get(k)), "packet " + k);
            assertArrayEquals(plain.get(k), ByteBufUtil.getBytes(wire.get(k)));
        }
        ByteBuf again = protect(pair(profile)[0], plain.get(4), false);
        assertEquals(SrtpContext.ERR_REPLAY, p[1].unprotectRtp(again), "seq 1 at ROC 1 was seen");
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aForgedFirstPacketFailsAtBothRolloverCountersAndLeavesNoState(SrtpProfile profile) {
        SrtpContext[] p = pair(profile);
        ByteBuf forged = protect(pair(SrtpProfile.values()[(profile.ordinal() + 1) % SrtpProfile.values().length])[0],
                rtp(7, 7, 60), false);
        byte[] before = ByteBufUtil.getBytes(forged);
        assertEquals(SrtpContext.ERR_AUTH, p[1].unprotectRtp(forged));
        assertArrayEquals(before, ByteBufUtil.getBytes(forged), "a failed packet is left as it came");
        // The stream was not started by the forgery: its real first packet (ROC 0) still authenticates.
        ByteBuf real = protect(p[0], rtp(40000, 1, 60), false);
        assertEquals(SrtpContext.OK, p[1].unprotectRtp(real));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void replayedRtpIsRejected(SrtpProfile profile) {
        SrtpContext[] p = pair(profile);
        ByteBuf first = protect(p[0], rtp(100, 0, 80), false);
        ByteBuf copy = first.copy();
        assertEquals(SrtpContext.OK, p[1].unprotectRtp(first));
        assertEquals(SrtpContext.ERR_REPLAY, p[1].unprotectRtp(copy));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void packetsOlderThanTheWindowAreRejected(SrtpProfile profile) {
        SrtpContext[] p = pair(profile);
        ByteBuf old = protect(p[0], rtp(1000, 0, 10), false);
        ByteBuf inWindow = protect(p[0], rtp(1001, 0, 10), false);
        for (int seq = 1002; seq < 1002 + 127; seq++) {
            assertEquals(SrtpContext.OK, p[1].unprotectRtp(protect(p[0], rtp(seq, 0, 10), false)));
        }
        assertEquals(SrtpContext.OK, p[1].unprotectRtp(inWindow), "127 behind the newest is inside a 128 window");
        assertEquals(SrtpContext.OK, p[1].unprotectRtp(protect(p[0], rtp(1129, 0, 10), false)));
        assertEquals(SrtpContext.ERR_REPLAY, p[1].unprotectRtp(old), "129 behind the newest is outside");
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void tamperedRtpIsRejectedAndDoesNotAdvanceTheWindow(SrtpProfile profile) {
        SrtpContext[] p = pair(profile);
        byte[] plain = rtp(500, 0, 60);
        ByteBuf good = protect(p[0], plain, false);
        for (int offset : new int[] {2, 11, 20, 40, good.readableBytes() - 1}) {
            ByteBuf bad = good.copy();
            bad.setByte(offset, bad.getByte(offset) ^ 0x01);
            assertEquals(SrtpContext.ERR_AUTH, p[1].unprotectRtp(bad), "flipped byte " + offset);
        }
        assertEquals(SrtpContext.OK, p[1].unprotectRtp(good), "forgeries must not mark the index as seen");
        assertArrayEquals(plain, ByteBufUtil.getBytes(good));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtcpRoundTripReplayAndTamper(SrtpProfile profile) {
        SrtpContext[] p = pair(profile);
        byte[] plain = rtcp();
        for (int i = 0; i < 5; i++) {
            ByteBuf wire = protect(p[0], plain, true);
            assertEquals(plain.length + 4 + profile.rtcpTagLength(), wire.readableBytes());
            ByteBuf replay = wire.copy();
            ByteBuf tampered = wire.copy();
            tampered.setByte(12, tampered.getByte(12) ^ 0x80);
            assertEquals(SrtpContext.ERR_AUTH, p[1].unprotectRtcp(tampered));
            assertEquals(SrtpContext.OK, p[1].unprotectRtcp(wire));
            assertArrayEquals(plain, ByteBufUtil.getBytes(wire));
            assertEquals(SrtpContext.ERR_REPLAY, p[1].unprotectRtcp(replay));
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtcpIndexAndEncryptionFlagAreOnTheWire(SrtpProfile profile) {
        SrtpContext[] p = pair(profile);
        protect(p[0], rtcp(), true);
        ByteBuf second = protect(p[0], rtcp(), true);
        int trailerOffset = profile.isAead() ? second.readableBytes() - 4
                : second.readableBytes() - profile.rtcpTagLength() - 4;
        assertEquals(0x80000001, second.getInt(trailerOffset), "E flag set, index 1 (RFC 3711 §3.4)");
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void keysOfAnotherSessionFailAuthentication(SrtpProfile profile) {
        SrtpContext sender = pair(profile)[0];
        byte[] otherKey = new byte[profile.keyLength()];
        SrtpContext stranger = SrtpContext.create(profile, otherKey, new byte[profile.saltLength()]);
        assertEquals(SrtpContext.ERR_AUTH, stranger.unprotectRtp(protect(sender, rtp(1, 0, 30), false)));
        assertEquals(SrtpContext.ERR_AUTH, stranger.unprotectRtcp(protect(sender, rtcp(), true)));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void malformedPacketsAreRefusedByName(SrtpProfile profile) {
        SrtpContext ctx = pair(profile)[1];
        assertEquals(SrtpContext.ERR_MALFORMED, ctx.unprotectRtp(Unpooled.wrappedBuffer(new byte[11])), "short");
        byte[] version1 = rtp(1, 0, 40);
        version1[0] = 0x50;
        assertEquals(SrtpContext.ERR_MALFORMED, ctx.unprotectRtp(Unpooled.wrappedBuffer(version1)), "version 1");
        byte[] extensionPastEnd = rtp(1, 0, 4);
        extensionPastEnd[14] = 0x7F; // extension length in words far beyond the packet
        assertEquals(SrtpContext.ERR_MALFORMED, ctx.unprotectRtp(Unpooled.wrappedBuffer(extensionPastEnd)));
        byte[] csrcsPastEnd = rtp(1, 0, 0);
        csrcsPastEnd[0] = (byte) 0x8F; // 15 CSRCs declared
        assertEquals(SrtpContext.ERR_MALFORMED, ctx.unprotectRtp(Unpooled.wrappedBuffer(csrcsPastEnd)));
        byte[] noTag = rtp(1, 0, profile.rtpTagLength() - 1);
        assertEquals(SrtpContext.ERR_MALFORMED, ctx.unprotectRtp(Unpooled.wrappedBuffer(noTag)), "no room for a tag");
        assertEquals(SrtpContext.ERR_MALFORMED, ctx.unprotectRtcp(Unpooled.wrappedBuffer(new byte[12])), "short SRTCP");
    }

    @Test
    void protectWithoutTailroomIsRefused() {
        SrtpContext ctx = pair(SrtpProfile.AEAD_AES_128_GCM)[0];
        byte[] plain = rtp(1, 0, 20);
        ByteBuf fixed = Unpooled.wrappedBuffer(plain).capacity(plain.length);
        ByteBuf capped = Unpooled.buffer(plain.length, plain.length).writeBytes(plain);
        assertEquals(SrtpContext.ERR_NO_ROOM, ctx.protectRtp(capped));
        assertEquals(plain.length, fixed.readableBytes());
    }

    @ParameterizedTest
    @EnumSource(value = SrtpProfile.class, names = {"AEAD_AES_128_GCM", "AEAD_AES_256_GCM"})
    void gcmRefusesToProtectTheSameIndexTwice(SrtpProfile profile) {
        SrtpContext ctx = pair(profile)[0];
        protect(ctx, rtp(9, 0, 20), false);
        protect(ctx, rtp(10, 0, 20), false);
        // Seq 9 again with other associated data (a retransmission with a new timestamp or
        // transport-wide number): under the same IV that would reveal the GHASH key.
        ByteBuf again = Unpooled.buffer(64).writeBytes(rtp(9, 3000, 20));
        assertEquals(SrtpContext.ERR_REPLAY, ctx.protectRtp(again), "nonce reuse would leak the GHASH key");
        protect(ctx, rtp(11, 0, 20), false);
    }

    @Test
    void counterModeMayProtectARetransmissionAgain() {
        // AES-CM: the same index encrypts the same payload to the same bytes; the header is not encrypted.
        SrtpContext ctx = pair(SrtpProfile.AES_CM_128_HMAC_SHA1_80)[0];
        ByteBuf first = protect(ctx, rtp(9, 0, 20), false);
        protect(ctx, rtp(10, 0, 20), false);
        ByteBuf again = protect(ctx, rtp(9, 0, 20), false);
        assertEquals(ByteBufUtil.hexDump(first), ByteBufUtil.hexDump(again));
    }

    @Test
    void wrongKeyLengthIsAClearError() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> SrtpContext.create(SrtpProfile.AEAD_AES_256_GCM, new byte[16], new byte[12]));
        assertEquals(true, e.getMessage().contains("32-byte key"));
    }
}
