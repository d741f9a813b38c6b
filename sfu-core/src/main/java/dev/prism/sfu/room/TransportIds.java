package dev.prism.sfu.room;

import java.security.SecureRandom;

/** Random names for a new transport: its id and its ICE credentials (RFC 8445 §5.3). */
final class TransportIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Ids appear in URLs (WHIP/WHEP resources, REST track paths): letters and digits only. */
    private static final char[] ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    /** ice-char (RFC 8839 §5.4): letters, digits, '+' and '/'. */
    private static final char[] ICE_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

    private TransportIds() {}

    static String transportId() {
        return random(16, ID_CHARS);
    }

    /** 8 ice-chars: 48 bits, twice the minimum of 24. */
    static String iceUfrag() {
        return random(8, ICE_CHARS);
    }

    /** 24 ice-chars: 144 bits, more than the 128 RFC 8445 asks for. */
    static String icePassword() {
        return random(24, ICE_CHARS);
    }

    private static String random(int length, char[] alphabet) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = alphabet[RANDOM.nextInt(alphabet.length)];
        }
        return new String(out);
    }
}
