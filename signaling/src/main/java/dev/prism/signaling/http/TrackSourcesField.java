package dev.prism.signaling.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prism.sfu.room.TrackSource;
import dev.prism.signaling.SignalingException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The optional {@code sources} field of a {@code publish} message (PROTOCOL.md): an object from
 * the offer's MIDs to "camera", "microphone" or "screen". Anything else is refused with
 * {@code bad_message}, naming the MID.
 */
final class TrackSourcesField {
    /** A publisher has few m= lines; more entries than this are not a real offer's. */
    static final int MAX_ENTRIES = 64;

    private TrackSourcesField() {}

    /** The declared sources by MID; empty when the field is absent or null. */
    static Map<String, TrackSource> parse(JsonNode sources) {
        Map<String, TrackSource> out = new LinkedHashMap<>();
        if (sources == null || sources.isMissingNode() || sources.isNull()) {
            return out;
        }
        if (!sources.isObject()) {
            throw bad("sources must be an object from mid to \"camera\", \"microphone\" or \"screen\"");
        }
        if (sources.size() > MAX_ENTRIES) {
            throw bad("sources has more than " + MAX_ENTRIES + " entries");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = sources.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            TrackSource source = e.getValue().isTextual() ? TrackSource.ofWireName(e.getValue().asText()) : null;
            if (source == null) {
                throw bad("sources: mid '" + e.getKey() + "' has " + e.getValue()
                        + "; expected \"camera\", \"microphone\" or \"screen\"");
            }
            out.put(e.getKey(), source);
        }
        return out;
    }

    private static SignalingException bad(String message) {
        return new SignalingException(400, "bad_message", message);
    }
}
