package dev.prism.sfu.room;

import dev.prism.rtcp.PictureLossIndication;
import dev.prism.rtp.RtpPacket;
import dev.prism.rtp.codec.Av1Payload;
import dev.prism.rtp.codec.H264Payload;
import dev.prism.rtp.codec.Vp8PayloadDescriptor;
import dev.prism.rtp.codec.Vp9PayloadDescriptor;
import dev.prism.sfu.stats.ReceiveStreamStatistics;
import dev.prism.sfu.transport.PeerTransport;
import dev.prism.sfu.transport.TransportCounters;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * A track one publisher sends into the room: its receive statistics, the subscribers it fans
 * out to, and keyframe requests towards the publisher, throttled so that however many viewers
 * ask, the publisher sees at most one PLI per {@link #KEYFRAME_REQUEST_INTERVAL_MILLIS}.
 * Loop thread only.
 */
final class PublishedTrack {
    static final long KEYFRAME_REQUEST_INTERVAL_MILLIS = 300;

    final PublishedTrackSpec spec;
    final PeerTransport owner;
    final int ssrc;
    final ReceiveStreamStatistics statistics;
    final List<DownTrack> downTracks = new ArrayList<>();
    private final int rtcpSenderSsrc;
    private final TransportCounters counters;
    private final int codec;
    private long lastKeyframeRequestMillis = Long.MIN_VALUE / 2;
    private long lastNtp;
    private long lastRtpTimestamp;
    private boolean haveSenderReport;
    private boolean muted;

    private static final int VP8 = 1, VP9 = 2, H264 = 3, AV1 = 4, OTHER = 0;

    PublishedTrack(PublishedTrackSpec spec, PeerTransport owner, int rtcpSenderSsrc, TransportCounters counters) {
        this.spec = spec;
        this.owner = owner;
        this.ssrc = (int) spec.ssrc();
        this.rtcpSenderSsrc = rtcpSenderSsrc;
        this.counters = counters;
        this.statistics = new ReceiveStreamStatistics(spec.clockRate());
        this.codec = switch (spec.codecName().toUpperCase(java.util.Locale.ROOT)) {
            case "VP8" -> VP8;
            case "VP9" -> VP9;
            case "H264" -> H264;
            case "AV1" -> AV1;
            default -> OTHER;
        };
    }

    boolean muted() {
        return muted;
    }

    /** An operator's mute: nothing is forwarded; unmuting asks for a key frame so video resumes at once. */
    void setMuted(boolean muted, long nowMillis) {
        boolean resumed = this.muted && !muted;
        this.muted = muted;
        if (resumed) {
            for (DownTrack d : downTracks) {
                d.resume();
            }
            requestKeyFrame(nowMillis);
        }
    }

    /** A decrypted RTP packet of this track; fans it out. */
    void onPacket(ByteBuf packet, long nowMillis) {
        statistics.onPacket(RtpPacket.sequenceNumber(packet), RtpPacket.timestamp(packet), nowMillis * 1000);
        if (muted) {
            return;
        }
        boolean keyFrame = spec.isVideo() && isKeyFrame(packet);
        boolean someoneWaits = false;
        for (int i = 0, n = downTracks.size(); i < n; i++) {
            DownTrack down = downTracks.get(i);
            down.forward(packet, keyFrame);
            someoneWaits |= down.waitingForKeyFrame() && down.transport.isConnected();
        }
        counters.packetsForwarded.add(downTracks.size());
        if (someoneWaits) {
            requestKeyFrame(nowMillis);
        }
    }

    private boolean isKeyFrame(ByteBuf packet) {
        int offset = RtpPacket.payloadOffset(packet);
        int length = RtpPacket.payloadLength(packet);
        return switch (codec) {
            case VP8 -> Vp8PayloadDescriptor.isKeyFrame(packet, offset, length);
            case VP9 -> Vp9PayloadDescriptor.isKeyFrame(packet, offset, length);
            case H264 -> H264Payload.isKeyFrame(packet, offset, length);
            case AV1 -> Av1Payload.isKeyFrame(packet, offset, length);
            default -> true;
        };
    }

    /** The publisher's SR for this track: remembered for new subscribers and passed on translated. */
    void onSenderReport(long ntp, long rtpTimestamp, long nowMillis) {
        statistics.onSenderReport((ntp >>> 16) & 0xFFFFFFFFL, nowMillis * 1000);
        lastNtp = ntp;
        lastRtpTimestamp = rtpTimestamp;
        haveSenderReport = true;
        for (DownTrack down : downTracks) {
            down.sendSenderReport(ntp, rtpTimestamp);
        }
    }

    /** Sends a PLI to the publisher unless one went out less than 300 ms ago. */
    void requestKeyFrame(long nowMillis) {
        if (!spec.isVideo() || !owner.isConnected()
                || nowMillis - lastKeyframeRequestMillis < KEYFRAME_REQUEST_INTERVAL_MILLIS) {
            return;
        }
        lastKeyframeRequestMillis = nowMillis;
        ByteBuf pli = owner.alloc().directBuffer(PictureLossIndication.SIZE + PeerTransport.SRTP_OVERHEAD);
        PictureLossIndication.write(pli, rtcpSenderSsrc, ssrc);
        if (owner.sendRtcp(pli)) {
            counters.keyframeRequestsSent.increment();
        }
    }

    DownTrack addDownTrack(PeerTransport subscriber, DownTrackSpec spec, long nowMillis) {
        DownTrack down = new DownTrack(this, subscriber, spec);
        downTracks.add(down);
        return down;
    }

    void removeDownTracksOf(PeerTransport subscriber) {
        downTracks.removeIf(d -> d.transport == subscriber);
    }
}
