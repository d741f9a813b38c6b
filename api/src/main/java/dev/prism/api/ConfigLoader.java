package dev.prism.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Reads the configuration: embedded defaults, then the YAML file (optional), then environment
 * variables, each key validated with errors that name it (YAML path and variable). Unknown YAML
 * keys are errors too: a typo must not silently fall back to a default.
 */
public final class ConfigLoader {
    /** YAML path → environment variable. */
    static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("http.host", "PRISM_HTTP_HOST");
        KEYS.put("http.port", "PRISM_HTTP_PORT");
        KEYS.put("media.port", "PRISM_MEDIA_PORT");
        KEYS.put("media.ip", "PRISM_MEDIA_IP");
        KEYS.put("media.publicIp", "PRISM_PUBLIC_IP");
        KEYS.put("media.workers", "PRISM_WORKERS");
        KEYS.put("media.housekeepingNice", "PRISM_HOUSEKEEPING_NICE");
        KEYS.put("keys", "PRISM_KEYS");
        KEYS.put("limits.maxRooms", "PRISM_MAX_ROOMS");
        KEYS.put("limits.maxParticipantsPerRoom", "PRISM_MAX_PARTICIPANTS");
        KEYS.put("limits.maxPublishersPerRoom", "PRISM_MAX_PUBLISHERS");
        KEYS.put("limits.maxTracksPerParticipant", "PRISM_MAX_TRACKS");
        KEYS.put("limits.signalingMessagesPerSecond", "PRISM_SIGNALING_RATE");
        KEYS.put("limits.maxConcurrentHandshakes", "PRISM_MAX_HANDSHAKES");
        KEYS.put("limits.maxWorkerLoadPercent", "PRISM_MAX_WORKER_LOAD");
        KEYS.put("limits.maxSetupWaitMillis", "PRISM_MAX_SETUP_WAIT_MS");
        KEYS.put("webhooks.urls", "PRISM_WEBHOOK_URLS");
    }

    private ConfigLoader() {}

    /** Loads {@code file} (may be null) under {@code env}. */
    public static ServerConfig load(Path file, Map<String, String> env) {
        Map<String, String> values = new LinkedHashMap<>();
        if (file != null) {
            readYaml(file, values);
        }
        for (Map.Entry<String, String> k : KEYS.entrySet()) {
            String v = env.get(k.getValue());
            if (v != null && !v.isBlank()) {
                values.put(k.getKey(), v.trim());
            }
        }
        ServerConfig d = ServerConfig.defaults();
        Limits l = Limits.DEFAULT;
        String mediaIp = blankToNull(values.get("media.ip"));
        String publicIp = blankToNull(values.get("media.publicIp"));
        validateAddress("media.ip", mediaIp);
        validateAddress("media.publicIp", publicIp);
        List<String> hooks = new ArrayList<>();
        String urls = values.get("webhooks.urls");
        if (urls != null) {
            for (String u : urls.split(",")) {
                String url = u.trim();
                if (url.isEmpty()) {
                    continue;
                }
                if (!url.startsWith("http://") && !url.startsWith("https://")) {
                    throw error("webhooks.urls", "'" + url + "' is not an http(s) URL");
                }
                hooks.add(url);
            }
        }
        String keys = values.getOrDefault("keys", d.keys()).trim();
        return new ServerConfig(
                values.getOrDefault("http.host", d.httpHost()),
                intIn(values, "http.port", d.httpPort(), 0, 65535),
                intIn(values, "media.port", d.mediaPort(), 0, 65535),
                mediaIp, publicIp,
                intIn(values, "media.workers", d.workers(), 1, 256),
                keys,
                new Limits(
                        intIn(values, "limits.maxRooms", l.maxRooms(), 0, Integer.MAX_VALUE),
                        intIn(values, "limits.maxParticipantsPerRoom", l.maxParticipantsPerRoom(), 0, Integer.MAX_VALUE),
                        intIn(values, "limits.maxPublishersPerRoom", l.maxPublishersPerRoom(), 0, Integer.MAX_VALUE),
                        intIn(values, "limits.maxTracksPerParticipant", l.maxTracksPerParticipant(), 0, 1000),
                        intIn(values, "limits.signalingMessagesPerSecond", l.signalingMessagesPerSecond(), 0, 100_000),
                        intIn(values, "limits.maxConcurrentHandshakes", l.maxConcurrentHandshakes(), 0, 100_000),
                        intIn(values, "limits.maxWorkerLoadPercent", l.maxWorkerLoadPercent(), 0, 100),
                        intIn(values, "limits.maxSetupWaitMillis", l.maxSetupWaitMillis(), 0, 60_000)),
                hooks,
                intIn(values, "media.housekeepingNice", d.housekeepingNice(), 0, 19));
    }

    /** The effective configuration as "key = value" lines, secrets masked. */
    public static String describe(ServerConfig c) {
        StringJoiner j = new StringJoiner("\n");
        j.add("http.host = " + c.httpHost()).add("http.port = " + c.httpPort());
        j.add("media.port = " + c.mediaPort()).add("media.ip = " + c.mediaIp()).add("media.publicIp = " + c.publicIp());
        j.add("media.workers = " + c.workers()).add("media.housekeepingNice = " + c.housekeepingNice());
        j.add("keys = " + (c.keys().isEmpty() ? "(none: development mode)" : maskKeys(c.keys())));
        Limits l = c.limits();
        j.add("limits.maxRooms = " + l.maxRooms()).add("limits.maxParticipantsPerRoom = " + l.maxParticipantsPerRoom());
        j.add("limits.maxPublishersPerRoom = " + l.maxPublishersPerRoom());
        j.add("limits.maxTracksPerParticipant = " + l.maxTracksPerParticipant());
        j.add("limits.signalingMessagesPerSecond = " + l.signalingMessagesPerSecond());
        j.add("limits.maxConcurrentHandshakes = " + l.maxConcurrentHandshakes());
        j.add("limits.maxWorkerLoadPercent = " + l.maxWorkerLoadPercent());
        j.add("webhooks.urls = " + c.webhookUrls());
        return j.toString();
    }

    static String maskKeys(String spec) {
        StringJoiner j = new StringJoiner(",");
        for (String e : spec.split(",")) {
            int colon = e.indexOf(':');
            j.add((colon < 0 ? e.trim() : e.substring(0, colon).trim()) + ":****");
        }
        return j.toString();
    }

    private static void readYaml(Path file, Map<String, String> values) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (IOException e) {
            throw new ServerConfig.ConfigException("--config", "cannot read " + file + ": " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return;
        }
        if (!root.isObject()) {
            throw new ServerConfig.ConfigException("--config", file + " must be a YAML mapping");
        }
        flatten("", root, values);
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> values) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String path = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
            JsonNode v = f.getValue();
            if (path.equals("keys") && v.isObject()) {
                StringJoiner j = new StringJoiner(",");
                v.fields().forEachRemaining(k -> j.add(k.getKey() + ":" + k.getValue().asText()));
                values.put(path, j.toString());
            } else if (path.equals("webhooks.urls") && v.isArray()) {
                StringJoiner j = new StringJoiner(",");
                v.forEach(u -> j.add(u.asText()));
                values.put(path, j.toString());
            } else if (v.isObject()) {
                flatten(path, v, values);
            } else if (!KEYS.containsKey(path)) {
                throw new ServerConfig.ConfigException(path, "unknown configuration key (known: " + KEYS.keySet() + ")");
            } else if (v.isContainerNode()) {
                throw error(path, "must be a single value");
            } else {
                values.put(path, v.isNull() ? "" : v.asText());
            }
        }
    }

    private static ServerConfig.ConfigException error(String path, String problem) {
        return new ServerConfig.ConfigException(path + " (" + KEYS.get(path) + ")", problem);
    }

    private static int intIn(Map<String, String> values, String path, int fallback, int min, int max) {
        String raw = values.get(path);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value < min || value > max) {
                throw error(path, "must be between " + min + " and " + max + ", was " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw error(path, "must be an integer, was '" + raw + "'");
        }
    }

    private static void validateAddress(String path, String value) {
        if (value != null && !value.matches("[0-9a-fA-F:.]+")) {
            throw error(path, "must be an IP address, was '" + value + "'");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
