package dev.prism.api;

import java.util.List;
import java.util.Map;

/**
 * The effective configuration of one server. Every field has a default that runs on a laptop;
 * every field can be set by an environment variable (see {@link #fromEnvironment}).
 *
 * @param httpHost        PRISM_HTTP_HOST, default 0.0.0.0
 * @param httpPort        PRISM_HTTP_PORT, default 8080
 * @param mediaPort       PRISM_MEDIA_PORT, first UDP port of the media workers, default 10000
 * @param mediaIp         PRISM_MEDIA_IP, bind and advertise this address; null = bind all,
 *                        advertise every non-loopback interface address
 * @param publicIp        PRISM_PUBLIC_IP, advertise this (NAT 1:1) address instead
 * @param workers         PRISM_WORKERS, media workers (event loop + UDP port each), default cores
 * @param keys            PRISM_KEYS "key:secret[,key:secret]"; empty = development mode
 */
public record ServerConfig(String httpHost, int httpPort, int mediaPort, String mediaIp, String publicIp,
                           int workers, String keys) {

    public static ServerConfig defaults() {
        return new ServerConfig("0.0.0.0", 8080, 10000, null, null, Runtime.getRuntime().availableProcessors(), "");
    }

    /** Reads PRISM_* variables over the defaults; a bad value names its variable. */
    public static ServerConfig fromEnvironment(Map<String, String> env) {
        ServerConfig d = defaults();
        return new ServerConfig(
                env.getOrDefault("PRISM_HTTP_HOST", d.httpHost),
                port(env, "PRISM_HTTP_PORT", d.httpPort),
                port(env, "PRISM_MEDIA_PORT", d.mediaPort),
                blankToNull(env.get("PRISM_MEDIA_IP")),
                blankToNull(env.get("PRISM_PUBLIC_IP")),
                intIn(env, "PRISM_WORKERS", d.workers, 1, 256),
                env.getOrDefault("PRISM_KEYS", d.keys).trim());
    }

    /** Addresses the media workers advertise in candidates; empty = every interface address. */
    public List<String> advertisedAddresses() {
        if (publicIp != null) {
            return List.of(publicIp);
        }
        return mediaIp == null ? List.of() : List.of(mediaIp);
    }

    public boolean developmentMode() {
        return keys.isEmpty();
    }

    private static int port(Map<String, String> env, String key, int fallback) {
        return intIn(env, key, fallback, 0, 65535);
    }

    private static int intIn(Map<String, String> env, String key, int fallback, int min, int max) {
        String raw = env.get(key);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value < min || value > max) {
                throw new ConfigException(key, "must be between " + min + " and " + max + ", was " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "must be an integer, was '" + raw + "'");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** A configuration error that names the offending key. */
    public static final class ConfigException extends IllegalArgumentException {
        private final String key;

        public ConfigException(String key, String problem) {
            super(key + ": " + problem);
            this.key = key;
        }

        public String key() {
            return key;
        }
    }
}
