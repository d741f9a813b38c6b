package dev.prism.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AesCtrTest {
    @Test
    void theTestJvmUsesTheJdkEngine() {
        assertTrue(AesCtr.JDK_ENGINE, "surefire opens com.sun.crypto.provider, so the intrinsic engine must be in use");
    }

    /** SP 800-38A F.5.1: CTR-AES128.Encrypt, four blocks from counter f0f1…fcfdfeff. */
    @Test
    void sp800_38aVectorOnBothPaths() {
        HexFormat hex = HexFormat.of();
        byte[] key = hex.parseHex("2b7e151628aed2a6abf7158809cf4f3c");
        byte[] counter = hex.parseHex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
        String plain = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
                + "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";
        String cipher = "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff"
                + "5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee";
        for (boolean jdk : new boolean[] {true, false}) {
            byte[] data = hex.parseHex(plain);
            // The vector's counter blocks end in feff, ff00, ff01, ff02: the IV with its low 16 bits
            // cleared, and block counters from 0xfeff (no carry beyond 16 bits).
            long high = AesCtr.getLong(counter, 0);
            long low = AesCtr.getLong(counter, 8);
            new AesCtr(key, jdk).crypt(high, low & ~0xFFFFL, 0xfeff, data, 0, data.length);
            assertEquals(cipher, hex.formatHex(data), "JDK engine: " + jdk);
        }
    }

    @Test
    void bothPathsAgreeOnEveryLengthAndOffset() {
        Random random = new Random(11);
        byte[] key = new byte[16];
        random.nextBytes(key);
        AesCtr fast = new AesCtr(key, true);
        AesCtr slow = new AesCtr(key, false);
        for (int i = 0; i < 3000; i++) {
            byte[] a = new byte[random.nextInt(1600) + 40];
            random.nextBytes(a);
            byte[] b = a.clone();
            int offset = random.nextInt(40);
            int length = random.nextInt(a.length - offset + 1);
            long high = random.nextLong();
            long low = random.nextLong() & 0xFFFFFFFF00000000L;
            fast.crypt(high, low, 2, a, offset, length);
            slow.crypt(high, low, 2, b, offset, length);
            assertArrayEquals(b, a, "length " + length + " at " + offset);
        }
    }
}
