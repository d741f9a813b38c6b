package dev.prism.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * Reusable flyweight walking the packets of a compound RTCP packet (RFC 3550 §6.1) in place,
 * from readerIndex to writerIndex, without building a list.
 *
 * <p>Framing errors (truncated header, version not 2, a length past the end, bad padding)
 * end the walk: {@link #next} returns false and {@link #error} tells why. A packet of a known
 * type whose body is malformed (say a NACK without FCI) is skipped, its error recorded, and the
 * walk goes on, since its length still frames the next packet. Every packet {@code next} yields
 * has passed its type's {@code validate}, so that type's accessors stay within the buffer.
 * <pre>
 * reader.reset(buf);
 * while (reader.next()) { switch (reader.packetType()) { ... reader.offset() ... } }
 * if (reader.error() != RtcpError.OK) { count it }
 * </pre>
 */
public final class RtcpCompoundReader {
    private ByteBuf buf;
    private int pos;
    private int end;
    private int offset;
    private int length;
    private int error;
    private int skipped;
    private boolean stopped;

    /** Starts a walk over {@code buf}'s readable bytes. */
    public RtcpCompoundReader reset(ByteBuf buf) {
        this.buf = buf;
        this.pos = buf.readerIndex();
        this.end = buf.writerIndex();
        this.offset = pos;
        this.length = 0;
        this.error = RtcpError.OK;
        this.skipped = 0;
        this.stopped = false;
        return this;
    }

    /** Advances to the next well-formed packet; false at the end or on a framing error. */
    public boolean next() {
        while (!stopped) {
            int remaining = end - pos;
            if (remaining == 0) {
                stopped = true;
                return false;
            }
            if (remaining < RtcpHeader.SIZE) {
                return fail(RtcpError.TRUNCATED_HEADER);
            }
            if (RtcpHeader.version(buf, pos) != RtcpHeader.VERSION) {
                return fail(RtcpError.BAD_VERSION);
            }
            int len = RtcpHeader.packetLength(buf, pos);
            if (len > remaining) {
                return fail(RtcpError.LENGTH_OVERSHOOTS);
            }
            int padding = 0;
            if (RtcpHeader.padding(buf, pos)) {
                // RFC 3550 §6.4.1: the last octet counts the padding, itself included.
                padding = buf.getUnsignedByte(pos + len - 1);
                if (padding == 0 || padding > len - RtcpHeader.SIZE) {
                    return fail(RtcpError.BAD_PADDING);
                }
            }
            int at = pos;
            pos += len;
            int bodyError = validateBody(buf, at, len - padding);
            if (bodyError == RtcpError.OK) {
                offset = at;
                length = len;
                return true;
            }
            record(bodyError);
            skipped++;
        }
        return false;
    }

    private boolean fail(int code) {
        record(code);
        stopped = true;
        return false;
    }

    private void record(int code) {
        if (error == RtcpError.OK) {
            error = code;
        }
    }

    /** Type-specific checks of a framed packet; unknown types pass. */
    static int validateBody(ByteBuf buf, int at, int contentLength) {
        int format = RtcpHeader.countOrFormat(buf, at);
        return switch (RtcpHeader.packetType(buf, at)) {
            case RtcpPacketType.SR -> SenderReport.validate(buf, at, contentLength);
            case RtcpPacketType.RR -> ReceiverReport.validate(buf, at, contentLength);
            case RtcpPacketType.SDES -> SourceDescription.validate(buf, at, contentLength);
            case RtcpPacketType.BYE -> Goodbye.validate(buf, at, contentLength);
            case RtcpPacketType.RTPFB -> switch (format) {
                case RtcpPacketType.FMT_NACK -> TransportLayerNack.validate(contentLength);
                case RtcpPacketType.FMT_TWCC -> TransportLayerCc.validate(buf, at, contentLength);
                default -> RtcpFeedback.validate(contentLength);
            };
            case RtcpPacketType.PSFB -> switch (format) {
                case RtcpPacketType.FMT_PLI -> PictureLossIndication.validate(contentLength);
                case RtcpPacketType.FMT_FIR -> FullIntraRequest.validate(contentLength);
                case RtcpPacketType.FMT_AFB -> ReceiverEstimatedMaximumBitrate.validate(buf, at, contentLength);
                default -> RtcpFeedback.validate(contentLength);
            };
            default -> RtcpError.OK;
        };
    }

    public int packetType() {
        return RtcpHeader.packetType(buf, offset);
    }

    /** Report/source count, or FMT for feedback packets. */
    public int countOrFormat() {
        return RtcpHeader.countOrFormat(buf, offset);
    }

    /** Absolute index of the current packet's header. */
    public int offset() {
        return offset;
    }

    /** Byte length of the current packet, header and padding included. */
    public int length() {
        return length;
    }

    /** First error met since {@link #reset}, or {@link RtcpError#OK}. */
    public int error() {
        return error;
    }

    /** Packets skipped since {@link #reset} because their body was malformed. */
    public int skipped() {
        return skipped;
    }
}
