package dev.prism.loadtest;

import java.util.Locale;

/**
 * The outcome of one load run over its measured window (after every client connected), as text
 * for people and one JSON line for scripts. Loss is per viewer over all streams it receives;
 * latency is the time from a publisher stamping a payload to a viewer decrypting it, through the
 * SFU, on the same machine (so it includes both clients' scheduling). Server CPU and memory are
 * present only with {@code --server-pid}; when that pid is the load tool's own (in-process tests)
 * the CPU figure includes the clients'. Simulcast: {@code viewerTopLayerShare} is the fraction of
 * the viewers' video packets (with a readable stamp) that came from the publishers' top layer,
 * {@code viewersOnTopLayer} how many viewers got most of their video from it, and
 * {@code layer*Packets} the viewers' video packets per layer (a single stream counts as f).
 * {@code clientCores} is the load tool's own CPU share over the window: near 1 (one core) its
 * clients queue what the SFU sends, and the latency figures include that wait (in-process tests:
 * the server's CPU too). {@code serverMediaCores}, {@code serverJitCores} and {@code serverGcCores}
 * split the server's CPU share by thread ({@link ProcessStats}): Prism's media loops, the JIT
 * compilers, the garbage collector (0 for a server without such threads). {@code publisherSrtp} and
 * {@code viewerSrtp} name the SRTP profiles the DTLS handshakes chose ("+"-joined when they
 * differ): the cipher is part of each server's cost per packet. {@code deliveredMinPercent} is,
 * for viewers pinned to the top layer, the lowest viewer's packets over what the publishers first
 * sent on their top layer and audio in the window (NaN otherwise): a server that drops packets
 * before renumbering them leaves no gap for the loss figure, and shows here. Prism only, from its
 * {@code /metrics} at the window's start and end ({@link ServerMetricsWindow}; NaN, samples -1,
 * otherwise): {@code serverWindowAllocBytesPerPacket}, heap bytes its media loops allocated per
 * forwarded packet (bench/run.sh's {@code serverAllocBytesPerPacket} is the same ratio from server
 * start), and its own forwarding delay p50/p99 over
 * {@code serverDelaySamples} packets. {@code earlyMedia}: SRTP/SRTCP the measured viewers received
 * before their DTLS handshake gave keys, dropped undecrypted; over the whole run, not the window,
 * since a viewer measured has its keys before the window starts.
 */
public record LoadReport(
        int publishers, int publishersRequested, int viewers, int viewersRequested, int viewersFailed,
        double seconds, double packetsPerSecond, double videoPacketsPerSecond, double throughputMbps,
        double publishedMbps, double lossMinPercent, double lossAvgPercent, double lossMaxPercent,
        double latencyP50Millis, double latencyP99Millis, double latencyMaxMillis, long latencySamples,
        long minViewerVideoPackets, int viewersWithoutVideo, long authFailures, long replays, long earlyMedia,
        long badStamps, long nacksSent, long retransmitted, long keyFrameRequests, long keyFramesSent,
        long serverPid, double serverCpuSeconds, double serverCores, long serverRssKb, long serverPeakRssKb,
        int layers, double viewerTopLayerShare, int viewersOnTopLayer, long layerQPackets, long layerHPackets,
        long layerFPackets, long twccFeedbackSent, long publisherTwccReceived, double clientCores, long duplicates,
        double serverMediaCores, double serverJitCores, double serverGcCores, String publisherSrtp,
        String viewerSrtp, double deliveredMinPercent, double serverWindowAllocBytesPerPacket, double serverDelayP50Ms,
        double serverDelayP99Ms, long serverDelaySamples) {

    /** Viewers one fully busy server core would carry at this rate, or NaN without CPU figures. */
    public double viewersPerCore() {
        return serverCores > 0 ? viewers / serverCores : Double.NaN;
    }

    public String text() {
        StringBuilder s = new StringBuilder();
        s.append(f("publishers       %d/%d, viewers %d/%d (%d failed), measured %.1f s%n", publishers,
                publishersRequested, viewers, viewersRequested, viewersFailed, seconds));
        s.append(f("received         %.0f packets/s (%.0f video), %.2f Mbit/s; published %.2f Mbit/s%n",
                packetsPerSecond, videoPacketsPerSecond, throughputMbps, publishedMbps));
        s.append(f("loss per viewer  min %.3f %%, avg %.3f %%, max %.3f %%%n", lossMinPercent, lossAvgPercent, lossMaxPercent));
        if (!Double.isNaN(deliveredMinPercent)) {
            s.append(f("delivered        min %.2f %% of what the publishers sent on the top layer and audio (drops a "
                    + "server renumbers over are not loss above)%n", deliveredMinPercent));
        }
        s.append(f("added latency    p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d samples)%n", latencyP50Millis,
                latencyP99Millis, latencyMaxMillis, latencySamples));
        s.append(f("video            fewest packets at one viewer %d, viewers without video %d%n",
                minViewerVideoPackets, viewersWithoutVideo));
        s.append(f("errors           SRTP auth failures %d, replays %d, early (before keys, whole run) %d, unreadable "
                + "payloads %d%n", authFailures, replays, earlyMedia, badStamps));
        s.append(f("feedback         NACKed %d, second copies received %d; whole run: retransmitted %d, key frame "
                        + "requests %d, key frames sent %d%n",
                nacksSent, duplicates, retransmitted, keyFrameRequests, keyFramesSent));
        s.append(f("simulcast        %d layer(s) published; viewer video from the top layer %.1f %%, %d/%d viewers mostly on "
                        + "it; packets q %d, h %d, f %d%n", layers, 100 * viewerTopLayerShare, viewersOnTopLayer, viewers,
                layerQPackets, layerHPackets, layerFPackets));
        s.append(f("congestion ctl   viewers sent %d transport-wide CC feedback packets; publishers got %d (whole run)%n",
                twccFeedbackSent, publisherTwccReceived));
        s.append(f("SRTP             publishers %s, viewers %s%n", publisherSrtp, viewerSrtp));
        // Prism's own view of the window (/metrics), each part only when the server reported it.
        java.util.List<String> server = new java.util.ArrayList<>();
        if (!Double.isNaN(serverDelayP50Ms)) {
            server.add(f("forwarding delay p50 %.2f ms, p99 %.2f ms (%d samples)", serverDelayP50Ms, serverDelayP99Ms,
                    serverDelaySamples));
        }
        if (!Double.isNaN(serverWindowAllocBytesPerPacket)) {
            server.add(f("%.1f B allocated per forwarded packet", serverWindowAllocBytesPerPacket));
        }
        if (!server.isEmpty()) {
            s.append("server           ").append(String.join("; ", server)).append(System.lineSeparator());
        }
        s.append(f("load tool        CPU %.2f cores (near one core its clients queue what arrives: latency includes it)%n",
                clientCores));
        if (serverPid > 0) {
            s.append(f("server pid %d     CPU %.2f s (%.2f cores), RSS %.1f MiB (peak %.1f MiB), %.0f viewers per core (linear extrapolation)%n",
                    serverPid, serverCpuSeconds, serverCores, serverRssKb / 1024.0, serverPeakRssKb / 1024.0,
                    viewersPerCore()));
            s.append(f("server threads   media loops %.2f cores, JIT compilers %.2f, garbage collector %.2f, other %.2f%n",
                    serverMediaCores, serverJitCores, serverGcCores,
                    Math.max(0, serverCores - serverMediaCores - serverJitCores - serverGcCores)));
        }
        return s.toString();
    }

    public String json() {
        return f("{\"publishers\":%d,\"publishersRequested\":%d,\"viewers\":%d,\"viewersRequested\":%d,"
                        + "\"viewersFailed\":%d,\"seconds\":%.3f,\"packetsPerSecond\":%.1f,\"videoPacketsPerSecond\":%.1f,"
                        + "\"throughputMbps\":%.3f,\"publishedMbps\":%.3f,\"lossMinPercent\":%.4f,\"lossAvgPercent\":%.4f,"
                        + "\"lossMaxPercent\":%.4f,\"latencyP50Ms\":%.3f,\"latencyP99Ms\":%.3f,\"latencyMaxMs\":%.3f,"
                        + "\"latencySamples\":%d,\"minViewerVideoPackets\":%d,\"viewersWithoutVideo\":%d,"
                        + "\"authFailures\":%d,\"replays\":%d,\"earlyMedia\":%d,\"badStamps\":%d,\"nacksSent\":%d,"
                        + "\"retransmitted\":%d,"
                        + "\"keyFrameRequests\":%d,\"keyFramesSent\":%d,\"serverPid\":%s,\"serverCpuSeconds\":%s,"
                        + "\"serverCores\":%s,\"serverRssKb\":%s,\"serverPeakRssKb\":%s,\"viewersPerCore\":%s,"
                        + "\"layers\":%d,\"viewerTopLayerShare\":%.4f,\"viewersOnTopLayer\":%d,\"layerQPackets\":%d,"
                        + "\"layerHPackets\":%d,\"layerFPackets\":%d,\"twccFeedbackSent\":%d,\"publisherTwccReceived\":%d,"
                        + "\"clientCores\":%.4f,\"duplicates\":%d,\"serverMediaCores\":%s,\"serverJitCores\":%s,"
                        + "\"serverGcCores\":%s,\"publisherSrtp\":\"%s\",\"viewerSrtp\":\"%s\",\"deliveredMinPercent\":%s,"
                        + "\"serverWindowAllocBytesPerPacket\":%s,\"serverDelayP50Ms\":%s,\"serverDelayP99Ms\":%s,"
                        + "\"serverDelaySamples\":%s}",
                publishers, publishersRequested, viewers, viewersRequested, viewersFailed, seconds, packetsPerSecond,
                videoPacketsPerSecond, throughputMbps, publishedMbps, lossMinPercent, lossAvgPercent, lossMaxPercent,
                latencyP50Millis, latencyP99Millis, latencyMaxMillis, latencySamples, minViewerVideoPackets,
                viewersWithoutVideo, authFailures, replays, earlyMedia, badStamps, nacksSent, retransmitted,
                keyFrameRequests, keyFramesSent, serverPid > 0 ? Long.toString(serverPid) : "null",
                serverPid > 0 ? f("%.3f", serverCpuSeconds) : "null", serverPid > 0 ? f("%.4f", serverCores) : "null",
                serverPid > 0 ? Long.toString(serverRssKb) : "null", serverPid > 0 ? Long.toString(serverPeakRssKb) : "null",
                serverPid > 0 && serverCores > 0 ? f("%.1f", viewersPerCore()) : "null", layers, viewerTopLayerShare,
                viewersOnTopLayer, layerQPackets, layerHPackets, layerFPackets, twccFeedbackSent, publisherTwccReceived,
                clientCores, duplicates, serverPid > 0 ? f("%.4f", serverMediaCores) : "null",
                serverPid > 0 ? f("%.4f", serverJitCores) : "null", serverPid > 0 ? f("%.4f", serverGcCores) : "null",
                publisherSrtp, viewerSrtp, orNull("%.3f", deliveredMinPercent), orNull("%.2f", serverWindowAllocBytesPerPacket),
                orNull("%.4f", serverDelayP50Ms), orNull("%.4f", serverDelayP99Ms),
                serverDelaySamples < 0 ? "null" : Long.toString(serverDelaySamples));
    }

    /** A figure, or JSON null where it was not measured. */
    private static String orNull(String format, double v) {
        return Double.isNaN(v) ? "null" : f(format, v);
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
