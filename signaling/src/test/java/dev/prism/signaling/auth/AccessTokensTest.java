package dev.prism.signaling.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccessTokensTest {
    private static final String KEY = "api1";
    private static final String SECRET = "s".repeat(40);
    private static final long NOW = 1_800_000_000L;
    private final AccessTokens tokens = new AccessTokens(Map.of(KEY, SECRET));

    private static String token(String room, boolean pub, boolean sub, long nbf, long exp) {
        return AccessTokens.issue(KEY, SECRET, "alice", room, pub, sub, nbf, exp);
    }

    private void refused(int status, String reasonPart, String token) {
        TokenException e = assertThrows(TokenException.class, () -> tokens.authorize(token, "r", true, false, NOW));
        assertEquals(status, e.status(), e.getMessage());
        assertTrue(e.getMessage().contains(reasonPart), e.getMessage());
    }

    @Test
    void validTokenGrantsWhatItSays() {
        AccessGrant g = tokens.verify(token("r", true, false, NOW - 10, NOW + 60), NOW);
        assertEquals(new AccessGrant(KEY, "alice", "r", true, true, false), g);
    }

    @Test
    void signatureTimesAndIssuerAreChecked() {
        String good = token("r", true, true, NOW - 10, NOW + 60);
        refused(401, "signature", good.substring(0, good.length() - 2) + (good.endsWith("A") ? "BB" : "AA"));
        refused(401, "expired", token("r", true, true, NOW - 100, NOW - 11));
        refused(401, "nbf", token("r", true, true, NOW + 60, NOW + 120));
        refused(401, "unknown API key", AccessTokens.issue("other", SECRET, "a", "r", true, true, NOW, NOW + 60));
        refused(401, "missing", null);
        refused(401, "three", "abc");
        refused(401, "base64", "!!!.!!!.!!!");
        refused(401, "JSON", b64("not json") + "." + b64("{}") + ".x");
        refused(401, "algorithm", b64("{\"alg\":\"none\"}") + "." + good.split("\\.")[1] + ".");
        String unsignedHs = b64("{\"alg\":\"HS512\"}") + "." + good.split("\\.")[1] + "." + good.split("\\.")[2];
        refused(401, "algorithm", unsignedHs);
    }

    @Test
    void grantsAreChecked() {
        refused(403, "room", token("other", true, true, NOW, NOW + 60));
        refused(403, "canPublish", token("r", false, true, NOW, NOW + 60));
        TokenException e = assertThrows(TokenException.class,
                () -> tokens.authorize(token("r", true, false, NOW, NOW + 60), "r", false, true, NOW));
        assertEquals(403, e.status());
        assertTrue(e.getMessage().contains("canSubscribe"));
    }

    @Test
    void keysNeedLongSecrets() {
        assertEquals(Map.of("a", SECRET, "b", SECRET), ApiKeys.parse("a:" + SECRET + ", b:" + SECRET));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ApiKeys.parse("a:short"));
        assertTrue(e.getMessage().contains("32"));
        assertThrows(IllegalArgumentException.class, () -> ApiKeys.parse("nocolon"));
        assertTrue(ApiKeys.parse("").isEmpty());
        assertTrue(ApiKeys.development().getValue().length() >= 32);
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
