package dev.prism.loadtest;

import dev.prism.srtp.SrtpProfile;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.io.PrintStream;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one load test: connects the publishers, then ramps the viewers up a few at a time, warms up
 * (JIT, first key frames), measures for the configured duration with a progress line every second
 * (rates, loss and latency of that second), and tears everything down
 * (DELETE on every WHIP/WHEP resource; on Janus the room and session are destroyed, see
 * {@link JanusRoom}). All clients' media runs on {@code threads} Netty event
 * loops; set-ups and DTLS handshakes run on virtual threads.
 */
public final class LoadRun {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final long CONNECT_TIMEOUT_SECONDS = 20;
    /** The benchmark's latency bound: progress lines count the viewers whose p99 in that second exceeds it. */
    private static final long SLOW_VIEWER_P99_MICROS = 50_000;
    /** How often the warm-up scrapes Prism's metrics (a Prometheus server scrapes every 15 s or so). */
    private static final long WARM_SCRAPE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final LoadConfig config;
    private final PrintStream out;
    private final List<WhipPublisher> publishers = new ArrayList<>();
    private final ConcurrentLinkedQueue<WhepViewer> viewers = new ConcurrentLinkedQueue<>();
    private final AtomicInteger publishersUp = new AtomicInteger();
    private final AtomicInteger viewersUp = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final ServerMetricsWindow serverMetrics;
    private volatile String firstFailure;
    private long progressNanos;
    private WhepViewer.Stats progressTotals = WhepViewer.Stats.ZERO;
    private long progressKeyFrames;
    private long progressKeyRequests;

    private LoadRun(LoadConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
        this.serverMetrics = ServerMetricsWindow.of(config, out);
    }

    /** Runs the load described by {@code config}; progress lines go to {@code out}. */
    public static LoadReport run(LoadConfig config, PrintStream out) throws Exception {
        return new LoadRun(config, out).run();
    }

    static String randomToken(int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return s.toString();
    }

    private LoadReport run() throws Exception {
        InetAddress host = InetAddress.getByName(config.url().getHost());
        WhipWhepClient client = new WhipWhepClient(config.url(), config.token(), config.key(), config.secret());
        JanusRoom janus = config.sfu() == LoadConfig.Sfu.JANUS ? new JanusRoom(config.url()) : null;
        EventLoopGroup group = LoadTransport.newGroup(config.threads());
        ExecutorService tasks = Executors.newVirtualThreadPerTaskExecutor();
        String tag = randomToken(4);
        try {
            long rampStart = System.nanoTime();
            progressNanos = rampStart;
            Semaphore parallel = new Semaphore(config.rampParallel());
            List<CompletableFuture<?>> setups = new ArrayList<>();
            for (int i = 0; i < config.publishers(); i++) {
                WhipPublisher p = new WhipPublisher("load-pub-" + tag + "-" + i, config.videoBitrate(), config.layers(),
                        config.publisherPacing());
                publishers.add(p);
                EventLoop loop = group.next();
                setups.add(CompletableFuture.runAsync(() -> setUp(parallel, publishersUp,
                        () -> janus != null ? janus.publish(p, host, loop, tasks)
                                : p.connect(client, config.room(), host, loop, tasks)), tasks));
            }
            awaitRamp(setups, rampStart, "publishers");
            if (publishersUp.get() == 0) {
                throw new IllegalStateException("no publisher connected: " + firstFailure);
            }
            setups.clear();
            for (int i = 0; i < config.viewers(); i++) {
                WhepViewer v = new WhepViewer("load-view-" + tag + "-" + i, config.viewerTwcc());
                EventLoop loop = group.next();
                setups.add(CompletableFuture.runAsync(() -> setUp(parallel, viewersUp, () -> {
                    CompletableFuture<Void> ready = janus != null ? janus.view(v, host, loop, tasks, config.viewerTop())
                            : v.connect(client, config.room(), host, loop, tasks, publishersUp.get(), config.viewerTop());
                    viewers.add(v);
                    return ready;
                }), tasks));
            }
            awaitRamp(setups, rampStart, "viewers");
            warmUp();
            return measure();
        } finally {
            tearDown(client, tasks);
            if (janus != null) {
                if (janus.hangups() > 0) {
                    out.println("load: janus hung up " + janus.hangups() + " handle(s) during the run");
                }
                janus.close();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            tasks.shutdownNow();
        }
    }

    private interface Connect {
        CompletableFuture<Void> start() throws Exception;
    }

    private void setUp(Semaphore parallel, AtomicInteger up, Connect connect) {
        try {
            parallel.acquire();
            try {
                connect.start().get(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                up.incrementAndGet();
            } finally {
                parallel.release();
            }
        } catch (Exception e) {
            failures.incrementAndGet();
            if (firstFailure == null) {
                Throwable cause = e.getCause() != null && e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
                firstFailure = cause.toString();
                out.println("load: a client failed to connect: " + firstFailure);
            }
        }
    }

    private void awaitRamp(List<CompletableFuture<?>> setups, long rampStart, String what) throws Exception {
        CompletableFuture<Void> all = CompletableFuture.allOf(setups.toArray(new CompletableFuture[0]));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60 + setups.size() / 2);
        while (!all.isDone()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("ramp-up of " + what + " did not finish in time");
            }
            try {
                all.get(1, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                progress("ramp", rampStart);
            }
        }
    }

    /**
     * Lets JIT compilation and the viewers' first key frames settle before the measured window;
     * scrapes Prism's metrics now and then, so that the window's own scrapes run compiled code.
     */
    private void warmUp() throws InterruptedException {
        long start = System.nanoTime();
        long end = start + config.warmup().toNanos();
        long nextScrape = start;
        while (System.nanoTime() < end) {
            if (System.nanoTime() - nextScrape >= 0 && end - System.nanoTime() > WARM_SCRAPE_INTERVAL_NANOS) {
                serverMetrics.warm();
                nextScrape = System.nanoTime() + WARM_SCRAPE_INTERVAL_NANOS;
            }
            Thread.sleep(Math.max(1, Math.min(1000, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
            if (end - System.nanoTime() > 100_000_000L) {
                progress("warm-up", start);
            }
        }
    }

    private LoadReport measure() throws Exception {
        List<WhepViewer> ready = new ArrayList<>();
        for (WhepViewer v : viewers) {
            if (v.isReady()) {
                ready.add(v);
            }
        }
        // Scraped before the server's CPU time is read (and the end after it): a scrape is not forwarding.
        serverMetrics.start();
        List<WhepViewer.Stats> before = snapshot(ready);
        for (WhepViewer v : ready) {
            v.resetLatency();
        }
        long pubBytes0 = publishedBytes();
        long pubTop0 = publishedTopLayerPackets();
        ProcessStats server0 = config.serverPid() > 0 ? ProcessStats.read(config.serverPid()) : null;
        ProcessStats self0 = ProcessStats.read(ProcessHandle.current().pid());
        long t0 = System.nanoTime();
        long end = t0 + config.duration().toNanos();
        progressNanos = t0;
        progressTotals = WhepViewer.Stats.total(before);
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                break;
            }
            Thread.sleep(Math.min(1000, TimeUnit.NANOSECONDS.toMillis(left) + 1));
            if (end - System.nanoTime() > 100_000_000L) {
                progress("run", t0);
            }
        }
        List<WhepViewer.Stats> after = snapshot(ready);
        double seconds = (System.nanoTime() - t0) / 1e9;
        ProcessStats server1 = config.serverPid() > 0 ? ProcessStats.read(config.serverPid()) : null;
        ProcessStats self1 = ProcessStats.read(ProcessHandle.current().pid());
        ServerMetricsWindow.Figures sm = serverMetrics.end();
        long pubBytes = publishedBytes() - pubBytes0;
        long pubTop = publishedTopLayerPackets() - pubTop0;

        double lossMin = Double.MAX_VALUE;
        double lossMax = 0;
        double lossSum = 0;
        double deliveredMin = Double.MAX_VALUE;
        long minVideo = Long.MAX_VALUE;
        int withoutVideo = 0;
        int onTop = 0;
        LatencyHistogram latency = new LatencyHistogram();
        for (int i = 0; i < ready.size(); i++) {
            WhepViewer.Stats d = after.get(i).minus(before.get(i));
            double loss = d.expected() <= 0 ? 0 : 100.0 * d.lost() / d.expected();
            lossMin = Math.min(lossMin, loss);
            lossMax = Math.max(lossMax, loss);
            lossSum += loss;
            if (pubTop > 0) {
                deliveredMin = Math.min(deliveredMin, 100.0 * (d.videoPackets() + d.audioPackets()) / pubTop);
            }
            minVideo = Math.min(minVideo, d.videoPackets());
            withoutVideo += d.videoPackets() == 0 ? 1 : 0;
            onTop += d.mainLayer() == WhepViewer.LAYERS - 1 ? 1 : 0;
            latency.add(ready.get(i).latency());
        }
        WhepViewer.Stats total = WhepViewer.Stats.total(after).minus(WhepViewer.Stats.total(before));
        // Media before keys arrives while a viewer connects, and every viewer measured had its keys
        // before the window: over the window it would always be 0, so it is counted from the start.
        long earlyMedia = WhepViewer.Stats.total(after).earlyMedia();
        long keyRequests = 0;
        long keyFrames = 0;
        long retransmitted = 0;
        long publisherTwcc = 0;
        for (WhipPublisher p : publishers) {
            publisherTwcc += p.feedbackPackets();
            keyRequests += p.keyFrameRequests();
            keyFrames += p.keyFramesSent();
            retransmitted += p.retransmitted();
        }
        int n = ready.size();
        long layered = 0;
        for (long p : total.layerPackets()) {
            layered += p;
        }
        double cpu = ProcessStats.secondsBetween(server0, server1, ProcessStats::cpuNanos);
        double selfCpu = ProcessStats.secondsBetween(self0, self1, ProcessStats::cpuNanos);
        double media = ProcessStats.secondsBetween(server0, server1, ProcessStats::mediaNanos) / seconds;
        double jit = ProcessStats.secondsBetween(server0, server1, ProcessStats::jitNanos) / seconds;
        double gc = ProcessStats.secondsBetween(server0, server1, ProcessStats::gcNanos) / seconds;
        return new LoadReport(publishersUp.get(), config.publishers(), n, config.viewers(),
                config.viewers() - n, seconds,
                (total.videoPackets() + total.audioPackets()) / seconds, total.videoPackets() / seconds,
                total.bytes() * 8 / seconds / 1e6, pubBytes * 8 / seconds / 1e6,
                n == 0 ? 0 : lossMin, n == 0 ? 0 : lossSum / n, lossMax,
                latency.percentileMicros(50) / 1000.0, latency.percentileMicros(99) / 1000.0,
                latency.maxMicros() / 1000.0, latency.count(), n == 0 ? 0 : minVideo, withoutVideo,
                total.authFailures(), total.replays(), earlyMedia, total.badStamps(), total.nacksSent(), retransmitted,
                keyRequests, keyFrames, server1 != null ? config.serverPid() : 0, cpu, cpu / seconds,
                server1 != null ? server1.rssKb() : 0, server1 != null ? server1.peakRssKb() : 0,
                config.layers(), layered == 0 ? 0 : (double) total.topLayerPackets() / layered, onTop,
                total.layerPackets()[0], total.layerPackets()[1], total.layerPackets()[2], total.twccFeedbacks(),
                publisherTwcc, selfCpu / seconds, total.duplicates(), media, jit, gc,
                profiles(publishers.stream().map(p -> p.peer() == null ? null : p.peer().srtpProfile()).toList()),
                profiles(ready.stream().map(WhepViewer::srtpProfile).toList()),
                config.viewerTop() && n > 0 && pubTop > 0 ? deliveredMin : Double.NaN,
                sm.allocBytesPerPacket(), sm.delayP50Ms(), sm.delayP99Ms(), sm.delaySamples());
    }

    /**
     * Packets the publishers first sent on their top video layer and on audio, since start: what
     * each viewer pinned to the top layer should receive. A server that drops packets before it
     * renumbers them leaves no gap for the viewers' loss figure; this count shows them.
     */
    private long publishedTopLayerPackets() {
        long n = 0;
        for (WhipPublisher p : publishers) {
            n += p.topLayerPacketsSent + p.audioPacketsSent;
        }
        return n;
    }

    /** The distinct SRTP profiles negotiated, e.g. "AEAD_AES_128_GCM", or "none" before any handshake completed. */
    static String profiles(List<SrtpProfile> negotiated) {
        TreeSet<String> names = new TreeSet<>();
        for (SrtpProfile p : negotiated) {
            if (p != null) {
                names.add(p.name());
            }
        }
        return names.isEmpty() ? "none" : String.join("+", names);
    }

    private long publishedBytes() {
        long b = 0;
        for (WhipPublisher p : publishers) {
            b += p.bytesSent;
        }
        return b;
    }

    private static List<WhepViewer.Stats> snapshot(List<WhepViewer> list) throws Exception {
        List<CompletableFuture<WhepViewer.Stats>> fs = new ArrayList<>();
        for (WhepViewer v : list) {
            fs.add(v.stats());
        }
        List<WhepViewer.Stats> out = new ArrayList<>();
        for (CompletableFuture<WhepViewer.Stats> f : fs) {
            out.add(f.get(5, TimeUnit.SECONDS));
        }
        return out;
    }

    /** One line: elapsed time, clients up, receive rate since the last line, loss, latency so far. */
    private void progress(String phase, long since) {
        if (!config.progress()) {
            return;
        }
        try {
            List<WhepViewer> up = new ArrayList<>();
            for (WhepViewer v : viewers) {
                if (v.isReady()) {
                    up.add(v);
                }
            }
            WhepViewer.Stats totals = WhepViewer.Stats.total(snapshot(up));
            long now = System.nanoTime();
            double dt = Math.max(1e-3, (now - progressNanos) / 1e9);
            WhepViewer.Stats d = totals.minus(progressTotals);
            progressNanos = now;
            progressTotals = totals;
            long keyFrames = 0;
            long keyRequests = 0;
            for (WhipPublisher p : publishers) {
                keyFrames += p.keyFramesSent();
                keyRequests += p.keyFrameRequests();
            }
            long newKeyFrames = keyFrames - progressKeyFrames;
            long newKeyRequests = keyRequests - progressKeyRequests;
            progressKeyFrames = keyFrames;
            progressKeyRequests = keyRequests;
            LatencyHistogram latency = new LatencyHistogram();
            int slow = 0;
            for (WhepViewer v : up) {
                LatencyHistogram recent = v.takeRecent();
                latency.add(recent);
                slow += recent.percentileMicros(99) > SLOW_VIEWER_P99_MICROS ? 1 : 0;
            }
            out.println(String.format(Locale.ROOT,
                    "[%s %5.1fs] publishers %d/%d viewers %d/%d failed %d | rx %.0f pkt/s %.2f Mbit/s | loss %.3f %% "
                            + "| latency p50 %.2f ms p99 %.2f ms, viewers over 50 ms at p99 %d "
                            + "| key frames asked %d sent %d | auth failures %d",
                    phase, (now - since) / 1e9, publishersUp.get(), config.publishers(), viewersUp.get(),
                    config.viewers(), failures.get(), (d.videoPackets() + d.audioPackets()) / dt,
                    d.bytes() * 8 / dt / 1e6, d.expected() <= 0 ? 0.0 : 100.0 * Math.max(0, d.lost()) / d.expected(),
                    latency.percentileMicros(50) / 1000.0, latency.percentileMicros(99) / 1000.0, slow, newKeyRequests, newKeyFrames,
                    totals.authFailures()));
        } catch (Exception e) {
            out.println("[" + phase + "] progress unavailable: " + e);
        }
    }

    private void tearDown(WhipWhepClient client, ExecutorService tasks) {
        List<CompletableFuture<?>> deletes = new ArrayList<>();
        Semaphore parallel = new Semaphore(16);
        for (WhepViewer v : viewers) {
            v.close();
            deletes.add(CompletableFuture.runAsync(() -> delete(parallel, client, v.session()), tasks));
        }
        for (WhipPublisher p : publishers) {
            p.close();
            deletes.add(CompletableFuture.runAsync(() -> delete(parallel, client, p.session()), tasks));
        }
        try {
            CompletableFuture.allOf(deletes.toArray(new CompletableFuture[0])).get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            out.println("load: some sessions were not deleted: " + e);
        }
    }

    private static void delete(Semaphore parallel, WhipWhepClient client, WhipWhepClient.Session s) {
        try {
            parallel.acquire();
            try {
                client.delete(s);
            } finally {
                parallel.release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
