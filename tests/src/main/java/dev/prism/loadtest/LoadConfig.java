package dev.prism.loadtest;

import java.net.URI;
import java.time.Duration;

/**
 * One load run: who connects where and for how long. Counts and times are bounded so a typo
 * cannot flood a machine: at most {@link #MAX_PUBLISHERS} publishers, {@link #MAX_VIEWERS}
 * viewers, {@link #MAX_DURATION} of measurement. Media goes only to the host of {@code url}
 * (at the UDP port the server's answer names), never to other candidate addresses.
 *
 * @param warmup       time between the last client connecting and the measured window
 * @param token        a fixed access token for every client, or null
 * @param key          API key to sign tokens with (with {@code secret}), or null
 * @param serverPid    the server's process id for CPU/RSS figures, or 0
 * @param threads      event-loop threads carrying all clients' media
 * @param rampParallel WHIP/WHEP set-ups in flight at once while ramping up
 * @param sfu          which server speaks at {@code url}: Prism (WHIP/WHEP) or Janus (its HTTP API, videoroom)
 * @param layers       VP8 streams per publisher: 3 (simulcast q/h/f, {@code videoBitrate} the top one) or 1
 * @param viewerTwcc   viewers offer transport-wide-cc and send its feedback
 * @param viewerTop    viewers ask for the top layer (Prism: WHEP ?video_layer=top; Janus: substream 2)
 * @param publisherPacing publishers pace video at this multiple of its bitrate as a browser does
 *                     ({@link #BROWSER_PACING}), or 0 to send each frame in one burst
 */
public record LoadConfig(Sfu sfu, URI url, String room, int publishers, int viewers, Duration warmup, Duration duration, String token,
                         String key, String secret, long serverPid, int threads, int rampParallel, int videoBitrate,
                         boolean progress, int layers, boolean viewerTwcc, boolean viewerTop,
                         double publisherPacing) {
    public static final int MAX_PUBLISHERS = 50;
    /** libwebrtc's pacing factor (modules/pacing): video leaves at 2.5 × the target bitrate. */
    public static final double BROWSER_PACING = 2.5;

    /** The server under load and the signalling it speaks. */
    public enum Sfu { PRISM, JANUS }
    public static final int MAX_VIEWERS = 5000;
    public static final Duration MAX_DURATION = Duration.ofHours(1);

    public LoadConfig {
        if (publishers < 1 || publishers > MAX_PUBLISHERS) {
            throw new IllegalArgumentException("--publishers must be 1.." + MAX_PUBLISHERS);
        }
        if (viewers < 0 || viewers > MAX_VIEWERS) {
            throw new IllegalArgumentException("--viewers must be 0.." + MAX_VIEWERS);
        }
        if (warmup.isNegative() || warmup.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("--warmup must be 0..10m");
        }
        if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("--duration must be more than 0 and at most " + MAX_DURATION);
        }
        if (threads < 1 || threads > 64 || rampParallel < 1 || rampParallel > 200) {
            throw new IllegalArgumentException("--threads must be 1..64 and --ramp-parallel 1..200");
        }
        if (videoBitrate < 50_000 || videoBitrate > 20_000_000) {
            throw new IllegalArgumentException("--video-bitrate must be 50000..20000000 bit/s");
        }
        if (layers != 1 && layers != 3) {
            throw new IllegalArgumentException("--layers must be 1 or 3");
        }
        if (publisherPacing != 0 && !(publisherPacing >= 1 && publisherPacing <= 100)) {
            throw new IllegalArgumentException("--publisher-pacing must be 0 (whole frames at once) or 1..100");
        }
        if (url.getHost() == null || !"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("--url must be http(s)://host:port, got " + url);
        }
        if ((key == null) != (secret == null)) {
            throw new IllegalArgumentException("--key and --secret go together");
        }
    }

    /** Defaults for everything but the shape of the load (in-process tests). */
    public static LoadConfig of(URI url, String room, int publishers, int viewers, Duration duration, String key,
                                String secret, long serverPid) {
        return new LoadConfig(Sfu.PRISM, url, room, publishers, viewers, Duration.ofSeconds(1), duration, null, key, secret, serverPid,
                defaultThreads(), 8, 1_800_000, true, 3, true, true, BROWSER_PACING);
    }

    public static int defaultThreads() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }
}
