package dev.prism.sfu.room;

import dev.prism.rtp.RtpPacket;
import dev.prism.rtp.RtxPacket;
import dev.prism.sfu.transport.TransportCounters;
import dev.prism.sfu.worker.MediaWorker;
import io.netty.buffer.ByteBuf;

/**
 * Where a room's decrypted media arrives (DESIGN.md step 4): an RTP packet goes to the track and
 * simulcast layer its SSRC names, a retransmission is unwrapped first, and RTCP goes to the
 * endpoint's handler. Loop thread only.
 */
final class RoomIngress {
    private final MediaWorker worker;
    private final TransportCounters counters;
    private final SpeakerTracker speakers;
    private final EndpointRtcpHandler rtcp;

    RoomIngress(MediaWorker worker, TransportCounters counters, SpeakerTracker speakers) {
        this.worker = worker;
        this.counters = counters;
        this.speakers = speakers;
        this.rtcp = new EndpointRtcpHandler(counters);
    }

    /** An RTP packet from {@code e} (null when its transport has no endpoint any more). */
    void onRtp(Endpoint e, ByteBuf packet) {
        if (RtpPacket.validate(packet) < 0) {
            counters.rtpMalformed.increment();
            return;
        }
        if (e == null) {
            return;
        }
        e.recordTransportSequence(packet, System.nanoTime() / 1000);
        int ssrc = RtpPacket.ssrc(packet);
        PublishedTrack track = e.trackOf(packet, ssrc);
        if (track == null) {
            return; // RTX, probing or an SSRC not (yet) signalled: nothing to forward it to
        }
        int layer = track.layerOfSsrc(ssrc);
        if (layer >= 0) {
            speakers.onPacket(track, packet, worker.nowMillis());
            track.onPacket(packet, layer, false, worker.nowMillis());
            return;
        }
        layer = track.layerOfRtxSsrc(ssrc);
        if (layer >= 0 && track.layerSsrc[layer] != 0) {
            // RFC 4588: restore the original packet in place; padding-only RTX (probing) stops here.
            if (RtxPacket.unwrap(packet, track.layerSsrc[layer], track.spec.payloadType())) {
                counters.retransmissionsReceived.increment();
                track.onPacket(packet, layer, true, worker.nowMillis());
            }
        }
    }

    /** A compound RTCP packet from {@code e} (null when gone). */
    void onRtcp(Endpoint e, ByteBuf packet) {
        if (e != null) {
            rtcp.onRtcp(e, packet, worker.nowMillis());
        }
    }
}
