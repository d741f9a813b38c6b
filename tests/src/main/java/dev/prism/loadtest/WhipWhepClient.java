package dev.prism.loadtest;

import dev.prism.signaling.auth.AccessTokens;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * WHIP (RFC 9725) and WHEP over HTTP to one Prism server: POST an offer, get the answer and the
 * session resource; DELETE it at the end. Tokens come from a fixed {@code --token}, are signed
 * here from {@code --key}/{@code --secret}, or, with neither, are fetched from the server's
 * development endpoint {@code /dev/token}. Busy answers (429, 503) are retried with back-off
 * for up to 15 s. Thread-safe; called from virtual threads.
 */
final class WhipWhepClient {
    private static final Pattern TOKEN_JSON = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
    private static final long RETRY_MILLIS = 15_000;

    private final URI base;
    private final String fixedToken;
    private final String key;
    private final String secret;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A created WHIP or WHEP session: the answer and the resource to DELETE. */
    record Session(String answer, String location, String token) {}

    WhipWhepClient(URI base, String token, String key, String secret) {
        this.base = base;
        this.fixedToken = token;
        this.key = key;
        this.secret = secret;
    }

    String token(String identity, String room, boolean publish, boolean subscribe) throws IOException, InterruptedException {
        if (fixedToken != null) {
            return fixedToken;
        }
        if (key != null && secret != null) {
            long now = System.currentTimeMillis() / 1000;
            return AccessTokens.issue(key, secret, identity, room, publish, subscribe, now - 5, now + 6 * 3600);
        }
        String q = "room=" + enc(room) + "&identity=" + enc(identity) + "&publish=" + publish + "&subscribe=" + subscribe;
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(base.resolve("/dev/token?" + q))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = TOKEN_JSON.matcher(res.body());
        if (res.statusCode() != 200 || !m.find()) {
            throw new IOException("no --token or --key/--secret given, and " + base + "/dev/token answered "
                    + res.statusCode() + " (development tokens are only served when the server has no configured keys)");
        }
        return m.group(1);
    }

    /** POSTs {@code offer} to /whip/room (publish) or /whep/room (with {@code query}, or null); returns the 201 answer. */
    Session post(boolean publish, String room, String identity, String offer, String query) throws IOException, InterruptedException {
        String token = token(identity, room, publish, !publish);
        URI uri = base.resolve("/" + (publish ? "whip" : "whep") + "/" + enc(room) + (query == null ? "" : "?" + query));
        long deadline = System.currentTimeMillis() + RETRY_MILLIS;
        long backoff = 100;
        while (true) {
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/sdp")
                    .POST(HttpRequest.BodyPublishers.ofString(offer)).build(), HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() == 201) {
                return new Session(res.body(), res.headers().firstValue("Location").orElse(null), token);
            }
            boolean busy = res.statusCode() == 429 || res.statusCode() == 503;
            if (!busy || System.currentTimeMillis() + backoff > deadline) {
                throw new IOException((publish ? "WHIP " : "WHEP ") + res.statusCode() + ": " + res.body());
            }
            Thread.sleep(backoff);
            backoff = Math.min(1000, backoff * 2);
        }
    }

    /** Ends a session; errors are ignored (the server may be gone). */
    void delete(Session s) {
        if (s == null || s.location() == null) {
            return;
        }
        try {
            http.send(HttpRequest.newBuilder(base.resolve(s.location())).timeout(Duration.ofSeconds(5))
                    .header("Authorization", "Bearer " + s.token()).DELETE().build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // best effort
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
