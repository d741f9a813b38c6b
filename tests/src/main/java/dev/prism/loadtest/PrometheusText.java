package dev.prism.loadtest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A small reader of the Prometheus text exposition format (what Prism's {@code /metrics} serves),
 * so the load tool needs no client library. Total: a line it cannot read is skipped, never thrown
 * on, since one odd line must not cost a run its figures. Comments ({@code # HELP}, {@code # TYPE})
 * are skipped; an optional timestamp after the value is ignored.
 */
final class PrometheusText {
    /** Decimal or exponent form; Double.parseDouble alone would also take "1d", "0x1p3", "Infinity". */
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    /** One sample line: {@code name{labels} value}. */
    record Sample(String name, Map<String, String> labels, double value) {}

    /** One scrape's samples, with the sums the load tool asks of it. */
    record Scrape(List<Sample> samples) {
        /** The sum over every series of {@code name} (all label sets), or NaN when it has none. */
        double sum(String name) {
            double total = 0;
            boolean seen = false;
            for (Sample s : samples) {
                if (s.name().equals(name)) {
                    total += s.value();
                    seen = true;
                }
            }
            return seen ? total : Double.NaN;
        }

        /**
         * The classic histogram {@code name}: its {@code _bucket} series summed per {@code le} over
         * the other labels (e.g. one series per worker), or null when it has no readable bucket.
         */
        PrometheusHistogram histogram(String name) {
            Map<Double, Double> byBound = new java.util.TreeMap<>();
            for (Sample s : samples) {
                String le = s.labels().get("le");
                if (s.name().equals(name + "_bucket") && le != null) {
                    double bound = value(le.trim());
                    if (!Double.isNaN(bound)) {
                        byBound.merge(bound, s.value(), Double::sum);
                    }
                }
            }
            return byBound.isEmpty() ? null : PrometheusHistogram.of(byBound);
        }
    }

    private PrometheusText() {}

    static Scrape parse(String text) {
        List<Sample> out = new ArrayList<>();
        if (text != null) {
            for (String line : text.split("\n")) {
                Sample s = line(line);
                if (s != null) {
                    out.add(s);
                }
            }
        }
        return new Scrape(List.copyOf(out));
    }

    /** One line as a sample, or null for a comment, a blank line or anything malformed. */
    static Sample line(String line) {
        String l = line.strip();
        if (l.isEmpty() || l.charAt(0) == '#') {
            return null;
        }
        int i = 0;
        while (i < l.length() && nameChar(l.charAt(i), i == 0, true)) {
            i++;
        }
        if (i == 0) {
            return null;
        }
        String name = l.substring(0, i);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < l.length() && l.charAt(i) == '{') {
            i = labels(l, i + 1, labels);
            if (i < 0) {
                return null;
            }
        }
        String[] rest = l.substring(i).strip().split("\\s+");
        if (i == l.length() || !Character.isWhitespace(l.charAt(i)) && l.charAt(i - 1) != '}' || rest[0].isEmpty()) {
            return null;
        }
        double v = value(rest[0]);
        return Double.isNaN(v) && !rest[0].equals("NaN") ? null : new Sample(name, Map.copyOf(labels), v);
    }

    /** Reads {@code a="x",b="y"}} from {@code from} (after the brace); the index after '}', or -1. */
    private static int labels(String l, int from, Map<String, String> into) {
        int i = from;
        while (true) {
            i = skipSpaces(l, i);
            if (i < l.length() && l.charAt(i) == '}') {
                return i + 1;
            }
            int start = i;
            while (i < l.length() && nameChar(l.charAt(i), i == start, false)) {
                i++;
            }
            if (i == start) {
                return -1;
            }
            String key = l.substring(start, i);
            i = skipSpaces(l, i);
            if (i >= l.length() || l.charAt(i) != '=') {
                return -1;
            }
            i = skipSpaces(l, i + 1);
            if (i >= l.length() || l.charAt(i) != '"') {
                return -1;
            }
            StringBuilder v = new StringBuilder();
            for (i++; ; i++) {
                if (i >= l.length()) {
                    return -1; // unterminated value
                }
                char c = l.charAt(i);
                if (c == '"') {
                    break;
                }
                if (c == '\\' && i + 1 < l.length()) {
                    char e = l.charAt(++i);
                    v.append(e == 'n' ? '\n' : e); // \" \\ \n are the format's escapes
                } else {
                    v.append(c);
                }
            }
            into.put(key, v.toString());
            i = skipSpaces(l, i + 1);
            if (i < l.length() && l.charAt(i) == ',') {
                i++;
            } else if (i >= l.length() || l.charAt(i) != '}') {
                return -1;
            }
        }
    }

    /** A sample value or {@code le} bound: +Inf, -Inf, NaN, decimal or exponent form; NaN if none of these. */
    static double value(String s) {
        return switch (s) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> NUMBER.matcher(s).matches() ? Double.parseDouble(s) : Double.NaN;
        };
    }

    private static boolean nameChar(char c, boolean first, boolean colon) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || colon && c == ':' || !first && c >= '0' && c <= '9';
    }

    private static int skipSpaces(String l, int i) {
        while (i < l.length() && (l.charAt(i) == ' ' || l.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }
}
