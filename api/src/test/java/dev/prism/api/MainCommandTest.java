package dev.prism.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.signaling.auth.AccessGrant;
import dev.prism.signaling.auth.AccessTokens;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainCommandTest {
    private static final String SECRET = "k".repeat(40);
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void restore() {
        Main.environment = System.getenv();
    }

    private int run(Map<String, String> env, String... args) {
        Main.environment = env;
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    @Test
    void tokenCommandPrintsAVerifiableToken() {
        assertEquals(0, run(Map.of("PRISM_KEYS", "ops:" + SECRET), "token", "--room", "r1", "--identity", "ann",
                "--publish", "--ttl", "2h"));
        long now = System.currentTimeMillis() / 1000;
        AccessGrant g = new AccessTokens(Map.of("ops", SECRET)).verify(out.toString().trim(), now);
        assertEquals(new AccessGrant("ops", "ann", "r1", true, true, false), g);
        new AccessTokens(Map.of("ops", SECRET)).verify(out.toString().trim(), now + 7000);
        assertTrue(assertRefused(out.toString().trim(), now + 7300), "expires after the ttl");
    }

    private static boolean assertRefused(String token, long at) {
        try {
            new AccessTokens(Map.of("ops", SECRET)).verify(token, at);
            return false;
        } catch (RuntimeException e) {
            return true;
        }
    }

    @Test
    void adminTokenCarriesOperatorGrants() {
        assertEquals(0, run(Map.of("PRISM_KEYS", "ops:" + SECRET), "token", "--identity", "backend", "--admin"));
        AccessGrant g = new AccessTokens(Map.of("ops", SECRET)).verify(out.toString().trim(), System.currentTimeMillis() / 1000);
        assertTrue(g.roomCreate() && g.roomList() && g.roomAdmin());
    }

    @Test
    void errorsNameTheProblem() {
        assertEquals(2, run(Map.of(), "token", "--room", "r", "--identity", "x"));
        assertTrue(err.toString().contains("PRISM_KEYS"), err.toString());
        assertEquals(2, run(Map.of("PRISM_KEYS", "ops:" + SECRET), "token", "--room", "r", "--identity", "x", "--ttl", "soon"));
        assertTrue(err.toString().contains("--ttl"), err.toString());
        assertEquals(2, run(Map.of("PRISM_HTTP_PORT", "eighty"), "token", "--room", "r", "--identity", "x"));
        assertTrue(err.toString().contains("PRISM_HTTP_PORT"), err.toString());
        assertTrue(run(Map.of(), "token") != 0, "missing --identity is a usage error");
    }
}
