package dev.prism.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerConfigTest {
    @Test
    void defaultsRunWithNoEnvironment() {
        ServerConfig c = ServerConfig.fromEnvironment(Map.of());
        assertEquals(8080, c.httpPort());
        assertEquals(10000, c.mediaPort());
        assertNull(c.mediaIp());
        assertTrue(c.developmentMode());
        assertEquals(List.of(), c.advertisedAddresses());
    }

    @Test
    void environmentOverrides() {
        ServerConfig c = ServerConfig.fromEnvironment(Map.of("PRISM_HTTP_PORT", "9000", "PRISM_MEDIA_PORT", "20000",
                "PRISM_MEDIA_IP", "192.0.2.10", "PRISM_WORKERS", "3"));
        assertEquals(9000, c.httpPort());
        assertEquals(20000, c.mediaPort());
        assertEquals(3, c.workers());
        assertEquals(List.of("192.0.2.10"), c.advertisedAddresses());
    }

    @Test
    void publicIpIsAdvertisedInsteadOfTheBoundOne() {
        ServerConfig c = ServerConfig.fromEnvironment(Map.of("PRISM_MEDIA_IP", "10.0.0.5", "PRISM_PUBLIC_IP", "203.0.113.7"));
        assertEquals("10.0.0.5", c.mediaIp());
        assertEquals(List.of("203.0.113.7"), c.advertisedAddresses());
    }

    @Test
    void badValuesNameTheirKey() {
        var notNumber = assertThrows(ServerConfig.ConfigException.class,
                () -> ServerConfig.fromEnvironment(Map.of("PRISM_HTTP_PORT", "eighty")));
        assertTrue(notNumber.key().contains("PRISM_HTTP_PORT"), notNumber.key());
        var outOfRange = assertThrows(ServerConfig.ConfigException.class,
                () -> ServerConfig.fromEnvironment(Map.of("PRISM_MEDIA_PORT", "70000")));
        assertTrue(outOfRange.getMessage().contains("PRISM_MEDIA_PORT"), outOfRange.getMessage());
    }
}
