package dev.prism.loadtest;

import dev.prism.rtcp.FullIntraRequest;
import dev.prism.rtcp.RtcpCompoundReader;
import dev.prism.rtcp.RtcpFeedback;
import dev.prism.rtcp.RtcpPacketType;
import dev.prism.rtcp.SequenceNumberConsumer;
import dev.prism.rtcp.TransportLayerNack;
import io.netty.buffer.ByteBuf;

/**
 * What a synthetic publisher does with the SFU's feedback, as an encoder and its sender would: a
 * PLI (RFC 4585 §6.3.1) or FIR (RFC 5104 §4.3.1) asks the named layer for a key frame, a generic
 * NACK (RFC 4585 §6.2.1) resends the named packets from the layer's 1 s history of protected
 * datagrams (same sequence number, no RTX), transport-wide CC feedback is counted. Loop thread;
 * the counters are read from others.
 */
final class PublisherFeedback implements SequenceNumberConsumer {
    private final VideoLayer[] layers;
    private final SecurePeer peer;
    private final RtcpCompoundReader rtcp = new RtcpCompoundReader();
    /** The layer a NACK being handled names (set before {@link TransportLayerNack#forEachLost}). */
    private VideoLayer nackLayer;

    volatile long keyFrameRequests;
    volatile long retransmitted;
    volatile long feedbackPackets;

    PublisherFeedback(VideoLayer[] layers, SecurePeer peer) {
        this.layers = layers;
        this.peer = peer;
    }

    void onRtcp(ByteBuf packet) {
        RtcpCompoundReader r = rtcp.reset(packet);
        while (r.next()) {
            int offset = r.offset();
            int type = r.packetType();
            int format = r.countOrFormat();
            if (type == RtcpPacketType.PSFB && format == RtcpPacketType.FMT_PLI) {
                requestKeyFrame(RtcpFeedback.mediaSsrc(packet, offset));
            } else if (type == RtcpPacketType.PSFB && format == RtcpPacketType.FMT_FIR) {
                // RFC 5104 §4.3.1: the SSRCs are in the FCI entries, the media-source field is unused.
                int entries = FullIntraRequest.entryCount(packet, offset);
                for (int i = 0; i < entries; i++) {
                    requestKeyFrame(FullIntraRequest.entrySsrc(packet, offset, i));
                }
            } else if (type == RtcpPacketType.RTPFB && format == RtcpPacketType.FMT_NACK) {
                nackLayer = layer(RtcpFeedback.mediaSsrc(packet, offset));
                if (nackLayer != null) {
                    TransportLayerNack.forEachLost(packet, offset, this);
                    peer.flush();
                }
            } else if (type == RtcpPacketType.RTPFB && format == RtcpPacketType.FMT_TWCC) {
                feedbackPackets++;
            }
        }
    }

    /** One NACKed sequence number of {@link #nackLayer}: resend it when still in its history. */
    @Override
    public void accept(int seq) {
        int n = nackLayer.remembered(seq, System.nanoTime());
        if (n == 0) {
            return;
        }
        ByteBuf b = peer.buffer(n);
        nackLayer.copyRemembered(seq, b);
        peer.writeProtected(b);
        retransmitted++;
    }

    private void requestKeyFrame(int ssrc) {
        VideoLayer layer = layer(ssrc);
        if (layer != null) {
            layer.keyRequested = true;
            keyFrameRequests++;
        }
    }

    private VideoLayer layer(int ssrc) {
        for (VideoLayer l : layers) {
            if (l.ssrc == ssrc) {
                return l;
            }
        }
        return null;
    }
}
