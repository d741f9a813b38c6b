package dev.prism.bench;

import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JDK primitives SRTP is built from, on 1,200 bytes of heap arrays: the floor each SRTP
 * transform is measured against (docs/BENCHMARKS.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CryptoPrimitivesBenchmark {
    private final byte[] data = new byte[1216];
    private final byte[] out = new byte[1300];
    private final byte[] digest = new byte[20];
    private final byte[] iv = new byte[12];
    private MessageDigest sha1;
    private Cipher ecb;
    private Cipher gcm;
    private SecretKeySpec key;
    private long counter;

    @Setup
    public void setUp() throws Exception {
        new Random(1).nextBytes(data);
        sha1 = MessageDigest.getInstance("SHA-1");
        key = new SecretKeySpec(new byte[16], "AES");
        ecb = Cipher.getInstance("AES/ECB/NoPadding");
        ecb.init(Cipher.ENCRYPT_MODE, key);
        gcm = Cipher.getInstance("AES/GCM/NoPadding");
    }

    @Benchmark
    public int sha1Of1216() throws Exception {
        sha1.update(data, 0, 1216);
        return sha1.digest(digest, 0, 20);
    }

    @Benchmark
    public int aesEcb1200() throws Exception {
        return ecb.doFinal(data, 0, 1200, out, 0);
    }

    @Benchmark
    public int aesGcm1200() throws Exception {
        long c = ++counter;
        for (int i = 0; i < 8; i++) {
            iv[4 + i] = (byte) (c >>> (8 * i));
        }
        gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
        gcm.updateAAD(data, 0, 12);
        return gcm.doFinal(data, 12, 1188, out, 0);
    }
}
