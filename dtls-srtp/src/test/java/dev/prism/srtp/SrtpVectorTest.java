package dev.prism.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Published test vectors: RFC 3711 appendix B, RFC 7714 §16 and §17, and libsrtp's AES-CM vectors. */
class SrtpVectorTest {

    static byte[] hex(String s) {
        return ByteBufUtil.decodeHexDump(s.replace(" ", ""));
    }

    static ByteBuf buffer(String hex, int tailroom) {
        byte[] bytes = hex(hex);
        ByteBuf buf = Unpooled.buffer(bytes.length + tailroom);
        buf.writeBytes(bytes);
        return buf;
    }

    static String readable(ByteBuf buf) {
        return ByteBufUtil.hexDump(buf);
    }

    // RFC 3711 B.2: AES-CM keystream with session key and salt, SSRC, ROC and SEQ all zero.
    @Test
    void rfc3711B2Keystream() {
        byte[] key = hex("2B7E151628AED2A6ABF7158809CF4F3C");
        byte[] salt = hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD");
        var transform = new AesCmHmacTransform(key, salt, new byte[20], key, salt, new byte[20], 10);
        byte[] stream = transform.keystreamForTest(0xFF02 * 16);
        assertArrayEquals(hex("E03EAD0935C95E80E166B16DD92B4EB4 D23513162B02D0F72A43A2FE4A5F97AB"
                + "41E95B3BB0A2E8DD477901E4FCA894C0"), Arrays.copyOfRange(stream, 0, 48));
        assertArrayEquals(hex("EC8CDF7398607CB0F2D21675EA9EA1E4"), Arrays.copyOfRange(stream, 0xFEFF * 16, 0xFF00 * 16));
        assertArrayEquals(hex("362B7C3C6773516318A077D7FC5073AE"), Arrays.copyOfRange(stream, 0xFF00 * 16, 0xFF01 * 16));
        assertArrayEquals(hex("6A2CC3787889374FBEB4C81B17BA6C44"), Arrays.copyOfRange(stream, 0xFF01 * 16, 0xFF02 * 16));
    }

    // RFC 3711 B.3: key derivation with key_derivation_rate 0 and index 0.
    @Test
    void rfc3711B3KeyDerivation() {
        byte[] masterKey = hex("E1F97A0D3E018BE0D64FA32C06DE4139");
        byte[] masterSalt = hex("0EC675AD498AFEEBB6960B3AABE6");
        assertArrayEquals(hex("C61E7A93744F39EE10734AFE3FF7A087"),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTP_ENCRYPTION, 16));
        assertArrayEquals(hex("30CBBC08863D8C85D49DB34A9AE1"),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTP_SALT, 14));
        byte[] auth = SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTP_AUTH, 94);
        assertArrayEquals(hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"), Arrays.copyOf(auth, 20));
        assertArrayEquals(hex("8F0A0ACF3C34E2359E6CDBCE E049646C43D9327AD175578EF7227098 6371C10C9A369AC2F94A8C5FBCDDDC25"
                + "6D6E919A48B610EF17C2041E47403576 6B68642C59BBFC2F34DB60DBDFB2"), Arrays.copyOfRange(auth, 20, 94));
    }

    // libsrtp's srtp_aes_cm_128_hmac_sha1_80 test packet (test/srtp_driver.c), master key/salt of RFC 3711 B.3.
    private static final String CM_MASTER = "E1F97A0D3E018BE0D64FA32C06DE4139";
    private static final String CM_SALT = "0EC675AD498AFEEBB6960B3AABE6";
    private static final String CM_RTP_PLAIN = "800f1234decafbadcafebabe" + "ab".repeat(16);
    private static final String CM_RTP_PROTECTED = "800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb";
    private static final String CM_RTCP_PLAIN = "81c8000bcafebabe" + "ab".repeat(16);
    private static final String CM_RTCP_PROTECTED = "81c8000bcafebabe7128035be487b9bdbef89041f977a5a880000001993e08cd54d6c1230798";

    private static SrtpContext cm80() {
        return SrtpContext.create(SrtpProfile.AES_CM_128_HMAC_SHA1_80, hex(CM_MASTER), hex(CM_SALT));
    }

    @Test
    void libsrtpAesCmRtpBothWays() {
        ByteBuf buf = buffer(CM_RTP_PLAIN, 16);
        assertEquals(SrtpContext.OK, cm80().protectRtp(buf));
        assertEquals(CM_RTP_PROTECTED, readable(buf));
        ByteBuf in = buffer(CM_RTP_PROTECTED, 0);
        assertEquals(SrtpContext.OK, cm80().unprotectRtp(in));
        assertEquals(CM_RTP_PLAIN, readable(in));
    }

    @Test
    void libsrtpAesCmRtcpBothWays() {
        SrtpContext sender = cm80();
        sender.setNextRtcpIndex(0xcafebabe, 1);
        ByteBuf buf = buffer(CM_RTCP_PLAIN, 16);
        assertEquals(SrtpContext.OK, sender.protectRtcp(buf));
        assertEquals(CM_RTCP_PROTECTED, readable(buf));
        ByteBuf in = buffer(CM_RTCP_PROTECTED, 0);
        assertEquals(SrtpContext.OK, cm80().unprotectRtcp(in));
        assertEquals(CM_RTCP_PLAIN, readable(in));
    }

    // RFC 7714 §16.1 (AEAD_AES_128_GCM) and §16.2 (AEAD_AES_256_GCM), session keys given.
    private static final String GCM_SALT = "517569642070726f2071756f";
    private static final String KEY128 = "000102030405060708090a0b0c0d0e0f";
    private static final String KEY256 = KEY128 + "101112131415161718191a1b1c1d1e1f";
    private static final String GCM_RTP_PLAIN = "8040f17b8041f8d35501a0b2"
            + "47616c6c696120657374206f6d6e697320646976697361" + "20696e207061727465732074726573";
    private static final String GCM128_RTP = "8040f17b8041f8d35501a0b2"
            + "f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f47a51c7d19b36de3adf8833899d7f27beb16a9152cf765ee4390cce";
    private static final String GCM256_RTP = "8040f17b8041f8d35501a0b2"
            + "32b1de78a822fe12ef9f78fa332e33aab18012389a58e2f3b50b2a0276ffae0f1ba63799b87b7aa3db36dfffd6b0f9bb7878d7a76c13";

    @ParameterizedTest(name = "JDK GHASH: {0}")
    @ValueSource(booleans = {true, false})
    void rfc7714Srtp128(boolean jdkGhash) {
        rtpVector(SrtpProfile.AEAD_AES_128_GCM, KEY128, GCM128_RTP, jdkGhash);
    }

    @ParameterizedTest(name = "JDK GHASH: {0}")
    @ValueSource(booleans = {true, false})
    void rfc7714Srtp256(boolean jdkGhash) {
        rtpVector(SrtpProfile.AEAD_AES_256_GCM, KEY256, GCM256_RTP, jdkGhash);
    }

    private static void rtpVector(SrtpProfile profile, String key, String protectedHex, boolean jdkGhash) {
        ByteBuf buf = buffer(GCM_RTP_PLAIN, 16);
        assertEquals(SrtpContext.OK, SrtpContext.withSessionKeys(profile, hex(key), hex(GCM_SALT), jdkGhash).protectRtp(buf));
        assertEquals(protectedHex, readable(buf));
        ByteBuf in = buffer(protectedHex, 0);
        assertEquals(SrtpContext.OK, SrtpContext.withSessionKeys(profile, hex(key), hex(GCM_SALT), jdkGhash).unprotectRtp(in));
        assertEquals(GCM_RTP_PLAIN, readable(in));
    }

    // RFC 7714 §17: SRTCP with SSRC 0x4d617273 and index 0x5d4.
    private static final String GCM_RTCP_PLAIN = "81c8000d4d6172734e5450314e5450325254502000" + "00042a0000e9304c756e61"
            + "deadbeef".repeat(5);
    private static final String GCM128_RTCP = "81c8000d4d617273"
            + "63e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32dc676a5f1730d6fda4ce09b4686303ded0bb9275bc84aa45896cf4d2fc5abf87245d9eade"
            + "800005d4";
    private static final String GCM256_RTCP = "81c8000d4d617273"
            + "d50ae4d1f5ce5d304ba297e47d470c282c3ece5dbffe0a50a2eaa5c1110555be8415f658c61de0476f1b6fad1d1eb30c4446839f57ff6f6cb26ac3be"
            + "800005d4";

    @ParameterizedTest(name = "JDK GHASH: {0}")
    @ValueSource(booleans = {true, false})
    void rfc7714Srtcp128(boolean jdkGhash) {
        rtcpVector(SrtpProfile.AEAD_AES_128_GCM, KEY128, GCM128_RTCP, jdkGhash);
    }

    @ParameterizedTest(name = "JDK GHASH: {0}")
    @ValueSource(booleans = {true, false})
    void rfc7714Srtcp256(boolean jdkGhash) {
        rtcpVector(SrtpProfile.AEAD_AES_256_GCM, KEY256, GCM256_RTCP, jdkGhash);
    }

    private static void rtcpVector(SrtpProfile profile, String key, String protectedHex, boolean jdkGhash) {
        SrtpContext sender = SrtpContext.withSessionKeys(profile, hex(key), hex(GCM_SALT), jdkGhash);
        sender.setNextRtcpIndex(0x4d617273, 0x5d4);
        ByteBuf buf = buffer(GCM_RTCP_PLAIN, 32);
        assertEquals(SrtpContext.OK, sender.protectRtcp(buf));
        assertEquals(protectedHex, readable(buf));
        ByteBuf in = buffer(protectedHex, 0);
        assertEquals(SrtpContext.OK, SrtpContext.withSessionKeys(profile, hex(key), hex(GCM_SALT), jdkGhash).unprotectRtcp(in));
        assertEquals(GCM_RTCP_PLAIN, readable(in));
    }

    // RFC 7714 §17.1 and §17.2: SRTCP with the E flag clear (authenticated, not encrypted).
    @ParameterizedTest(name = "JDK GHASH: {0}")
    @ValueSource(booleans = {true, false})
    void rfc7714UnencryptedSrtcpIsAuthenticated(boolean jdkGhash) {
        unencrypted(KEY128, SrtpProfile.AEAD_AES_128_GCM, "841dd9683dd78ec92ae58790125f62b3", jdkGhash);
        unencrypted(KEY256, SrtpProfile.AEAD_AES_256_GCM, "91db4afbfeee5a978fab4393ed2615fe", jdkGhash);
    }

    private static void unencrypted(String key, SrtpProfile profile, String tag, boolean jdkGhash) {
        String packet = GCM_RTCP_PLAIN + tag + "000005d4";
        ByteBuf in = buffer(packet, 0);
        assertEquals(SrtpContext.OK, SrtpContext.withSessionKeys(profile, hex(key), hex(GCM_SALT), jdkGhash).unprotectRtcp(in));
        assertEquals(GCM_RTCP_PLAIN, readable(in));
        ByteBuf forged = buffer(packet.replace("deadbeefdeadbeef", "deadbeefdeadbeee"), 0);
        assertEquals(SrtpContext.ERR_AUTH,
                SrtpContext.withSessionKeys(profile, hex(key), hex(GCM_SALT), jdkGhash).unprotectRtcp(forged));
    }
}
