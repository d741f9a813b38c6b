package dev.prism.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class HmacSha1Test {
    // RFC 2202 §3 test cases 1, 2 and 6 (key longer than the block).
    @Test
    void rfc2202Vectors() {
        check(SrtpVectorTest.hex("0b".repeat(20)), "Hi There".getBytes(StandardCharsets.US_ASCII),
                "b617318655057264e28bc0b6fb378c8ef146be00");
        check("Jefe".getBytes(StandardCharsets.US_ASCII),
                "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII),
                "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
        check(SrtpVectorTest.hex("aa".repeat(80)),
                "Test Using Larger Than Block-Size Key - Hash Key First".getBytes(StandardCharsets.US_ASCII),
                "aa4ae5e15272d00e95705637ce8a3b55ed402112");
    }

    @Test
    void matchesTheJdkMacAcrossRepeatedUse() throws Exception {
        byte[] key = SrtpVectorTest.hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4");
        HmacSha1 ours = new HmacSha1(key);
        Mac jdk = Mac.getInstance("HmacSHA1");
        jdk.init(new SecretKeySpec(key, "HmacSHA1"));
        byte[] out = new byte[20];
        for (int length = 0; length < 300; length += 37) {
            byte[] message = new byte[length];
            for (int i = 0; i < length; i++) {
                message[i] = (byte) (i * 31 + length);
            }
            ours.update(message, 0, length);
            ours.doFinal(out, 0);
            assertArrayEquals(jdk.doFinal(message), out, "length " + length);
        }
    }

    private static void check(byte[] key, byte[] message, String expected) {
        HmacSha1 mac = new HmacSha1(key);
        mac.update(message, 0, message.length);
        byte[] out = new byte[20];
        mac.doFinal(out, 0);
        assertArrayEquals(SrtpVectorTest.hex(expected), out);
    }
}
