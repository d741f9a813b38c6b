package dev.prism.tests.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.prism.signaling.auth.AccessGrant;
import dev.prism.signaling.auth.AccessTokens;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The shipped jar as operators run it: starts on defaults, prints tokens, names config errors, drains on SIGTERM. */
class LauncherProcessTest {
    private static final Path JAR = Path.of("..", "api", "target", "prism-sfu.jar");

    private static ProcessBuilder java(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), "-jar",
                JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("PRISM_"));
        pb.environment().putAll(env);
        return pb;
    }

    @Test
    void serveOnDefaultsThenDrainOnSigterm() throws Exception {
        assumeTrue(Files.isRegularFile(JAR), "the api jar is built before this module's tests");
        Process p = java(Map.of("PRISM_HTTP_HOST", "127.0.0.1", "PRISM_HTTP_PORT", "0", "PRISM_MEDIA_PORT", "0",
                "PRISM_MEDIA_IP", "127.0.0.1", "PRISM_WORKERS", "1")).redirectErrorStream(true).start();
        try {
            CompletableFuture<Integer> port = new CompletableFuture<>();
            StringBuilder output = new StringBuilder();
            Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    Pattern serving = Pattern.compile("serving HTTP on [^:]+:(\\d+)");
                    while ((line = r.readLine()) != null) {
                        synchronized (output) {
                            output.append(line).append('\n');
                        }
                        Matcher m = serving.matcher(line);
                        if (m.find()) {
                            port.complete(Integer.parseInt(m.group(1)));
                        }
                    }
                } catch (Exception e) {
                    port.completeExceptionally(e);
                }
            });
            int httpPort = port.get(30, TimeUnit.SECONDS);
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            // The start-up banner follows the "serving HTTP" line; wait for its last line, however slowly it comes.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                synchronized (output) {
                    if (output.toString().contains("for production.")) {
                        break;
                    }
                }
                Thread.sleep(20);
            }
            synchronized (output) {
                assertTrue(output.toString().contains("for production."), "the whole banner was printed: " + output);
                assertTrue(output.toString().contains("DEVELOPMENT MODE"), output.toString());
                assertTrue(output.toString().contains("keys = (none: development mode)"), "effective configuration printed");
            }
            long sent = System.nanoTime();
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "exits within 10 s of SIGTERM");
            assertTrue(System.nanoTime() - sent < TimeUnit.SECONDS.toNanos(10));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void tokenCommandAndConfigErrors() throws Exception {
        assumeTrue(Files.isRegularFile(JAR), "the api jar is built before this module's tests");
        String secret = "z".repeat(36);
        Process token = java(Map.of("PRISM_KEYS", "ops:" + secret), "token", "--room", "lobby", "--identity", "kim",
                "--subscribe", "--ttl", "10m").start();
        assertTrue(token.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, token.exitValue());
        String jwt = new String(token.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        AccessGrant g = new AccessTokens(Map.of("ops", secret)).verify(jwt, System.currentTimeMillis() / 1000);
        assertEquals(new AccessGrant("ops", "kim", "lobby", true, false, true), g);

        Process bad = java(Map.of("PRISM_MEDIA_PORT", "99999")).start();
        assertTrue(bad.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, bad.exitValue());
        String err = new String(bad.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(err.contains("media.port") && err.contains("PRISM_MEDIA_PORT"), err);
    }
}
