package dev.prism.sfu.room;

import dev.prism.rtcp.FullIntraRequest;
import dev.prism.rtcp.PictureLossIndication;
import dev.prism.rtcp.ReceiverEstimatedMaximumBitrate;
import dev.prism.rtcp.RtcpCompoundReader;
import dev.prism.rtcp.RtcpError;
import dev.prism.rtcp.RtcpFeedback;
import dev.prism.rtcp.RtcpPacketType;
import dev.prism.rtcp.SenderReport;
import dev.prism.rtcp.SequenceNumberConsumer;
import dev.prism.rtcp.TransportLayerNack;
import dev.prism.sfu.transport.TransportCounters;
import io.netty.buffer.ByteBuf;

/**
 * Acts on one decrypted RTCP compound packet from an endpoint (RFC 3550 §6, RFC 4585, RFC 5104):
 * a publisher's SRs go to its tracks (and on to their subscribers); a subscriber's PLI/FIR become
 * collapsed key-frame requests, its NACKs retransmissions from the cache, its TWCC feedback or
 * REMB its downlink's estimate. Walks the compound in place; allocates nothing per packet.
 * Loop thread only.
 */
final class EndpointRtcpHandler {
    private final RtcpCompoundReader reader = new RtcpCompoundReader();
    private final TransportCounters counters;
    // The NACK being served: a reusable consumer, so serving allocates nothing per sequence number.
    private DownTrack nackTarget;
    private long nackNow;
    private final SequenceNumberConsumer nackConsumer = seq -> nackTarget.retransmit(seq, nackNow);

    EndpointRtcpHandler(TransportCounters counters) {
        this.counters = counters;
    }

    void onRtcp(Endpoint e, ByteBuf packet, long now) {
        RtcpCompoundReader r = reader.reset(packet);
        while (r.next()) {
            int offset = r.offset();
            switch (r.packetType()) {
                case RtcpPacketType.SR -> {
                    int srSsrc = SenderReport.ssrc(packet, offset);
                    PublishedTrack track = e.published.get(srSsrc);
                    int layer = track == null ? -1 : track.layerOfSsrc(srSsrc);
                    if (layer >= 0) {
                        track.onSenderReport(layer, SenderReport.ntpTimestamp(packet, offset),
                                SenderReport.rtpTimestamp(packet, offset), now);
                    }
                }
                case RtcpPacketType.PSFB -> {
                    int format = RtcpFeedback.format(packet, offset);
                    if (format == RtcpPacketType.FMT_PLI) {
                        requestKeyFrame(e, PictureLossIndication.mediaSsrc(packet, offset), now);
                    } else if (format == RtcpPacketType.FMT_FIR) {
                        for (int i = 0, n = FullIntraRequest.entryCount(packet, offset); i < n; i++) {
                            requestKeyFrame(e, FullIntraRequest.entrySsrc(packet, offset, i), now);
                        }
                    } else if (format == RtcpPacketType.FMT_AFB && e.downlink() != null
                            && ReceiverEstimatedMaximumBitrate.isRemb(packet, offset)) {
                        e.downlink().onRemb(ReceiverEstimatedMaximumBitrate.bitrate(packet, offset));
                    }
                }
                case RtcpPacketType.RTPFB -> {
                    int format = RtcpFeedback.format(packet, offset);
                    if (format == RtcpPacketType.FMT_NACK) {
                        onNack(e, packet, offset, now);
                    } else if (format == RtcpPacketType.FMT_TWCC && e.downlink() != null) {
                        e.downlink().onTransportFeedback(packet, offset);
                    }
                }
                default -> {
                    // RR, SDES, BYE: nothing to act on.
                }
            }
        }
        if (r.error() != RtcpError.OK) {
            counters.rtcpMalformed.increment();
        }
    }

    /** A subscriber's generic NACK (RFC 4585 §6.2.1): each lost packet resent from the cache. */
    private void onNack(Endpoint subscriber, ByteBuf packet, int offset, long now) {
        DownTrack down = subscriber.down.get(RtcpFeedback.mediaSsrc(packet, offset));
        if (down == null) {
            return;
        }
        nackTarget = down;
        nackNow = now;
        int count = TransportLayerNack.forEachLost(packet, offset, nackConsumer);
        counters.nacksReceived.add(Math.max(0, count));
        nackTarget = null;
    }

    private void requestKeyFrame(Endpoint subscriber, int mediaSsrc, long now) {
        counters.keyframeRequestsReceived.increment();
        DownTrack down = subscriber.down.get(mediaSsrc);
        if (down != null) {
            down.source.requestKeyFrame(now, down.currentLayer() >= 0 ? down.currentLayer() : down.wantedLayer());
        }
    }
}
