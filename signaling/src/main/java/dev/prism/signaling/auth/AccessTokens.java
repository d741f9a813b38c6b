package dev.prism.signaling.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HS256 JWT access tokens (RFC 7519, RFC 7515): {@code iss} is the API key whose secret signs
 * the token, {@code sub} the participant identity, {@code nbf}/{@code exp} seconds, and
 * {@code video} = {room, roomJoin, canPublish, canSubscribe}.
 */
public final class AccessTokens {
    /** Clock skew tolerated on nbf and exp. */
    public static final long LEEWAY_SECONDS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Decoder B64 = Base64.getUrlDecoder();
    private static final Base64.Encoder B64E = Base64.getUrlEncoder().withoutPadding();

    private final Map<String, String> keys;

    public AccessTokens(Map<String, String> keys) {
        this.keys = Map.copyOf(keys);
    }

    /** Checks signature, algorithm, issuer and validity times; 401 with the reason otherwise. */
    public AccessGrant verify(String token, long nowSeconds) {
        if (token == null || token.isBlank()) {
            throw new TokenException(401, "missing access token");
        }
        String[] parts = token.trim().split("\\.", -1);
        if (parts.length != 3) {
            throw new TokenException(401, "malformed access token: expected three dot-separated parts");
        }
        JsonNode header = decode(parts[0], "header");
        JsonNode claims = decode(parts[1], "claims");
        if (!"HS256".equals(header.path("alg").asText())) {
            throw new TokenException(401, "unsupported token algorithm '" + header.path("alg").asText() + "' (HS256 only)");
        }
        String apiKey = claims.path("iss").asText(null);
        String secret = apiKey == null ? null : keys.get(apiKey);
        if (secret == null) {
            throw new TokenException(401, "unknown API key in iss");
        }
        byte[] signature;
        try {
            signature = B64.decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new TokenException(401, "malformed token signature");
        }
        if (!MessageDigest.isEqual(sign(secret, parts[0] + "." + parts[1]), signature)) {
            throw new TokenException(401, "bad token signature");
        }
        if (claims.has("exp") && !claims.get("exp").canConvertToLong()
                || claims.has("nbf") && !claims.get("nbf").canConvertToLong()) {
            throw new TokenException(401, "nbf and exp must be numbers of seconds");
        }
        if (!claims.has("exp")) {
            throw new TokenException(401, "token has no exp");
        }
        if (claims.get("exp").asLong() + LEEWAY_SECONDS < nowSeconds) {
            throw new TokenException(401, "token expired");
        }
        if (claims.has("nbf") && claims.get("nbf").asLong() - LEEWAY_SECONDS > nowSeconds) {
            throw new TokenException(401, "token not valid yet (nbf)");
        }
        String identity = claims.path("sub").asText("");
        if (identity.isBlank()) {
            throw new TokenException(401, "token has no sub (participant identity)");
        }
        JsonNode video = claims.path("video");
        return new AccessGrant(apiKey, identity, video.path("room").asText(null), video.path("roomJoin").asBoolean(false),
                video.path("canPublish").asBoolean(false), video.path("canSubscribe").asBoolean(false),
                video.path("roomCreate").asBoolean(false), video.path("roomList").asBoolean(false),
                video.path("roomAdmin").asBoolean(false));
    }

    /** Verifies and checks the grant covers joining {@code room} (and publishing/subscribing): 403 otherwise. */
    public AccessGrant authorize(String token, String room, boolean publish, boolean subscribe, long nowSeconds) {
        AccessGrant g = verify(token, nowSeconds);
        if (!room.equals(g.room())) {
            throw new TokenException(403, "token is for room '" + g.room() + "', not '" + room + "'");
        }
        if (!g.roomJoin()) {
            throw new TokenException(403, "token does not grant roomJoin");
        }
        if (publish && !g.canPublish()) {
            throw new TokenException(403, "token does not grant canPublish");
        }
        if (subscribe && !g.canSubscribe()) {
            throw new TokenException(403, "token does not grant canSubscribe");
        }
        return g;
    }

    /** An operator token: roomCreate, roomList and roomAdmin on every room. */
    public static String issueAdmin(String apiKey, String secret, String identity, long notBeforeSeconds,
                                    long expiresSeconds) {
        ObjectNode header = JSON.createObjectNode().put("alg", "HS256").put("typ", "JWT");
        ObjectNode claims = JSON.createObjectNode().put("iss", apiKey).put("sub", identity)
                .put("nbf", notBeforeSeconds).put("exp", expiresSeconds);
        claims.putObject("video").put("roomCreate", true).put("roomList", true).put("roomAdmin", true);
        return sign(secret, header, claims);
    }

    /** Issues a token (development mode, tests, operators' tooling). */
    public static String issue(String apiKey, String secret, String identity, String room, boolean canPublish,
                               boolean canSubscribe, long notBeforeSeconds, long expiresSeconds) {
        ObjectNode header = JSON.createObjectNode().put("alg", "HS256").put("typ", "JWT");
        ObjectNode claims = JSON.createObjectNode().put("iss", apiKey).put("sub", identity)
                .put("nbf", notBeforeSeconds).put("exp", expiresSeconds);
        claims.putObject("video").put("room", room).put("roomJoin", true).put("canPublish", canPublish)
                .put("canSubscribe", canSubscribe);
        return sign(secret, header, claims);
    }

    /** An HS256 JWT of arbitrary claims (webhook signatures). */
    public static String sign(String secret, ObjectNode claims) {
        return sign(secret, JSON.createObjectNode().put("alg", "HS256").put("typ", "JWT"), claims);
    }

    private static String sign(String secret, ObjectNode header, ObjectNode claims) {
        String signingInput = B64E.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + B64E.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        return signingInput + "." + B64E.encodeToString(sign(secret, signingInput));
    }

    private static JsonNode decode(String part, String what) {
        try {
            JsonNode node = JSON.readTree(B64.decode(part));
            if (node == null || !node.isObject()) {
                throw new TokenException(401, "malformed token " + what + ": not a JSON object");
            }
            return node;
        } catch (IllegalArgumentException e) {
            throw new TokenException(401, "malformed token " + what + ": bad base64url");
        } catch (java.io.IOException e) {
            throw new TokenException(401, "malformed token " + what + ": bad JSON");
        }
    }

    private static byte[] sign(String secret, String input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
