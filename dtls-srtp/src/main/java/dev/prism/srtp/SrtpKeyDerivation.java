package dev.prism.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SRTP key derivation function (RFC 3711 §4.3.1 and §4.3.3: the AES-CM PRF) with a key
 * derivation rate of zero, as DTLS-SRTP uses it (RFC 5764 §4.2). For the 96-bit master salts of
 * the AEAD profiles the salt is right-padded with zeros to 112 bits (RFC 7714 §12).
 */
public final class SrtpKeyDerivation {
    public static final int LABEL_RTP_ENCRYPTION = 0x00;
    public static final int LABEL_RTP_AUTH = 0x01;
    public static final int LABEL_RTP_SALT = 0x02;
    public static final int LABEL_RTCP_ENCRYPTION = 0x03;
    public static final int LABEL_RTCP_AUTH = 0x04;
    public static final int LABEL_RTCP_SALT = 0x05;

    private SrtpKeyDerivation() {}

    /** Derives {@code length} bytes for {@code label} from the master key and salt. */
    public static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int length) {
        if (masterSalt.length > 14) {
            throw new IllegalArgumentException("master salt longer than 112 bits");
        }
        // x = key_id XOR master_salt, key_id = label || r with r = 0 (48 bits): the label sits
        // at octet 7 of the 14-octet salt. The PRF input block is x * 2^16.
        byte[] block = new byte[16];
        System.arraycopy(masterSalt, 0, block, 0, masterSalt.length);
        block[7] ^= (byte) label;
        byte[] out = new byte[length];
        try {
            Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(masterKey, "AES"));
            byte[] keystream = new byte[16];
            for (int offset = 0, counter = 0; offset < length; offset += 16, counter++) {
                block[14] = (byte) (counter >>> 8);
                block[15] = (byte) counter;
                aes.doFinal(block, 0, 16, keystream, 0);
                System.arraycopy(keystream, 0, out, offset, Math.min(16, length - offset));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is not available", e);
        }
        return out;
    }
}
