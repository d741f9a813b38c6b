package dev.prism.srtp;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA1 (RFC 2104) over a reused MessageDigest. The JDK's {@code Mac.doFinal(byte[], int)}
 * allocates the inner and outer digests on every call; this computes the same value into a
 * caller's array without allocating, which matters once per SRTP packet.
 */
final class HmacSha1 {
    static final int LENGTH = 20;
    private static final int BLOCK = 64;

    private final MessageDigest sha1;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final byte[] inner = new byte[LENGTH];

    HmacSha1(byte[] key) {
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 unavailable", e);
        }
        byte[] k = key.length > BLOCK ? sha1.digest(key) : key;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            innerPad[i] = (byte) (b ^ 0x36);
            outerPad[i] = (byte) (b ^ 0x5c);
        }
        sha1.update(innerPad);
    }

    void update(byte[] bytes, int offset, int length) {
        sha1.update(bytes, offset, length);
    }

    /** Writes the 20-byte MAC of everything updated since the last call, and starts the next one. */
    void doFinal(byte[] out, int offset) {
        try {
            sha1.digest(inner, 0, LENGTH);
            sha1.update(outerPad);
            sha1.update(inner);
            sha1.digest(out, offset, LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException(e); // out always has room for 20 bytes
        }
        sha1.update(innerPad);
    }
}
