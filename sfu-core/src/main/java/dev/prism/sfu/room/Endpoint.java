package dev.prism.sfu.room;

import dev.prism.rtcp.ReceiverReport;
import dev.prism.rtcp.ReportBlock;
import dev.prism.rtp.RtpPacket;
import dev.prism.sfu.cc.TransportFeedbackGenerator;
import dev.prism.sfu.transport.PeerTransport;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One transport's side of a room: the tracks it publishes (by SSRC, every simulcast layer
 * included) and the down-tracks it receives (by Prism's SSRC), and the RTCP Prism sends it as a
 * receiver: reports and transport-wide CC feedback. Loop thread only.
 */
final class Endpoint {
    final PeerTransport transport;
    final Map<Integer, PublishedTrack> published = new HashMap<>();
    final Map<Integer, DownTrack> down = new HashMap<>();
    final int rtcpSsrc = ThreadLocalRandom.current().nextInt();
    /** Simulcast tracks, whose layers' SSRCs are learnt from the MID/RID extensions. */
    final List<PublishedTrack> simulcast = new ArrayList<>();
    private int midExtId = -1;
    private int ridExtId = -1;
    private int repairedRidExtId = -1;
    private int transportCcId = -1;
    private TransportFeedbackGenerator transportFeedback;

    /** Sending side towards this endpoint as a subscriber; made with its first subscription. */
    private Downlink downlink;

    Endpoint(PeerTransport transport) {
        this.transport = transport;
    }

    /** The downlink, made on first use with the subscriber's transport-wide CC extension id (-1: none). */
    Downlink downlink(int transportCcId) {
        if (downlink == null) {
            downlink = new Downlink(transport, transportCcId);
            downlink.setDownTracks(down::get);
            downlink.setMaxVideoSize(maxWidth, maxHeight);
            downlink.pinVideoLayer(pin);
        }
        return downlink;
    }

    private VideoLayerPin pin;

    /** The subscriber's pinned video layer (null: chosen from its estimate), kept until its downlink exists. */
    void pinVideoLayer(VideoLayerPin pin) {
        this.pin = pin;
        if (downlink != null) {
            downlink.pinVideoLayer(pin);
        }
    }

    private int maxWidth;
    private int maxHeight;

    /** The subscriber's declared maximum video size, kept until its downlink exists. */
    void setMaxVideoSize(int width, int height) {
        maxWidth = width;
        maxHeight = height;
        if (downlink != null) {
            downlink.setMaxVideoSize(width, height);
        }
    }

    /** The downlink, or null before the first subscription. */
    Downlink downlink() {
        return downlink;
    }

    /** Registers a published track; simulcast needs the MID and RID extensions negotiated. */
    void addPublished(PublishedTrack track) {
        PublishedTrackSpec spec = track.spec;
        if (spec.simulcast()) {
            if (spec.midExtId() <= 0 || spec.ridExtId() <= 0) {
                throw new IllegalArgumentException("simulcast track " + spec.trackId()
                        + " needs the MID and RID header extensions to tell its layers apart");
            }
            simulcast.add(track);
            midExtId = spec.midExtId();
            ridExtId = spec.ridExtId();
            repairedRidExtId = spec.repairedRidExtId();
        } else {
            published.put((int) spec.ssrc(), track);
            if (spec.rtxSsrc() != 0) {
                published.put((int) spec.rtxSsrc(), track);
            }
        }
        if (spec.transportCcId() > 0 && transportFeedback == null) {
            transportCcId = spec.transportCcId();
            transportFeedback = new TransportFeedbackGenerator(rtcpSsrc);
        }
    }

    /** Every track this endpoint publishes, once each. */
    Set<PublishedTrack> ownTracks() {
        Set<PublishedTrack> own = new LinkedHashSet<>(published.values());
        own.addAll(simulcast);
        return own;
    }

    /** Records the packet's transport-wide sequence number: every packet counts, whatever its SSRC. */
    void recordTransportSequence(ByteBuf packet, long arrivalMicros) {
        if (transportFeedback == null) {
            return;
        }
        int at = RtpPacket.findExtension(packet, transportCcId);
        if (at >= 0 && RtpPacket.extensionLength(packet, transportCcId) == 2) {
            transportFeedback.onPacket(packet.getUnsignedShort(at), arrivalMicros);
        }
    }

    /** The track of an SSRC, learning simulcast layers (RFC 8852) as new SSRCs appear; null if none. */
    PublishedTrack trackOf(ByteBuf packet, int ssrc) {
        PublishedTrack track = published.get(ssrc);
        if (track != null || simulcast.isEmpty()) {
            return track;
        }
        int midAt = RtpPacket.findExtension(packet, midExtId);
        int ridAt = RtpPacket.findExtension(packet, ridExtId);
        // A layer's RTX stream names its layer with the repaired RID instead (RFC 8852 §3.2).
        boolean repair = ridAt < 0 && repairedRidExtId > 0;
        if (repair) {
            ridAt = RtpPacket.findExtension(packet, repairedRidExtId);
        }
        if (midAt < 0 || ridAt < 0) {
            return null;
        }
        String mid = packet.toString(midAt, RtpPacket.extensionLength(packet, midExtId), StandardCharsets.US_ASCII);
        String rid = packet.toString(ridAt, RtpPacket.extensionLength(packet, repair ? repairedRidExtId : ridExtId),
                StandardCharsets.US_ASCII);
        for (PublishedTrack t : simulcast) {
            if (mid.equals(t.spec.mid())) {
                int layer = t.layerOfRid(rid);
                if (layer < 0) {
                    return null;
                }
                if (repair) {
                    t.learnRtxLayer(layer, ssrc);
                } else {
                    t.learnLayer(layer, ssrc);
                }
                published.put(ssrc, t);
                return t;
            }
        }
        return null;
    }

    /** Sends the transport-wide CC feedback gathered since the last call. */
    void sendTransportFeedback() {
        if (transportFeedback == null || !transportFeedback.hasPending() || !transport.isConnected()
                || published.isEmpty()) {
            return;
        }
        ByteBuf out = transport.alloc().directBuffer(1200);
        if (transportFeedback.write(out, published.keySet().iterator().next()) > 0) {
            transport.sendRtcp(out);
        } else {
            out.release();
        }
    }

    /** RFC 3550 §6.4.2 receiver report: one block per received SSRC (every simulcast layer), at most 31. */
    void sendReceiverReport(long nowMillis) {
        if (!transport.isConnected() || published.isEmpty()) {
            return;
        }
        Set<PublishedTrack> own = ownTracks();
        int count = 0;
        for (PublishedTrack track : own) {
            for (int l = 0; l < track.layerCount; l++) {
                count += track.statistics[l].started() ? 1 : 0;
            }
        }
        count = Math.min(count, ReceiverReport.MAX_REPORT_BLOCKS);
        if (count == 0) {
            return;
        }
        ByteBuf rr = transport.alloc().directBuffer(ReceiverReport.FIXED_SIZE + count * ReportBlock.SIZE
                + PeerTransport.SRTP_OVERHEAD);
        ReceiverReport.write(rr, rtcpSsrc, count);
        int written = 0;
        for (PublishedTrack track : own) {
            for (int l = 0; l < track.layerCount && written < count; l++) {
                if (track.statistics[l].started()) {
                    track.statistics[l].writeReportBlock(rr, track.layerSsrc[l], nowMillis * 1000);
                    written++;
                }
            }
        }
        transport.sendRtcp(rr);
    }
}
