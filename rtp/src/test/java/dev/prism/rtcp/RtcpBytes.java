package dev.prism.rtcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/** Test helpers: buffers from field-by-field byte lists, and a walk touching every accessor. */
final class RtcpBytes {
    private RtcpBytes() {}

    /** A heap buffer holding {@code bytes} (each taken modulo 256). Caller releases. */
    static ByteBuf of(int... bytes) {
        ByteBuf buf = Unpooled.buffer(bytes.length);
        for (int b : bytes) {
            buf.writeByte(b);
        }
        return buf;
    }

    static byte[] toArray(ByteBuf buf) {
        return ByteBufUtil.getBytes(buf, buf.readerIndex(), buf.readableBytes());
    }

    /**
     * Walks a compound and calls every accessor of every yielded packet, as a consumer would.
     * Returns a checksum of what was read so the JIT cannot drop the reads.
     */
    static long exercise(ByteBuf buf) {
        RtcpCompoundReader reader = new RtcpCompoundReader().reset(buf);
        SourceDescriptionReader sdes = new SourceDescriptionReader();
        TransportLayerCcReader twcc = new TransportLayerCcReader();
        long[] sum = {0};
        SequenceNumberConsumer lost = seq -> sum[0] += seq;
        while (reader.next()) {
            int at = reader.offset();
            sum[0] += reader.length() + reader.countOrFormat();
            switch (reader.packetType()) {
                case RtcpPacketType.SR -> {
                    sum[0] += SenderReport.ssrc(buf, at) + SenderReport.ntpTimestamp(buf, at)
                            + SenderReport.rtpTimestamp(buf, at) + SenderReport.packetCount(buf, at)
                            + SenderReport.octetCount(buf, at);
                    for (int i = 0; i < SenderReport.reportCount(buf, at); i++) {
                        sum[0] += block(buf, SenderReport.reportBlockOffset(at, i));
                    }
                }
                case RtcpPacketType.RR -> {
                    sum[0] += ReceiverReport.ssrc(buf, at);
                    for (int i = 0; i < ReceiverReport.reportCount(buf, at); i++) {
                        sum[0] += block(buf, ReceiverReport.reportBlockOffset(at, i));
                    }
                }
                case RtcpPacketType.SDES -> {
                    sdes.reset(buf, at);
                    while (sdes.nextChunk()) {
                        sum[0] += sdes.ssrc();
                        while (sdes.nextItem()) {
                            sum[0] += sdes.itemType() + sdes.itemLength();
                            if (sdes.itemLength() > 0) {
                                sum[0] += buf.getByte(sdes.itemOffset() + sdes.itemLength() - 1);
                            }
                        }
                    }
                }
                case RtcpPacketType.BYE -> {
                    for (int i = 0; i < Goodbye.sourceCount(buf, at); i++) {
                        sum[0] += Goodbye.ssrc(buf, at, i);
                    }
                    int r = Goodbye.reasonOffset(buf, at);
                    int n = Goodbye.reasonLength(buf, at);
                    if (r >= 0 && n > 0) {
                        sum[0] += buf.getByte(r + n - 1);
                    }
                }
                case RtcpPacketType.RTPFB -> {
                    sum[0] += RtcpFeedback.senderSsrc(buf, at) + RtcpFeedback.mediaSsrc(buf, at);
                    if (reader.countOrFormat() == RtcpPacketType.FMT_NACK) {
                        sum[0] += TransportLayerNack.forEachLost(buf, at, lost);
                    } else if (reader.countOrFormat() == RtcpPacketType.FMT_TWCC) {
                        sum[0] += TransportLayerCc.baseSequenceNumber(buf, at) + TransportLayerCc.packetStatusCount(buf, at)
                                + TransportLayerCc.referenceTime(buf, at) + TransportLayerCc.feedbackPacketCount(buf, at);
                        if (twcc.reset(buf, at) != RtcpError.OK) {
                            throw new AssertionError("reader yielded a TWCC its own iterator rejects");
                        }
                        while (twcc.next()) {
                            sum[0] += twcc.sequenceNumber() + twcc.status() + twcc.deltaMicros() + twcc.arrivalMicros();
                        }
                    }
                }
                case RtcpPacketType.PSFB -> {
                    sum[0] += RtcpFeedback.senderSsrc(buf, at) + RtcpFeedback.mediaSsrc(buf, at);
                    if (reader.countOrFormat() == RtcpPacketType.FMT_FIR) {
                        for (int i = 0; i < FullIntraRequest.entryCount(buf, at); i++) {
                            sum[0] += FullIntraRequest.entrySsrc(buf, at, i) + FullIntraRequest.entrySequenceNumber(buf, at, i);
                        }
                    } else if (reader.countOrFormat() == RtcpPacketType.FMT_AFB && ReceiverEstimatedMaximumBitrate.isRemb(buf, at)) {
                        sum[0] += ReceiverEstimatedMaximumBitrate.bitrate(buf, at);
                        for (int i = 0; i < ReceiverEstimatedMaximumBitrate.ssrcCount(buf, at); i++) {
                            sum[0] += ReceiverEstimatedMaximumBitrate.ssrc(buf, at, i);
                        }
                    }
                }
                default -> sum[0] += RtcpHeader.contentLength(buf, at);
            }
        }
        return sum[0] + reader.error() + reader.skipped();
    }

    private static long block(ByteBuf buf, int b) {
        return ReportBlock.ssrc(buf, b) + ReportBlock.fractionLost(buf, b) + ReportBlock.cumulativeLost(buf, b)
                + ReportBlock.extendedHighestSequence(buf, b) + ReportBlock.jitter(buf, b)
                + ReportBlock.lastSenderReport(buf, b) + ReportBlock.delaySinceLastSenderReport(buf, b);
    }
}
