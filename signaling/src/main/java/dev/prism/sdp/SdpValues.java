package dev.prism.sdp;

import java.util.ArrayList;
import java.util.List;

/** Token and number helpers shared by the value parsers; every failure is an SdpParseException. */
final class SdpValues {
    private SdpValues() {}

    /** Splits on runs of spaces; never returns empty tokens. */
    static List<String> tokens(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && s.charAt(i) == ' ') i++;
            int start = i;
            while (i < n && s.charAt(i) != ' ') i++;
            if (i > start) out.add(s.substring(start, i));
        }
        return out;
    }

    /**
     * Splits off the first {@code count} space-separated tokens and returns them followed by the
     * rest of the text (leading spaces skipped; null when nothing remains). Returns null when
     * fewer than {@code count} tokens exist.
     */
    static String[] head(String s, int count) {
        String[] out = new String[count + 1];
        int i = 0;
        int n = s.length();
        for (int k = 0; k < count; k++) {
            while (i < n && s.charAt(i) == ' ') i++;
            int start = i;
            while (i < n && s.charAt(i) != ' ') i++;
            if (i == start) return null;
            out[k] = s.substring(start, i);
        }
        while (i < n && s.charAt(i) == ' ') i++;
        out[count] = i < n ? s.substring(i) : null;
        return out;
    }

    static long parseLong(String s, long min, long max, String what) {
        if (s.isEmpty() || s.length() > 19) throw new SdpParseException(what + " is not a number: '" + s + "'");
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') throw new SdpParseException(what + " is not a number: '" + s + "'");
            v = v * 10 + (c - '0');
            if (v < 0) throw new SdpParseException(what + " is out of range: " + s);
        }
        if (v < min || v > max) throw new SdpParseException(what + " is out of range: " + s);
        return v;
    }

    static int parseInt(String s, int min, int max, String what) {
        return (int) parseLong(s, min, max, what);
    }

    static int payloadType(String s) {
        return parseInt(s, 0, 127, "payload type");
    }

    static String require(String s, String what) {
        if (s == null || s.isEmpty()) throw new SdpParseException(what);
        return s;
    }
}
