package dev.prism.signaling.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Refused requests and messages by reason code ("bad_token", "bad_sdp", "bad_json", ...), for metrics and tests. */
public final class RejectionCounters {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final LongAdder messages = new LongAdder();

    /** A signaling message or request arrived (WebSocket message, WHIP/WHEP request). */
    public void message() {
        messages.increment();
    }

    public long messages() {
        return messages.sum();
    }

    public void increment(String reason) {
        counts.computeIfAbsent(reason, k -> new LongAdder()).increment();
    }

    public long get(String reason) {
        LongAdder a = counts.get(reason);
        return a == null ? 0 : a.sum();
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> out = new java.util.TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
