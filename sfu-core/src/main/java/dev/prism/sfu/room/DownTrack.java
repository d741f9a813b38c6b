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
    final int payloadType;
    private boolean started;
    private int seqOffset;
    private long timestampOffset;
    private long packets;
    private long octets;

    DownTrack(PublishedTrack source, PeerTransport transport, DownTrackSpec spec) {
        this.source = source;
        this.transport = transport;
        this.ssrc = (int) spec.ssrc();
        this.payloadType = spec.payloadType();
    }

    boolean waitingForKeyFrame() {
        return !started && source.spec.isVideo();
    }

    /** Copies {@code packet} (a validated, decrypted RTP packet) to this subscriber. */
    void forward(ByteBuf packet, boolean keyFrame) {
        if (!transport.isConnected()) {
            return;
        }
        int seq = RtpPacket.sequenceNumber(packet);
        long timestamp = RtpPacket.timestamp(packet);
        if (!started) {
            if (source.spec.isVideo() && !keyFrame) {
                return;
            }
            ThreadLocalRandom random = ThreadLocalRandom.current();
            seqOffset = random.nextInt(0x10000) - seq;
            timestampOffset = (random.nextLong(0x100000000L) - timestamp) & 0xFFFFFFFFL;
            started = true;
        }
        int payloadOffset = RtpPacket.payloadOffset(packet);
        int payloadBytes = packet.writerIndex() - payloadOffset; // payload and any padding
        ByteBuf out = transport.alloc().directBuffer(RtpPacket.FIXED_HEADER_LENGTH + payloadBytes
                + PeerTransport.SRTP_OVERHEAD);
        // Fixed header only: the publisher's extension ids mean nothing to the subscriber.
        int b0 = 0x80 | (packet.getByte(packet.readerIndex()) & 0x20);
        int b1 = (RtpPacket.marker(packet) ? 0x80 : 0) | payloadType;
        out.writeByte(b0).writeByte(b1).writeShort(seq + seqOffset)
                .writeInt((int) (timestamp + timestampOffset)).writeInt(ssrc);
        out.writeBytes(packet, payloadOffset, payloadBytes);
        packets++;
        octets += payloadBytes;
        transport.sendRtp(out);
    }

    /** RFC 3550 §6.4.1 SR for this stream, from the publisher's own NTP/RTP pair (keeps lip sync). */
    void sendSenderReport(long ntp, long rtpTimestamp) {
        if (!started || !transport.isConnected()) {
            return;
        }
        ByteBuf out = transport.alloc().directBuffer(SenderReport.FIXED_SIZE + PeerTransport.SRTP_OVERHEAD);
        SenderReport.write(out, ssrc, ntp, (rtpTimestamp + timestampOffset) & 0xFFFFFFFFL, packets, octets, 0);
        transport.sendRtcp(out);
    }
}
