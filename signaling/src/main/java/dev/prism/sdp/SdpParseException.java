package dev.prism.sdp;

/**
 * The only exception {@link SdpParser} throws. The message names the 1-based line number and the
 * problem, e.g. {@code "line 7: m= line has no port"}; {@link #line()} is 0 when the problem is
 * not tied to one line (e.g. a missing {@code o=} line).
 */
public final class SdpParseException extends IllegalArgumentException {
    private final int line;
    private final String problem;

    public SdpParseException(int line, String problem) {
        super(line > 0 ? "line " + line + ": " + problem : problem);
        this.line = line;
        this.problem = problem;
    }

    /** A problem found while parsing one value; the parser adds the line number. */
    public SdpParseException(String problem) {
        this(0, problem);
    }

    public int line() { return line; }

    public String problem() { return problem; }

    SdpParseException atLine(int lineNumber) {
        return line > 0 ? this : new SdpParseException(lineNumber, problem);
    }
}
