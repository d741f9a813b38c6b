package dev.prism.sfu.room;

import dev.prism.rtcp.SenderReport;
import dev.prism.rtp.RtpPacket;
import dev.prism.sfu.transport.PeerTransport;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One published track as one subscriber receives it (a "down-track"): Prism's own SSRC, the
 * subscriber's payload type, and sequence numbers and timestamps rewritten to a continuous space
 * of their own (DESIGN.md step 6). Payload bytes are copied unchanged. Video starts at a key
 * frame so the subscriber's first decoded frame is whole. Loop thread only.
 */
final class DownTrack {
    final PublishedTrack source;
    final PeerTransport transport;
    final int ssrc;
    private final StreamRewriter rewriter;
    private long packets;
    private long octets;

    DownTrack(PublishedTrack source, PeerTransport transport, DownTrackSpec spec) {
        this.source = source;
        this.transport = transport;
        this.ssrc = (int) spec.ssrc();
        this.rewriter = new StreamRewriter(ssrc, spec.payloadType());
    }

    private boolean resumeAtKeyFrame;

    boolean waitingForKeyFrame() {
        return (!rewriter.started() || resumeAtKeyFrame) && source.spec.isVideo();
    }

    /** Forwarding resumes after a pause: continue the sequence, and for video wait for a key frame. */
    void resume() {
        rewriter.reanchor();
        resumeAtKeyFrame = source.spec.isVideo();
    }

    /** Copies {@code packet} (a validated, decrypted RTP packet) to this subscriber. */
    void forward(ByteBuf packet, boolean keyFrame) {
        if (!transport.isConnected()) {
            return;
        }
        if (!rewriter.started()) {
            if (source.spec.isVideo() && !keyFrame) {
                return;
            }
            ThreadLocalRandom random = ThreadLocalRandom.current();
            rewriter.start(RtpPacket.sequenceNumber(packet), RtpPacket.timestamp(packet), random.nextInt(0x10000),
                    random.nextLong(0x100000000L));
        }
        if (resumeAtKeyFrame) {
            if (!keyFrame) {
                return;
            }
            resumeAtKeyFrame = false;
        }
        int length = StreamRewriter.outputLength(packet);
        ByteBuf out = transport.alloc().directBuffer(length + PeerTransport.SRTP_OVERHEAD);
        rewriter.write(packet, out);
        packets++;
        octets += length - RtpPacket.FIXED_HEADER_LENGTH;
        transport.sendRtp(out);
    }

    /** RFC 3550 §6.4.1 SR for this stream, from the publisher's own NTP/RTP pair (keeps lip sync). */
    void sendSenderReport(long ntp, long rtpTimestamp) {
        if (!rewriter.started() || !transport.isConnected()) {
            return;
        }
        ByteBuf out = transport.alloc().directBuffer(SenderReport.FIXED_SIZE + PeerTransport.SRTP_OVERHEAD);
        SenderReport.write(out, ssrc, ntp, rewriter.translateTimestamp(rtpTimestamp), packets, octets, 0);
        transport.sendRtcp(out);
    }
}
