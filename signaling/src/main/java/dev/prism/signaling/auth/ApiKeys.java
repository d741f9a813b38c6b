package dev.prism.signaling.auth;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** API keys and their secrets, from {@code PRISM_KEYS=key:secret[,key:secret]}. */
public final class ApiKeys {
    public static final int MIN_SECRET_LENGTH = 32;

    private ApiKeys() {}

    /** Parses the configuration form; a bad entry is an IllegalArgumentException naming it. */
    public static Map<String, String> parse(String spec) {
        Map<String, String> keys = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return keys;
        }
        for (String entry : spec.split(",")) {
            String e = entry.trim();
            int colon = e.indexOf(':');
            if (colon <= 0 || colon == e.length() - 1) {
                throw new IllegalArgumentException("PRISM_KEYS entry '" + redact(e) + "' is not key:secret");
            }
            String key = e.substring(0, colon);
            String secret = e.substring(colon + 1);
            if (secret.length() < MIN_SECRET_LENGTH) {
                throw new IllegalArgumentException("PRISM_KEYS secret of key '" + key + "' has " + secret.length()
                        + " characters; at least " + MIN_SECRET_LENGTH + " are required");
            }
            keys.put(key, secret);
        }
        return keys;
    }

    /** A random key pair for development mode. */
    public static Map.Entry<String, String> development() {
        SecureRandom random = new SecureRandom();
        byte[] k = new byte[6];
        byte[] s = new byte[32];
        random.nextBytes(k);
        random.nextBytes(s);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return Map.entry("dev" + b64.encodeToString(k), b64.encodeToString(s));
    }

    private static String redact(String entry) {
        int colon = entry.indexOf(':');
        return colon < 0 ? entry : entry.substring(0, colon) + ":…";
    }
}
