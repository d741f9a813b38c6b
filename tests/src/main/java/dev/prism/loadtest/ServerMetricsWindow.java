package dev.prism.loadtest;

import dev.prism.signaling.auth.AccessTokens;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Prism's own figures over the load tool's measured window: {@code /metrics} scraped when the
 * window starts and when it ends, so allocation per packet leaves out connection set-up and the
 * forwarding delay covers the same seconds as the clients' loss and latency. Only for Prism (Janus
 * has no such endpoint); needs {@code --key}/{@code --secret} to sign an admin token. A failed
 * scrape leaves the figures NaN and the run goes on, with one warning line.
 *
 * <p>A scrape costs the server CPU that is not forwarding, and Janus is never scraped: the caller
 * scrapes the start before it reads the server's CPU time and the end after, and {@link #warm}s
 * during the warm-up so the JIT has compiled the scrape's code before the window (the first scrape
 * of a fresh server took about 100 ms of CPU, later ones about 20 ms; the compilations it set off
 * ran on into the window).
 */
final class ServerMetricsWindow {
    static final String ALLOCATED = "prism_media_allocated_bytes_total";
    static final String FORWARDED = "prism_packets_forwarded_total";
    static final String DELAY = "prism_forwarding_delay_seconds";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    /**
     * The window's figures: heap bytes the media loops allocated per forwarded packet, and the
     * server's forwarding delay quantiles (ms) over {@code delaySamples} packets (-1: not scraped).
     */
    record Figures(double allocBytesPerPacket, double delayP50Ms, double delayP99Ms, long delaySamples) {
        static final Figures NONE = new Figures(Double.NaN, Double.NaN, Double.NaN, -1);
    }

    private final URI metrics;
    private final String key;
    private final String secret;
    private final PrintStream warnings;
    private final HttpClient http;
    private boolean enabled;
    private boolean warned;
    private PrometheusText.Scrape start;

    private ServerMetricsWindow(URI base, String key, String secret, PrintStream warnings) {
        this.metrics = base.resolve("/metrics");
        this.key = key;
        this.secret = secret;
        this.warnings = warnings;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    /** The window for {@code config}'s server; warnings go to {@code out} unless --quiet. Scrapes nothing yet. */
    static ServerMetricsWindow of(LoadConfig config, PrintStream out) {
        return of(config.sfu() == LoadConfig.Sfu.PRISM, config.url(), config.key(), config.secret(),
                config.progress() ? out : null);
    }

    /** As above; {@code warnings} may be null (quiet). Not Prism, or no key: nothing will be scraped. */
    static ServerMetricsWindow of(boolean prism, URI base, String key, String secret, PrintStream warnings) {
        ServerMetricsWindow w = new ServerMetricsWindow(base, key, secret, warnings);
        w.enabled = prism && key != null && secret != null;
        if (prism && !w.enabled) {
            w.warn("no --key/--secret to sign an admin token");
        }
        return w;
    }

    /** A scrape whose figures are dropped (warm-up); true when it answered. */
    boolean warm() {
        return enabled && scrape() != null;
    }

    /** Scrapes the window's start; returns this. */
    ServerMetricsWindow start() {
        if (enabled) {
            start = scrape();
        }
        return this;
    }

    /** Scrapes the window's end; NONE when the start was not scraped or this scrape fails. */
    Figures end() {
        if (start == null) {
            return Figures.NONE;
        }
        PrometheusText.Scrape end = scrape();
        return end == null ? Figures.NONE : figures(start, end);
    }

    /** The window's figures from its first and last scrape. */
    static Figures figures(PrometheusText.Scrape start, PrometheusText.Scrape end) {
        double packets = end.sum(FORWARDED) - start.sum(FORWARDED); // NaN when either lacks it
        double bytes = end.sum(ALLOCATED) - start.sum(ALLOCATED);
        double alloc = packets > 0 && bytes >= 0 ? bytes / packets : Double.NaN;
        PrometheusHistogram last = end.histogram(DELAY);
        PrometheusHistogram window = last == null ? null : last.minus(start.histogram(DELAY));
        if (window == null) {
            return new Figures(alloc, Double.NaN, Double.NaN, -1);
        }
        // _count is the histogram's own total (a series missing at the start was born in the window);
        // the +Inf bucket equals it, and stands in without it.
        double endCount = end.sum(DELAY + "_count");
        double startCount = start.sum(DELAY + "_count");
        double count = Double.isNaN(endCount) ? window.count() : endCount - (Double.isNaN(startCount) ? 0 : startCount);
        boolean any = count > 0;
        return new Figures(alloc, any ? 1000 * window.quantile(0.5) : Double.NaN,
                any ? 1000 * window.quantile(0.99) : Double.NaN, count >= 0 ? Math.round(count) : -1);
    }

    private PrometheusText.Scrape scrape() {
        try {
            long now = System.currentTimeMillis() / 1000;
            String token = AccessTokens.issueAdmin(key, secret, "load-tool-metrics", now - 5, now + 3600);
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(metrics).timeout(TIMEOUT)
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() == 200) {
                return PrometheusText.parse(res.body());
            }
            warn(metrics + " answered " + res.statusCode());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            warn("interrupted");
        } catch (Exception e) {
            warn(e.toString());
        }
        return null;
    }

    /** One line per run, however many scrapes fail. */
    private void warn(String why) {
        if (warnings != null && !warned) {
            warned = true;
            warnings.println("load: no server figures for the window (" + why + ")");
        }
    }
}
