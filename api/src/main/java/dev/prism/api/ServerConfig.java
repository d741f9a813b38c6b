package dev.prism.api;

import java.util.List;
import java.util.Map;

/**
 * The effective configuration of one server. Every field has a default that runs on a laptop;
 * every field can be set in the YAML file and overridden by an environment variable
 * ({@link ConfigLoader} has the table of keys).
 *
 * @param httpHost     http.host / PRISM_HTTP_HOST, default 0.0.0.0
 * @param httpPort     http.port / PRISM_HTTP_PORT, default 8080
 * @param mediaPort    media.port / PRISM_MEDIA_PORT, first UDP port of the media workers, default 10000
 * @param mediaIp      media.ip / PRISM_MEDIA_IP, bind and advertise this address; null = bind all,
 *                     advertise every non-loopback interface address
 * @param publicIp     media.publicIp / PRISM_PUBLIC_IP, advertise this (NAT 1:1) address instead
 * @param workers      media.workers / PRISM_WORKERS, media workers (event loop + UDP port each), default cores
 * @param keys         keys / PRISM_KEYS "key:secret[,key:secret]"; empty = development mode
 * @param limits       limits.* / PRISM_MAX_*
 * @param webhookUrls  webhooks.urls / PRISM_WEBHOOK_URLS
 * @param housekeepingNice media.housekeepingNice / PRISM_HOUSEKEEPING_NICE, nice value (1..19) for the
 *                     JVM's GC and JIT threads so that the media loops win a shared core
 *                     ({@code HousekeepingPriority}); 0 leaves them alone; default 10
 */
public record ServerConfig(String httpHost, int httpPort, int mediaPort, String mediaIp, String publicIp,
                           int workers, String keys, Limits limits, List<String> webhookUrls, int housekeepingNice) {

    public static final int DEFAULT_HOUSEKEEPING_NICE = 10;

    public ServerConfig {
        limits = limits == null ? Limits.DEFAULT : limits;
        webhookUrls = webhookUrls == null ? List.of() : List.copyOf(webhookUrls);
    }

    public ServerConfig(String httpHost, int httpPort, int mediaPort, String mediaIp, String publicIp, int workers,
                        String keys) {
        this(httpHost, httpPort, mediaPort, mediaIp, publicIp, workers, keys, Limits.DEFAULT, List.of());
    }

    public ServerConfig(String httpHost, int httpPort, int mediaPort, String mediaIp, String publicIp, int workers,
                        String keys, Limits limits, List<String> webhookUrls) {
        this(httpHost, httpPort, mediaPort, mediaIp, publicIp, workers, keys, limits, webhookUrls,
                DEFAULT_HOUSEKEEPING_NICE);
    }

    public static ServerConfig defaults() {
        return new ServerConfig("0.0.0.0", 8080, 10000, null, null, Runtime.getRuntime().availableProcessors(), "");
    }

    /** PRISM_* variables over the defaults, no file; a bad value names its variable. */
    public static ServerConfig fromEnvironment(Map<String, String> env) {
        return ConfigLoader.load(null, env);
    }

    public ServerConfig withLimits(Limits l) {
        return new ServerConfig(httpHost, httpPort, mediaPort, mediaIp, publicIp, workers, keys, l, webhookUrls, housekeepingNice);
    }

    public ServerConfig withWebhooks(List<String> urls) {
        return new ServerConfig(httpHost, httpPort, mediaPort, mediaIp, publicIp, workers, keys, limits, urls, housekeepingNice);
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
