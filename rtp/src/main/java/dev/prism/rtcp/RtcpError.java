package dev.prism.rtcp;

/**
 * Error results of RTCP parsing. Zero means valid; every error is negative so a method can
 * return either a non-negative value or an error in one int.
 */
public final class RtcpError {
    private RtcpError() {}

    public static final int OK = 0;
    /** Fewer than 4 bytes left where a common header should start. */
    public static final int TRUNCATED_HEADER = -1;
    /** Version field is not 2 (RFC 3550 §6.4.1). */
    public static final int BAD_VERSION = -2;
    /** The length field claims more bytes than remain in the compound packet. */
    public static final int LENGTH_OVERSHOOTS = -3;
    /** Padding bit set but the padding count is zero or larger than the packet body. */
    public static final int BAD_PADDING = -4;
    /** SR shorter than its sender info (RFC 3550 §6.4.1). */
    public static final int TRUNCATED_SENDER_INFO = -5;
    /** SR/RR report count announces more report blocks than the packet holds. */
    public static final int TRUNCATED_REPORT_BLOCK = -6;
    /** SDES chunk or item runs past the packet end (RFC 3550 §6.5). */
    public static final int SDES_TRUNCATED = -7;
    /** BYE source count or reason runs past the packet end (RFC 3550 §6.6). */
    public static final int BYE_TRUNCATED = -8;
    /** Feedback packet shorter than its two SSRCs (RFC 4585 §6.1). */
    public static final int FEEDBACK_TOO_SHORT = -9;
    /** Generic NACK with no PID/BLP pair (RFC 4585 §6.2.1 requires at least one). */
    public static final int NACK_WITHOUT_FCI = -10;
    /** FIR with no FCI entry (RFC 5104 §4.3.1). */
    public static final int FIR_WITHOUT_ENTRIES = -11;
    /** REMB shorter than its fixed part or its SSRC list. */
    public static final int REMB_TRUNCATED = -12;
    /** TWCC shorter than its fixed 20 bytes. */
    public static final int TWCC_TRUNCATED = -13;
    /** TWCC packet chunks end before the packet status count is covered. */
    public static final int TWCC_CHUNK_COUNT_MISMATCH = -14;
    /** TWCC receive deltas run past the packet end. */
    public static final int TWCC_DELTA_RUNS_PAST_END = -15;
    /** TWCC status symbol 11 (reserved in draft-holmer-...-01 §3.1.1) for a counted packet. */
    public static final int TWCC_RESERVED_SYMBOL = -16;

    /** Name of an error code, for logs and test messages. */
    public static String name(int code) {
        return switch (code) {
            case OK -> "OK";
            case TRUNCATED_HEADER -> "TRUNCATED_HEADER";
            case BAD_VERSION -> "BAD_VERSION";
            case LENGTH_OVERSHOOTS -> "LENGTH_OVERSHOOTS";
            case BAD_PADDING -> "BAD_PADDING";
            case TRUNCATED_SENDER_INFO -> "TRUNCATED_SENDER_INFO";
            case TRUNCATED_REPORT_BLOCK -> "TRUNCATED_REPORT_BLOCK";
            case SDES_TRUNCATED -> "SDES_TRUNCATED";
            case BYE_TRUNCATED -> "BYE_TRUNCATED";
            case FEEDBACK_TOO_SHORT -> "FEEDBACK_TOO_SHORT";
            case NACK_WITHOUT_FCI -> "NACK_WITHOUT_FCI";
            case FIR_WITHOUT_ENTRIES -> "FIR_WITHOUT_ENTRIES";
            case REMB_TRUNCATED -> "REMB_TRUNCATED";
            case TWCC_TRUNCATED -> "TWCC_TRUNCATED";
            case TWCC_CHUNK_COUNT_MISMATCH -> "TWCC_CHUNK_COUNT_MISMATCH";
            case TWCC_DELTA_RUNS_PAST_END -> "TWCC_DELTA_RUNS_PAST_END";
            case TWCC_RESERVED_SYMBOL -> "TWCC_RESERVED_SYMBOL";
            default -> "UNKNOWN(" + code + ")";
        };
    }
}
