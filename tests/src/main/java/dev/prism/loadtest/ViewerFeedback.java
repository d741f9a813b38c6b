package dev.prism.loadtest;

import dev.prism.rtcp.ReceiverReport;
import dev.prism.rtcp.ReportBlock;
import dev.prism.rtcp.RtcpFeedback;
import dev.prism.rtcp.TransportLayerNack;
import dev.prism.rtp.RtpHeaderExtensions;
import dev.prism.sfu.cc.TransportFeedbackGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * What a synthetic viewer sends back, as a browser does: a receiver report every second, NACKs for
 * gaps in video every 25 ms (each sequence number at most three times, {@link ReceiveStream}
 * decides) and, when transport-wide-cc was negotiated, transport-wide CC feedback every 50 ms
 * (the server's own {@link TransportFeedbackGenerator}, reporting every arrival). Loop thread only.
 */
final class ViewerFeedback {
    static final long NACK_TICK_MILLIS = 25;
    static final long TWCC_TICK_MILLIS = 50;

    private final int rtcpSsrc = ThreadLocalRandom.current().nextInt();
    private final ReceiveStream[] streams;
    private final boolean[] nackable;
    private final int twccId;
    private final TransportFeedbackGenerator twcc;
    private final int[] nackSeqs = new int[64];
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();
    private SecurePeer peer;
    private long nacksSent;
    private long twccFeedbacks;

    /**
     * @param nackable per stream: NACK its gaps (video with nack negotiated)
     * @param twccId   the transport-wide sequence number's extension id, or -1 for no such feedback
     */
    ViewerFeedback(ReceiveStream[] streams, boolean[] nackable, int twccId) {
        this.streams = streams;
        this.nackable = nackable;
        this.twccId = twccId;
        this.twcc = twccId > 0 ? new TransportFeedbackGenerator(rtcpSsrc) : null;
    }

    /** Nothing to expect yet, nothing to report. */
    static ViewerFeedback none() {
        return new ViewerFeedback(new ReceiveStream[0], new boolean[0], -1);
    }

    /** Every RTP packet that arrives, before its SSRC is known: the SFU's probes and padding count too. */
    void onArrival(ByteBuf packet, long arrivalNanos) {
        if (twcc == null) {
            return;
        }
        long ext = RtpHeaderExtensions.find(packet, twccId);
        if (ext >= 0 && RtpHeaderExtensions.dataLength(ext) == 2) {
            twcc.onPacket(packet.getUnsignedShort(RtpHeaderExtensions.dataIndex(ext)), arrivalNanos / 1000);
        }
    }

    /** Starts the timers on {@code peer}'s loop once it is connected. */
    void start(SecurePeer peer) {
        EventLoop loop = peer.loop();
        loop.execute(() -> {
            this.peer = peer;
            timers.add(loop.scheduleAtFixedRate(this::receiverReports, 1, 1, TimeUnit.SECONDS));
            timers.add(loop.scheduleAtFixedRate(this::nacks, NACK_TICK_MILLIS, NACK_TICK_MILLIS, TimeUnit.MILLISECONDS));
            if (twcc != null) {
                timers.add(loop.scheduleAtFixedRate(this::transportFeedback, TWCC_TICK_MILLIS, TWCC_TICK_MILLIS,
                        TimeUnit.MILLISECONDS));
            }
        });
    }

    /** Stops the timers (on the loop). */
    void stop(EventLoop loop) {
        loop.execute(() -> timers.forEach(t -> t.cancel(false)));
    }

    long nacksSent() {
        return nacksSent;
    }

    long twccFeedbacks() {
        return twccFeedbacks;
    }

    /** RR with a block per stream that has started, 31 blocks per RR (RFC 3550 §6.4.2). */
    private void receiverReports() {
        long now = System.nanoTime();
        int started = 0;
        for (ReceiveStream s : streams) {
            started += s.started() ? 1 : 0;
        }
        int i = 0;
        do {
            int blocks = Math.min(ReceiverReport.MAX_REPORT_BLOCKS, started);
            started -= blocks;
            ByteBuf b = peer.buffer(ReceiverReport.FIXED_SIZE + blocks * ReportBlock.SIZE);
            ReceiverReport.write(b, rtcpSsrc, blocks);
            for (int written = 0; written < blocks; i++) {
                if (streams[i].started()) {
                    streams[i].writeReportBlock(b, now);
                    written++;
                }
            }
            peer.writeRtcp(b);
        } while (started > 0);
        peer.flush();
    }

    /** Generic NACKs (RFC 4585 §6.2.1) for the gaps each video stream wants repaired now. */
    private void nacks() {
        long now = System.nanoTime();
        boolean sent = false;
        for (int i = 0; i < streams.length; i++) {
            if (!nackable[i]) {
                continue;
            }
            int n = streams[i].dueNacks(nackSeqs, now);
            if (n > 0) {
                ByteBuf b = peer.buffer(RtcpFeedback.FIXED_SIZE + TransportLayerNack.PAIR_SIZE * n);
                TransportLayerNack.write(b, rtcpSsrc, streams[i].ssrc, nackSeqs, n);
                peer.writeRtcp(b);
                nacksSent += n;
                sent = true;
            }
        }
        if (sent) {
            peer.flush();
        }
    }

    /** Everything received since the last tick, in as many feedback packets as it takes. */
    private void transportFeedback() {
        int mediaSsrc = streams.length > 0 ? streams[0].ssrc : 0; // libwebrtc names one; the sender matches by transport
        boolean sent = false;
        while (twcc.hasPending()) {
            ByteBuf b = peer.buffer(1200);
            if (twcc.write(b, mediaSsrc) == 0) {
                b.release();
                break;
            }
            peer.writeRtcp(b);
            twccFeedbacks++;
            sent = true;
        }
        if (sent) {
            peer.flush();
        }
    }
}
