package dev.prism.srtp;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES in counter mode for one key, with no cipher initialised per packet. Both SRTP transforms
 * use it: AES-CM (RFC 3711 §4.1.1, a 16-bit block counter) and GCM's GCTR (SP 800-38D §6.5, a
 * 32-bit counter); in both the counter occupies low bits of the IV that are zero, so a block's
 * counter is the IV OR its number, and a packet (< 65,536 blocks) never carries out of them.
 *
 * <p>Fast path: the JDK's own counter-mode engine, whose AES-CTR intrinsic encrypts and XORs in
 * one vectorised pass (about 0.11 ns per byte here); we set its counter block per packet. It
 * lives in {@code com.sun.crypto.provider}, reachable with the same {@code --add-opens} as
 * {@link Ghash}. Fallback: one reused AES/ECB instance encrypts a buffer of counter blocks and
 * Java XORs the keystream in (about 3 × slower for a 1,200-byte packet). A self-test at class
 * initialisation compares the two before the fast path is trusted.
 */
final class AesCtr {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** Whether the JDK's counter-mode engine is used. */
    static final boolean JDK_ENGINE;
    private static final MethodHandle NEW_ENGINE;  // () -> CounterMode over a fresh AESCrypt
    private static final MethodHandle INIT;        // CounterMode.init(boolean, String, byte[] key, byte[] iv)
    private static final MethodHandle ENCRYPT;     // CounterMode.encrypt(byte[], int, int, byte[], int)
    private static final VarHandle USED;           // CounterMode.used: keystream bytes of the current block used
    private static final VarHandle COUNTER;        // CounterMode.counter: the next counter block
    private static final VarHandle ENCRYPTED;      // CounterMode.encryptedCounter: the keystream block
    private static final VarHandle ROUND_KEYS;     // AESCrypt.K: the expanded key the intrinsic reads (null if absent)

    static {
        MethodHandle newEngine = null;
        MethodHandle init = null;
        MethodHandle encrypt = null;
        VarHandle used = null;
        VarHandle counter = null;
        VarHandle encrypted = null;
        VarHandle roundKeys = null;
        try {
            Class<?> mode = Class.forName("com.sun.crypto.provider.CounterMode");
            Class<?> aes = Class.forName("com.sun.crypto.provider.AESCrypt");
            Class<?> symmetric = Class.forName("com.sun.crypto.provider.SymmetricCipher");
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(mode, MethodHandles.lookup());
            MethodHandle newAes = lookup.findConstructor(aes, MethodType.methodType(void.class));
            newEngine = MethodHandles.filterReturnValue(newAes,
                    lookup.findConstructor(mode, MethodType.methodType(void.class, symmetric)).asType(
                            MethodType.methodType(mode, aes))).asType(MethodType.methodType(Object.class));
            init = lookup.findVirtual(mode, "init", MethodType.methodType(void.class, boolean.class, String.class,
                    byte[].class, byte[].class)).asType(MethodType.methodType(void.class, Object.class, boolean.class,
                    String.class, byte[].class, byte[].class));
            encrypt = lookup.findVirtual(mode, "encrypt", MethodType.methodType(int.class, byte[].class, int.class,
                    int.class, byte[].class, int.class)).asType(MethodType.methodType(int.class, Object.class,
                    byte[].class, int.class, int.class, byte[].class, int.class));
            used = lookup.findVarHandle(mode, "used", int.class);
            counter = lookup.findVarHandle(mode, "counter", byte[].class);
            encrypted = lookup.findVarHandle(mode, "encryptedCounter", byte[].class);
            try {
                roundKeys = MethodHandles.privateLookupIn(aes, MethodHandles.lookup()).findVarHandle(aes, "K", int[].class);
            } catch (ReflectiveOperationException e) {
                roundKeys = null; // only prefetch() reads it
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            newEngine = null; // not opened (see Ghash) or a JDK whose internals differ: the ECB path
        }
        NEW_ENGINE = newEngine;
        INIT = init;
        ENCRYPT = encrypt;
        USED = used;
        COUNTER = counter;
        ENCRYPTED = encrypted;
        ROUND_KEYS = roundKeys;
        JDK_ENGINE = newEngine != null && selfTest();
    }

    private final Cipher ecb;
    private final Object engine;
    private final byte[] engineCounter;
    private final byte[] engineKeystream;
    private final int[] engineRoundKeys;
    /** The ECB path's counter blocks and keystream: allocated on first use, never with the JDK's engine. */
    private byte[] counters;
    private byte[] keystream;

    AesCtr(byte[] key) {
        this(key, JDK_ENGINE);
    }

    AesCtr(byte[] key, boolean jdkEngine) {
        try {
            ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
            if (jdkEngine) {
                engine = NEW_ENGINE.invokeExact();
                INIT.invokeExact(engine, false, "AES", key.clone(), new byte[16]);
                engineCounter = (byte[]) COUNTER.get(engine);
                engineKeystream = (byte[]) ENCRYPTED.get(engine);
                engineRoundKeys = ROUND_KEYS == null ? null : (int[]) ROUND_KEYS.get(aesOf(engine));
            } else {
                engine = null;
                engineCounter = null;
                engineKeystream = null;
                engineRoundKeys = null;
            }
        } catch (Throwable e) {
            throw new IllegalStateException("AES unavailable", e);
        }
    }

    private static Object aesOf(Object engine) throws ReflectiveOperationException {
        Class<?> feedback = Class.forName("com.sun.crypto.provider.FeedbackCipher");
        return MethodHandles.privateLookupIn(feedback, MethodHandles.lookup())
                .findVarHandle(feedback, "embeddedCipher", Class.forName("com.sun.crypto.provider.SymmetricCipher"))
                .get(engine);
    }

    /**
     * Reads one word of each cache line {@link #crypt} will read (the engine, its counter and
     * keystream blocks, the round keys), so that a caller can bring them in ahead of use; returns
     * a value made from them, for the caller to keep (else the JIT drops the reads).
     */
    int prefetch() {
        if (engine == null) {
            return 0;
        }
        int x = (int) USED.get(engine) ^ engineCounter[0] ^ engineKeystream[0];
        int[] k = engineRoundKeys;
        if (k != null) {
            for (int i = 0; i < k.length; i += 16) {
                x ^= k[i];
            }
        }
        return x;
    }

    /** The 16-byte encryption of one block, for deriving GCM's hash key (allocates: once per key). */
    byte[] encryptBlock(byte[] block) {
        try {
            return ecb.doFinal(block, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * XORs data[offset, offset+length) with the keystream whose first block is
     * E(ivHigh || ivLow | firstCounter), the next E(ivHigh || ivLow | firstCounter + 1), and so on.
     */
    void crypt(long ivHigh, long ivLow, int firstCounter, byte[] data, int offset, int length) {
        if (length <= 0) {
            return;
        }
        if (offset < 0 || offset > data.length - length) { // the intrinsic itself checks nothing
            throw new IndexOutOfBoundsException("CTR of " + length + " bytes at " + offset + " in " + data.length);
        }
        if (engine != null) {
            byte[] c = engineCounter;
            LONGS.set(c, 0, ivHigh);
            LONGS.set(c, 8, ivLow | firstCounter);
            USED.set(engine, 16); // no keystream left over from the last packet
            try {
                int encrypted = (int) ENCRYPT.invokeExact(engine, data, offset, length, data, offset);
            } catch (Throwable e) {
                throw new IllegalStateException("AES-CTR failed", e);
            }
            return;
        }
        int blocks = (length + 15) >>> 4;
        generate(ivHigh, ivLow, firstCounter, blocks);
        byte[] k = keystream;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            LONGS.set(data, offset + i, (long) LONGS.get(data, offset + i) ^ (long) LONGS.get(k, i));
        }
        for (; i < length; i++) {
            data[offset + i] ^= k[i];
        }
    }

    private void generate(long ivHigh, long ivLow, int firstCounter, int blocks) {
        int bytes = blocks << 4;
        if (counters == null || counters.length < bytes) {
            int size = Math.max(2048, bytes);
            counters = new byte[size];
            keystream = new byte[size];
        }
        byte[] c = counters;
        for (int b = 0, p = 0; b < blocks; b++, p += 16) {
            LONGS.set(c, p, ivHigh);
            LONGS.set(c, p + 8, ivLow | (firstCounter + b));
        }
        try {
            ecb.doFinal(c, 0, bytes, keystream, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e); // ECB without padding on whole blocks cannot fail
        }
    }

    /** The JDK engine and the ECB path must agree on random keys, IVs and lengths. */
    private static boolean selfTest() {
        try {
            Random random = new Random(3);
            for (int round = 0; round < 8; round++) {
                byte[] key = new byte[round % 2 == 0 ? 16 : 32];
                random.nextBytes(key);
                AesCtr fast = new AesCtr(key, true);
                AesCtr slow = new AesCtr(key, false);
                byte[] a = new byte[1 + random.nextInt(1500)];
                random.nextBytes(a);
                byte[] b = a.clone();
                long ivHigh = random.nextLong();
                long ivLow = random.nextLong() & 0xFFFFFFFF00000000L;
                fast.crypt(ivHigh, ivLow, round, a, 0, a.length);
                slow.crypt(ivHigh, ivLow, round, b, 0, b.length);
                if (!Arrays.equals(a, b)) {
                    return false;
                }
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    static long getLong(byte[] b, int offset) {
        return (long) LONGS.get(b, offset);
    }

    static void putLong(byte[] b, int offset, long value) {
        LONGS.set(b, offset, value);
    }
}
