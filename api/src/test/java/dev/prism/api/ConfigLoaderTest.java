package dev.prism.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path yaml(String text) throws Exception {
        Path f = dir.resolve("prism.yaml");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void yamlValuesWithEnvironmentOverrides() throws Exception {
        Path f = yaml("""
                http:
                  port: 9090
                media:
                  port: 30000
                  workers: 2
                  housekeepingNice: 5
                  publicIp: 203.0.113.9
                keys:
                  ops: 0123456789abcdefghijklmnopqrstuvwxyz
                limits:
                  maxRooms: 10
                  signalingMessagesPerSecond: 20
                webhooks:
                  urls: [ "http://hooks.example/prism" ]
                """);
        ServerConfig c = ConfigLoader.load(f, Map.of("PRISM_MEDIA_PORT", "40000", "PRISM_MAX_ROOMS", "3"));
        assertEquals(9090, c.httpPort());
        assertEquals(40000, c.mediaPort(), "the environment overrides the file");
        assertEquals(2, c.workers());
        assertEquals(5, c.housekeepingNice());
        assertEquals("203.0.113.9", c.publicIp());
        assertEquals("ops:0123456789abcdefghijklmnopqrstuvwxyz", c.keys());
        assertEquals(3, c.limits().maxRooms());
        assertEquals(20, c.limits().signalingMessagesPerSecond());
        assertEquals(Limits.DEFAULT.maxTracksPerParticipant(), c.limits().maxTracksPerParticipant());
        assertEquals(List.of("http://hooks.example/prism"), c.webhookUrls());
        String described = ConfigLoader.describe(c);
        assertTrue(described.contains("keys = ops:****"), described);
        assertFalse(described.contains("0123456789abcdef"), "secrets are masked");
    }

    @Test
    void errorsNameTheKey() throws Exception {
        var typo = assertThrows(ServerConfig.ConfigException.class,
                () -> ConfigLoader.load(yaml("http:\n  prot: 80\n"), Map.of()));
        assertEquals("http.prot", typo.key());
        var bad = assertThrows(ServerConfig.ConfigException.class,
                () -> ConfigLoader.load(yaml("limits:\n  maxRooms: many\n"), Map.of()));
        assertTrue(bad.key().contains("limits.maxRooms") && bad.key().contains("PRISM_MAX_ROOMS"), bad.key());
        var url = assertThrows(ServerConfig.ConfigException.class,
                () -> ConfigLoader.load(null, Map.of("PRISM_WEBHOOK_URLS", "ftp://x")));
        assertTrue(url.key().startsWith("webhooks.urls"));
        var ip = assertThrows(ServerConfig.ConfigException.class,
                () -> ConfigLoader.load(null, Map.of("PRISM_PUBLIC_IP", "example.com")));
        assertTrue(ip.getMessage().contains("PRISM_PUBLIC_IP"));
        var nice = assertThrows(ServerConfig.ConfigException.class,
                () -> ConfigLoader.load(null, Map.of("PRISM_HOUSEKEEPING_NICE", "20")));
        assertTrue(nice.key().contains("media.housekeepingNice"), nice.key());
        var missing = assertThrows(ServerConfig.ConfigException.class,
                () -> ConfigLoader.load(dir.resolve("absent.yaml"), Map.of()));
        assertEquals("--config", missing.key());
    }

    @Test
    void noFileRunsOnDefaults() {
        ServerConfig c = ConfigLoader.load(null, Map.of());
        assertEquals(8080, c.httpPort());
        assertEquals(Limits.DEFAULT, c.limits());
        assertEquals(ServerConfig.DEFAULT_HOUSEKEEPING_NICE, c.housekeepingNice());
        assertTrue(c.developmentMode());
    }
}
