package dev.prism.api.metrics;

import dev.prism.sfu.room.Room;
import dev.prism.sfu.room.RoomRegistry;
import dev.prism.sfu.transport.TransportCounters;
import dev.prism.sfu.worker.MediaWorker;
import dev.prism.signaling.http.RejectionCounters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToIntFunction;

/**
 * The server's meters in Prometheus form at {@code /metrics}. The media plane counts in plain
 * adders on its own threads; these meters only read them when scraped. Names are documented in
 * the README ("Metrics").
 */
public final class PrismMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    /** Codes whose counters are registered (scrapes run on any Vert.x thread). */
    private final Set<String> rejectionCodes = ConcurrentHashMap.newKeySet();
    private final Set<String> refusalCodes = ConcurrentHashMap.newKeySet();

    public PrismMetrics(RoomRegistry rooms, RejectionCounters signaling) {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);

        Gauge.builder("prism.rooms", rooms, r -> r.rooms().size()).description("rooms open").register(registry);
        roomGauge("prism.transports", "peer connections (ICE/DTLS transports)", rooms, Room::transportCount);
        roomGauge("prism.published.tracks", "tracks published into rooms", rooms, Room::trackCount);
        roomGauge("prism.subscriptions", "tracks sent to subscribers (down-tracks)", rooms, Room::subscriptionCount);

        TransportCounters c = rooms.counters();
        counter("prism.datagrams.received", "UDP datagrams received on media ports", c.datagramsIn);
        counter("prism.bytes.received", "bytes received on media ports", c.bytesIn);
        counter("prism.datagrams.sent", "UDP datagrams sent from media ports", c.datagramsOut);
        counter("prism.bytes.sent", "bytes sent from media ports", c.bytesOut);
        counter("prism.packets.forwarded", "RTP packets copied to subscribers", c.packetsForwarded);
        io.micrometer.core.instrument.FunctionCounter.builder("prism.media.allocated", rooms,
                        r -> r.workers().workers().stream().mapToLong(w -> Math.max(0, w.allocatedBytes())).sum())
                .baseUnit("bytes").description("heap bytes allocated by the media workers' event loops")
                .register(registry);
        counter("prism.keyframe.requests", "PLIs sent to publishers", c.keyframeRequestsSent);
        counter("prism.keyframe.requests.received", "PLIs and FIRs received from subscribers", c.keyframeRequestsReceived);
        counter("prism.nacks.received", "sequence numbers subscribers NACKed", c.nacksReceived);
        counter("prism.nacks.sent", "sequence numbers NACKed to publishers", c.nacksSent);
        counter("prism.retransmissions.sent", "NACKed packets resent from the packet cache", c.retransmissionsSent);
        counter("prism.retransmissions.missed", "NACKed packets no longer in the packet cache", c.retransmissionsMissed);
        counter("prism.retransmissions.capped", "NACKed packets not resent: resent too often already", c.retransmissionsCapped);
        counter("prism.retransmissions.stale", "NACKed packets not resent: they went out after the NACK arrived (it waited in the socket queue)", c.retransmissionsStale);
        counter("prism.retransmissions.received", "retransmissions (RTX) received from publishers", c.retransmissionsReceived);
        counter("prism.layer.switches", "simulcast layer switches made for subscribers", c.layerSwitches);
        counter("prism.bandwidth.probes", "bandwidth probes (RTX padding) started for subscribers", c.probes);
        counter("prism.layers.paused", "simulcast layers publishers were asked to pause (nobody received them)", c.layersPaused);
        counter("prism.layers.resumed", "paused simulcast layers publishers were asked to resume", c.layersResumed);
        for (String stat : new String[] {"min", "median", "max"}) {
            Gauge.builder("prism.subscriber.estimate", rooms, r -> estimate(r, stat)).baseUnit("bits_per_second")
                    .tag("stat", stat).description("subscribers' bandwidth estimates (TWCC or REMB), over all rooms")
                    .register(registry);
        }
        counter("prism.srtp.auth.failures", "SRTP/SRTCP packets failing authentication", c.srtpAuthFailures);
        counter("prism.srtp.replays", "SRTP/SRTCP packets refused as replays", c.srtpReplays);
        counter("prism.srtp.send.refused", "outgoing packets SRTP refused to protect (e.g. a GCM index used twice)",
                c.srtpSendRefused);
        counter("prism.ice.consent.expired", "transports closed for a silent peer: no valid ICE check and no authenticated SRTP/SRTCP for 30 s (RFC 7675)", c.consentExpired);
        counter("prism.dtls.failures", "DTLS handshakes failed or timed out", c.dtlsFailures);
        counter("prism.socket.errors", "errors the media sockets reported, mostly a datagram the kernel refused to send",
                c.socketErrors);
        dropped("stun_bad_credentials", c.stunBadCredentials);
        dropped("stun_malformed", c.stunMalformed);
        dropped("stun_unknown_ufrag", c.stunUnknownUfrag);
        dropped("unknown_source", c.unknownSource);
        dropped("unclassified", c.otherDatagrams);
        dropped("srtp_malformed", c.srtpMalformed);
        dropped("rtp_malformed", c.rtpMalformed);
        dropped("rtcp_malformed", c.rtcpMalformed);
        dropped("before_keys", c.mediaBeforeKeys);
        FunctionTimer.builder("prism.dtls.handshakes", c, x -> x.dtlsHandshakes.sum(),
                        x -> x.dtlsHandshakeNanos.sum(), TimeUnit.NANOSECONDS)
                .description("completed DTLS handshakes, from ICE nomination to SRTP keys").register(registry);
        for (MediaWorker w : rooms.workers().workers()) {
            Gauge.builder("prism.event.loop.lag", w, x -> x.lagNanos() / 1e9).baseUnit("seconds")
                    .tag("worker", Integer.toString(w.index()))
                    .description("how late a media worker's event loop ran a timer").register(registry);
            Gauge.builder("prism.worker.load", w, x -> x.load().cpu()).baseUnit("ratio")
                    .tag("worker", Integer.toString(w.index()))
                    .description("a media worker's loop thread's share of one core, smoothed over a few seconds")
                    .register(registry);
            Gauge.builder("prism.worker.receive.queue", w, x -> x.load().queuedBytes()).baseUnit("bytes")
                    .tag("worker", Integer.toString(w.index()))
                    .description("bytes waiting in a media worker's socket receive queue: it drains at every wake unless behind")
                    .register(registry);
            Gauge.builder("prism.worker.receive.drops", w, x -> x.load().recentDrops())
                    .tag("worker", Integer.toString(w.index()))
                    .description("datagrams the kernel dropped in the last second: the worker's receive queue was full")
                    .register(registry);
            Gauge.builder("prism.worker.behind", w, x -> x.behindNanos() / 1e9).baseUnit("seconds")
                    .tag("worker", Integer.toString(w.index()))
                    .description("how long a media worker's loop has gone without emptying its socket (0: keeping up)")
                    .register(registry);
            Gauge.builder("prism.worker.setups.waiting", w, x -> x.setupGate().waitingNow())
                    .tag("worker", Integer.toString(w.index()))
                    .description("new sessions waiting for a media worker that is behind to catch up")
                    .register(registry);
            FunctionCounter.builder("prism.worker.setups.paced", w, x -> x.setupGate().waited())
                    .tag("worker", Integer.toString(w.index()))
                    .description("new sessions that waited for their media worker to catch up before starting")
                    .register(registry);
            FunctionCounter.builder("prism.worker.setups.wait", w, x -> x.setupGate().waitedNanos() / 1e9)
                    .baseUnit("seconds")
                    .tag("worker", Integer.toString(w.index()))
                    .description("time the sessions that started had waited for their media worker to catch up")
                    .register(registry);
        }
        registry.getPrometheusRegistry().register(new ForwardingDelayCollector(rooms.workers().workers()));
        FunctionCounter.builder("prism.signaling.messages", signaling, RejectionCounters::messages)
                .description("WebSocket messages and WHIP/WHEP requests received").register(registry);
    }

    /** min, median or max of every subscriber's estimate; 0 when there is none. */
    private static double estimate(RoomRegistry rooms, String stat) {
        long[] all = rooms.rooms().stream().flatMapToLong(r -> java.util.Arrays.stream(r.subscriberEstimates()))
                .sorted().toArray();
        if (all.length == 0) {
            return 0;
        }
        return switch (stat) {
            case "min" -> all[0];
            case "max" -> all[all.length - 1];
            default -> all[all.length / 2];
        };
    }

    private void roomGauge(String name, String description, RoomRegistry rooms, ToIntFunction<Room> f) {
        Gauge.builder(name, rooms, r -> r.rooms().stream().mapToInt(f).sum()).description(description).register(registry);
    }

    private void counter(String name, String description, LongAdder adder) {
        FunctionCounter.builder(name, adder, LongAdder::sum).description(description).register(registry);
    }

    private void dropped(String reason, LongAdder adder) {
        FunctionCounter.builder("prism.datagrams.dropped", adder, LongAdder::sum).tag("reason", reason)
                .description("media datagrams dropped, by reason").register(registry);
    }

    /** Webhook deliveries, failed attempts and events given up on. */
    public void webhooks(dev.prism.api.webhook.WebhookNotifier w) {
        counter("prism.webhooks.delivered", "webhook requests answered 2xx", w.delivered);
        counter("prism.webhooks.failed.attempts", "webhook attempts that failed (retried with backoff)", w.failedAttempts);
        counter("prism.webhooks.dropped", "webhook events given up after retries or a full queue", w.dropped);
    }

    /**
     * Counts signaling refusals by code when scraped (codes appear as they happen). Each code's
     * counter is registered once: registering it again at every scrape made Micrometer warn that
     * the registration was ignored.
     */
    private void signalingRejections(RejectionCounters signaling) {
        for (String code : signaling.snapshot().keySet()) {
            if (rejectionCodes.add(code)) {
                FunctionCounter.builder("prism.signaling.rejections", signaling, s -> s.get(code)).tag("code", code)
                        .description("signaling requests and messages refused, by code").register(registry);
            }
        }
    }

    private void limitRefusals(dev.prism.signaling.media.RoomMediaBackend backend) {
        for (String code : backend.refusals().keySet()) {
            if (refusalCodes.add(code)) {
                FunctionCounter.builder("prism.limit.refusals", backend, b -> b.refusals().getOrDefault(code, 0L))
                        .tag("code", code).description("sessions, joins and rooms refused by a limit, by code")
                        .register(registry);
            }
        }
    }

    /** Adds GET /metrics (Prometheus text format), for tokens granting roomList or roomAdmin. */
    public void mount(Router router, RejectionCounters signaling, dev.prism.signaling.auth.AccessTokens tokens,
                      dev.prism.signaling.media.RoomMediaBackend backend) {
        router.get("/metrics").handler(ctx -> {
            String h = ctx.request().getHeader("Authorization");
            String token = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).trim() : null;
            try {
                var grant = tokens.verify(token, System.currentTimeMillis() / 1000);
                if (!grant.roomList() && !grant.roomAdmin()) {
                    ctx.response().setStatusCode(403).end("forbidden: metrics need a token granting roomList\n");
                    return;
                }
            } catch (dev.prism.signaling.auth.TokenException e) {
                ctx.response().setStatusCode(e.status()).end("unauthorized: " + e.getMessage() + "\n");
                return;
            }
            signalingRejections(signaling);
            limitRefusals(backend);
            ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape());
        });
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
