package dev.prism.rtcp;

/** RTCP packet types (RFC 3550 §12.1, RFC 4585 §6.1) and feedback message types (FMT). */
public final class RtcpPacketType {
    private RtcpPacketType() {}

    /** Sender report, RFC 3550 §6.4.1. */
    public static final int SR = 200;
    /** Receiver report, RFC 3550 §6.4.2. */
    public static final int RR = 201;
    /** Source description, RFC 3550 §6.5. */
    public static final int SDES = 202;
    /** Goodbye, RFC 3550 §6.6. */
    public static final int BYE = 203;
    /** Application-defined, RFC 3550 §6.7. */
    public static final int APP = 204;
    /** Transport layer feedback, RFC 4585 §6.1. */
    public static final int RTPFB = 205;
    /** Payload-specific feedback, RFC 4585 §6.1. */
    public static final int PSFB = 206;

    /** RTPFB FMT: generic NACK, RFC 4585 §6.2.1. */
    public static final int FMT_NACK = 1;
    /** RTPFB FMT: transport-wide congestion control, draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1. */
    public static final int FMT_TWCC = 15;
    /** PSFB FMT: picture loss indication, RFC 4585 §6.3.1. */
    public static final int FMT_PLI = 1;
    /** PSFB FMT: full intra request, RFC 5104 §4.3.1. */
    public static final int FMT_FIR = 4;
    /** PSFB FMT: application layer feedback (REMB lives here), RFC 4585 §6.4. */
    public static final int FMT_AFB = 15;

    /** SDES item types, RFC 3550 §6.5. */
    public static final int SDES_END = 0;
    public static final int SDES_CNAME = 1;
}
