package dev.prism.signaling.negotiation;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Prism's own payload type numbers for the offers it makes. Within one BUNDLE group a number
 * must mean one codec configuration in every m= line (RFC 8843 §9.1), so each configuration gets
 * its own number, Chromium's usual one when free.
 */
final class PayloadTypes {
    private final Map<String, Integer> byKey = new HashMap<>();
    private final Set<Integer> used = new HashSet<>();

    /** Keeps a number from the previous offer so renegotiation does not renumber a live stream. */
    boolean reserve(String key, int pt) {
        Integer existing = byKey.get(key);
        if (existing != null) return existing == pt;
        if (used.contains(pt)) return false;
        byKey.put(key, pt);
        used.add(pt);
        return true;
    }

    int codec(Codec c) {
        String name = c.name().toUpperCase(Locale.ROOT);
        int preferred = switch (name) {
            case "OPUS" -> 111;
            case "VP8" -> 96;
            case "VP9" -> 98;
            case "H264" -> 102;
            case "AV1" -> 45;
            default -> -1;
        };
        return assign(key(c), preferred);
    }

    int rtx(Codec c) {
        String name = c.name().toUpperCase(Locale.ROOT);
        int preferred = switch (name) {
            case "VP8" -> 97;
            case "VP9" -> 99;
            case "H264" -> 103;
            case "AV1" -> 46;
            default -> -1;
        };
        return assign(rtxKey(c), preferred);
    }

    static String key(Codec c) {
        return c.name().toLowerCase(Locale.ROOT) + '/' + c.clockRate() + '/' + c.channels() + ' ' + c.fmtp();
    }

    static String rtxKey(Codec c) {
        return "rtx for " + key(c);
    }

    private int assign(String key, int preferred) {
        Integer existing = byKey.get(key);
        if (existing != null) return existing;
        int pt = preferred >= 0 && !used.contains(preferred) ? preferred : free();
        byKey.put(key, pt);
        used.add(pt);
        return pt;
    }

    /** Dynamic range 96-127 first, then 35-63 (RFC 3551 §3 unassigned, used by Chromium). */
    private int free() {
        for (List<Integer> range : List.of(List.of(96, 127), List.of(35, 63))) {
            for (int pt = range.get(0); pt <= range.get(1); pt++) if (!used.contains(pt)) return pt;
        }
        throw new NegotiationException("no free payload type left for another codec configuration");
    }
}
