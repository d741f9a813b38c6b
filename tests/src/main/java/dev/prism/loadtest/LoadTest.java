package dev.prism.loadtest;

import dev.prism.api.ServerConfig;
import dev.prism.sfu.worker.HousekeepingPriority;
import io.netty.util.ResourceLeakDetector;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -cp prism-benchmarks.jar dev.prism.loadtest.LoadTest --publishers 1 --viewers 20 --duration 10s}:
 * synthetic WHIP publishers and WHEP viewers against one Prism server, then a summary (text and
 * one JSON line). Exit status 0 when every client connected, every viewer got video and no SRTP
 * authentication failed; 1 otherwise; 2 on bad arguments.
 */
@Command(name = "loadtest", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Synthetic WHIP publishers and WHEP viewers against one Prism server; reports loss, "
                + "added latency, throughput and (with --server-pid) the server's CPU and memory.")
public final class LoadTest implements Callable<Integer> {
    @Option(names = "--sfu", defaultValue = "prism", description = "server type: prism (WHIP/WHEP) or janus "
            + "(Janus HTTP API and videoroom plugin; --url http://HOST:8088/janus) (default ${DEFAULT-VALUE})")
    String sfu;

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", description = "server base URL (default ${DEFAULT-VALUE}); media goes only to this host")
    URI url;

    @Option(names = "--room", defaultValue = "load", description = "room name (default ${DEFAULT-VALUE})")
    String room;

    @Option(names = "--publishers", defaultValue = "1", description = "synthetic publishers, 1.." + LoadConfig.MAX_PUBLISHERS)
    int publishers;

    @Option(names = "--viewers", defaultValue = "10", description = "synthetic WHEP viewers, 0.." + LoadConfig.MAX_VIEWERS)
    int viewers;

    @Option(names = "--duration", defaultValue = "10s", description = "measured time after ramp-up: 500ms, 10s, 2m (default ${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--warmup", defaultValue = "2s", description = "unmeasured time after ramp-up (default ${DEFAULT-VALUE})")
    String warmup;

    @Option(names = "--token", description = "one access token for every client")
    String token;

    @Option(names = "--key", description = "API key to sign tokens with (with --secret); without key and token, /dev/token is used")
    String key;

    @Option(names = "--secret", description = "secret of --key")
    String secret;

    @Option(names = "--server-pid", defaultValue = "0", description = "read the server's CPU time and RSS from /proc/PID")
    long serverPid;

    @Option(names = "--threads", description = "event-loop threads for all clients' media (default min(4, cores))")
    Integer threads;

    @Option(names = "--ramp-parallel", defaultValue = "8", description = "connection set-ups in flight at once (default ${DEFAULT-VALUE})")
    int rampParallel;

    @Option(names = "--video-bitrate", defaultValue = "1800000", description = "bit/s of each publisher's top VP8 layer (default ${DEFAULT-VALUE})")
    int videoBitrate;

    @Option(names = "--layers", defaultValue = "3", description = "VP8 streams per publisher: 3 = simulcast rids q, h, f "
            + "at about 8 %%, 28 %% and 100 %% of --video-bitrate; 1 = one stream (default ${DEFAULT-VALUE})")
    int layers;

    @Option(names = "--viewer-twcc", defaultValue = "true", negatable = true, fallbackValue = "true",
            description = "viewers send transport-wide CC feedback when negotiated (default ${DEFAULT-VALUE}; --no-viewer-twcc)")
    boolean viewerTwcc;

    @Option(names = "--viewer-layer", defaultValue = "top", description = "top: viewers ask for the top simulcast layer "
            + "(Prism: WHEP ?video_layer=top; Janus: substream 2), so both forward the same bytes; "
            + "auto: the server chooses from the viewer's bandwidth (default ${DEFAULT-VALUE})")
    String viewerLayer;

    @Option(names = "--publisher-pacing", defaultValue = "2.5", description = "publishers send video at this multiple "
            + "of its bitrate, spreading each frame as a browser's pacer does (libwebrtc: 2.5); 0 sends each frame in one "
            + "burst, as encoders without a pacer do (default ${DEFAULT-VALUE})")
    double publisherPacing;

    @Option(names = "--quiet", description = "no progress lines")
    boolean quiet;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadTest()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        LoadConfig config;
        try {
            LoadConfig.Sfu server = switch (sfu.toLowerCase(Locale.ROOT)) {
                case "prism" -> LoadConfig.Sfu.PRISM;
                case "janus" -> LoadConfig.Sfu.JANUS;
                default -> throw new IllegalArgumentException("--sfu must be prism or janus, got " + sfu);
            };
            boolean top = switch (viewerLayer.toLowerCase(Locale.ROOT)) {
                case "top" -> true;
                case "auto" -> false;
                default -> throw new IllegalArgumentException("--viewer-layer must be top or auto, got " + viewerLayer);
            };
            config = new LoadConfig(server, url, room, publishers, viewers, parseDuration(warmup), parseDuration(duration), token, key, secret, serverPid,
                    threads == null ? LoadConfig.defaultThreads() : threads, rampParallel, videoBitrate, !quiet, layers,
                    viewerTwcc, top, publisherPacing);
        } catch (IllegalArgumentException e) {
            System.err.println("loadtest: " + e.getMessage());
            return 2;
        }
        System.out.printf(Locale.ROOT, "loadtest: %d publisher(s) x %d viewer(s) in room '%s' at %s (%s) for %s, %s sockets%n",
                config.publishers(), config.viewers(), config.room(), config.url(),
                config.sfu().name().toLowerCase(Locale.ROOT), config.duration(), LoadTransport.name());
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            // Netty samples one buffer in 128 and records stack traces for it: a seventh of the tool's
            // allocation at 400 viewers, and a GC cycle in the tool shows up as the server's latency.
            // The tests (LoadToolSmokeTest) run the tool with detection on.
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        // The tool is the measuring instrument, with hundreds of viewers on one core: its own GC
        // cycle would show up as the server's latency, as the server's does (HousekeepingPriority).
        LoadReport r;
        try (HousekeepingPriority housekeeping = HousekeepingPriority.start(ServerConfig.DEFAULT_HOUSEKEEPING_NICE)) {
            r = LoadRun.run(config, System.out);
        }
        System.out.println();
        System.out.print(r.text());
        System.out.println(r.json());
        boolean ok = r.publishers() == r.publishersRequested() && r.viewersFailed() == 0 && r.authFailures() == 0
                && r.viewersWithoutVideo() == 0;
        return ok ? 0 : 1;
    }

    /** "500ms", "10s", "2m", "1h", or a plain number of seconds. */
    static Duration parseDuration(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.equals("0")) {
                return Duration.ZERO;
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            long n = Long.parseLong(t.replaceAll("[smh]$", ""));
            return switch (t.charAt(t.length() - 1)) {
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("--duration: cannot read '" + s + "' (use 500ms, 10s, 2m)");
        }
    }
}
