package dev.prism.sfu.cc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * A trace in {@link TwccTraceRecorder}'s format, read back for replay: its events in recorded
 * order, plus marks ({@code M <micros> <label>} lines, added by hand to note what the link did).
 */
record TwccTrace(List<Event> events, List<Mark> marks) {
    /** A packet sent ({@code feedback} null) or a feedback packet received at {@code micros}. */
    record Event(long micros, int transportSeq, int sizeBytes, byte[] feedback) {
        boolean isFeedback() {
            return feedback != null;
        }
    }

    record Mark(long micros, String label) {
    }

    /** Reads a trace from the class path; a {@code .gz} name is gunzipped. */
    static TwccTrace resource(String name) {
        try (InputStream raw = TwccTrace.class.getResourceAsStream(name)) {
            if (raw == null) {
                throw new IllegalArgumentException("no resource " + name);
            }
            return read(name.endsWith(".gz") ? new GZIPInputStream(raw) : raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TwccTrace read(InputStream in) throws IOException {
        List<Event> events = new ArrayList<>();
        List<Mark> marks = new ArrayList<>();
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
        for (String line; (line = lines.readLine()) != null; ) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(" ");
            switch (f[0]) {
                case "S" -> events.add(new Event(Long.parseLong(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]), null));
                case "F" -> events.add(new Event(Long.parseLong(f[1]), -1, -1, HexFormat.of().parseHex(f[2])));
                case "M" -> marks.add(new Mark(Long.parseLong(f[1]), f[2]));
                default -> throw new IOException("bad trace line: " + line);
            }
        }
        return new TwccTrace(List.copyOf(events), List.copyOf(marks));
    }

    /** The time of the mark named {@code label}. */
    long mark(String label) {
        for (Mark m : marks) {
            if (m.label().equals(label)) {
                return m.micros();
            }
        }
        throw new IllegalArgumentException("no mark " + label);
    }

    long startMicros() {
        return events.get(0).micros();
    }

    long endMicros() {
        return events.get(events.size() - 1).micros();
    }
}
