package dev.prism.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The allocation-free GCM (JDK GHASH intrinsic) against the JCE's AES/GCM on random packets of
 * every length: enough packets that C2 compiles the GHASH call into its intrinsic, so the
 * compiled path is what gets compared, not only the interpreter's.
 */
class AesGcmTransformTest {
    @Test
    void theTestJvmReachesTheJdkGhash() {
        // Surefire passes --add-opens java.base/com.sun.crypto.provider (root pom); so do the jars.
        assertTrue(Ghash.AVAILABLE, Ghash.UNAVAILABLE_REASON);
    }

    @Test
    void sameBytesAsTheJceForRtpAndRtcpOfEveryLength() {
        Random random = new Random(7);
        for (SrtpProfile profile : new SrtpProfile[] {SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AEAD_AES_256_GCM}) {
            byte[] key = new byte[profile.keyLength()];
            byte[] salt = new byte[profile.saltLength()];
            random.nextBytes(key);
            random.nextBytes(salt);
            SrtpContext ours = SrtpContext.withSessionKeys(profile, key, salt, true);
            SrtpContext jce = SrtpContext.withSessionKeys(profile, key, salt, false);
            SrtpContext oursIn = SrtpContext.withSessionKeys(profile, key, salt, true);
            for (int i = 0; i < 12_000; i++) {
                int payload = i < 1500 ? i % 1500 : random.nextInt(1400);
                ByteBuf a = rtp(random, i, payload);
                ByteBuf b = a.copy(0, a.writerIndex()).capacity(a.capacity());
                assertEquals(SrtpContext.OK, ours.protectRtp(a));
                assertEquals(SrtpContext.OK, jce.protectRtp(b));
                assertEquals(ByteBufUtil.hexDump(b), ByteBufUtil.hexDump(a), "RTP, payload " + payload);
                ByteBuf tampered = a.copy();
                // Flip one bit of the payload, the tag or the header's SSRC/timestamp: authentication fails.
                int at = random.nextBoolean() ? 4 + random.nextInt(8) : 20 + random.nextInt(tampered.writerIndex() - 20);
                tampered.setByte(at, tampered.getByte(at) ^ (1 << random.nextInt(8)));
                assertEquals(SrtpContext.ERR_AUTH, SrtpContext.withSessionKeys(profile, key, salt, true).unprotectRtp(tampered));
                assertEquals(SrtpContext.OK, oursIn.unprotectRtp(a));
                a.release();
                b.release();
                tampered.release();
                if (i % 10 == 0) {
                    ByteBuf c = rtcp(random, random.nextInt(300));
                    ByteBuf d = c.copy(0, c.writerIndex()).capacity(c.capacity());
                    assertEquals(SrtpContext.OK, ours.protectRtcp(c));
                    assertEquals(SrtpContext.OK, jce.protectRtcp(d));
                    assertEquals(ByteBufUtil.hexDump(d), ByteBufUtil.hexDump(c), "RTCP");
                    assertEquals(SrtpContext.OK, oursIn.unprotectRtcp(c));
                    c.release();
                    d.release();
                }
            }
        }
    }

    private static ByteBuf rtp(Random random, int seq, int payload) {
        ByteBuf buf = Unpooled.buffer(12 + 8 + payload, 12 + 8 + payload + 16);
        buf.writeByte(0x90).writeByte(96).writeShort(seq).writeInt(random.nextInt()).writeInt(0x11223344);
        buf.writeShort(0xBEDE).writeShort(1).writeByte(0x31).writeShort(random.nextInt()).writeByte(0);
        byte[] bytes = new byte[payload];
        random.nextBytes(bytes);
        return buf.writeBytes(bytes);
    }

    private static ByteBuf rtcp(Random random, int words) {
        ByteBuf buf = Unpooled.buffer(8 + 4 * words, 8 + 4 * words + 20);
        buf.writeByte(0x80).writeByte(201).writeShort(1 + words).writeInt(0x55667788);
        for (int i = 0; i < words; i++) {
            buf.writeInt(random.nextInt());
        }
        return buf;
    }
}
