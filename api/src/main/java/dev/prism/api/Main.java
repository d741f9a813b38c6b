package dev.prism.api;

import dev.prism.signaling.auth.AccessTokens;
import dev.prism.signaling.auth.ApiKeys;
import dev.prism.sfu.worker.HousekeepingPriority;
import dev.prism.srtp.SrtpContext;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The launcher: {@code serve} (the default) runs one server; {@code token} prints an access
 * token signed with a configured key. Configuration: {@code --config FILE} (or PRISM_CONFIG)
 * under PRISM_* variables over embedded defaults.
 */
@Command(name = "prism-sfu", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        subcommands = {Main.Serve.class, Main.Token.class},
        description = "Prism WebRTC SFU. With no command, runs the server (same as 'serve').")
public final class Main implements Callable<Integer> {
    /** Environment the commands read; tests replace it. */
    static Map<String, String> environment = System.getenv();

    @Option(names = "--config", description = "YAML configuration file (default: $PRISM_CONFIG)")
    Path config;

    /**
     * Netty's leak detector samples one buffer in 128 with a stack trace (its default level): on the
     * media path that is the only allocation left per packet (ForwardingBenchmark with -prof gc:
     * 12 B per forwarded packet, all of it the detector's). The server runs without it unless
     * {@code -Dio.netty.leakDetection.level} asks; the tests run it at paranoid.
     */
    static final String LEAK_DETECTION = "io.netty.leakDetection.level";

    public static void main(String[] args) {
        if (System.getProperty(LEAK_DETECTION) == null) {
            System.setProperty(LEAK_DETECTION, "disabled");
        }
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                cmd.getErr().println("prism: configuration error: " + e.getMessage());
                return 2;
            }
            throw e;
        });
    }

    @Override
    public Integer call() throws Exception {
        return new Serve().withConfig(config).call();
    }

    static ServerConfig loadConfig(Path config) {
        Path file = config;
        if (file == null && environment.get("PRISM_CONFIG") != null && !environment.get("PRISM_CONFIG").isBlank()) {
            file = Path.of(environment.get("PRISM_CONFIG"));
        }
        return ConfigLoader.load(file, environment);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"Prism SFU " + (v == null ? "(dev)" : v)};
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the server.")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--config", description = "YAML configuration file (default: $PRISM_CONFIG)")
        Path config;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        Serve withConfig(Path c) {
            this.config = c;
            return this;
        }

        @Override
        public Integer call() throws Exception {
            ServerConfig c = loadConfig(config);
            PrismServer server = PrismServer.start(c);
            // Process-wide, so here and not in PrismServer (tests run several servers in one JVM).
            HousekeepingPriority.start(c.housekeepingNice());
            java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.drain(java.time.Duration.ofSeconds(8));
                server.close();
                stopped.countDown();
            }, "prism-shutdown"));
            PrintWriter out = new PrintWriter(System.out, true);
            out.println(new Version().getVersion()[0] + " serving HTTP on " + c.httpHost() + ":" + server.httpPort());
            out.println(ConfigLoader.describe(c).lines().map(l -> "  " + l).reduce((a, b) -> a + "\n" + b).orElse(""));
            server.workers().workers().forEach(w -> out.println("  media worker " + w.index() + " on UDP port " + w.port()
                    + " (reads / sends: " + w.socketPath() + ")"));
            out.println("  advertising " + server.workers().advertisedAddresses().stream()
                    .map(InetAddress::getHostAddress).toList() + " in ICE candidates (set PRISM_PUBLIC_IP behind NAT)");
            out.println("  SRTP " + SrtpContext.implementation());
            if (server.developmentMode()) {
                var key = server.keys().entrySet().iterator().next();
                out.println();
                out.println("DEVELOPMENT MODE: no PRISM_KEYS configured, so this run made a key pair:");
                out.println("  PRISM_KEYS=" + key.getKey() + ":" + key.getValue());
                String host = c.httpHost().equals("0.0.0.0") ? "localhost" : c.httpHost();
                String base = "http://" + host + ":" + server.httpPort();
                out.println("Demo pages (they fetch their own tokens in development mode):");
                out.println("  " + base + "/publish.html?room=demo   " + base + "/watch.html?room=demo   "
                        + base + "/room.html?room=demo");
                out.println("A 24 h token for WHIP/WHEP clients in room 'demo':");
                out.println("  " + server.token("demo-user", "demo", true, true, 24 * 3600));
                out.println("Set PRISM_KEYS=key:secret (secret of 32+ characters) for production.");
            }
            stopped.await();
            return 0;
        }
    }

    @Command(name = "token", mixinStandardHelpOptions = true,
            description = "Print an access token (JWT) signed with a configured API key.")
    static final class Token implements Callable<Integer> {
        @Option(names = "--config", description = "YAML configuration file (default: $PRISM_CONFIG)")
        Path config;
        @Option(names = "--room", description = "room the token is for (required unless --admin)")
        String room;
        @Option(names = "--identity", required = true, description = "participant identity (sub)")
        String identity;
        @Option(names = "--publish", description = "grant canPublish")
        boolean publish;
        @Option(names = "--subscribe", description = "grant canSubscribe")
        boolean subscribe;
        @Option(names = "--admin", description = "grant roomCreate, roomList and roomAdmin (operators)")
        boolean admin;
        @Option(names = "--ttl", defaultValue = "1h", description = "lifetime: 90s, 30m, 1h, 7d (default ${DEFAULT-VALUE})")
        String ttl;
        @Option(names = "--key", description = "API key to sign with (default: the first configured)")
        String key;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            ServerConfig c = loadConfig(config);
            Map<String, String> keys = ApiKeys.parse(c.keys());
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("keys (PRISM_KEYS): no API keys configured; a token needs one");
            }
            String k = key != null ? key : keys.keySet().iterator().next();
            String secret = keys.get(k);
            if (secret == null) {
                throw new IllegalArgumentException("--key: no configured API key '" + k + "'");
            }
            if (!admin && (room == null || room.isBlank())) {
                throw new IllegalArgumentException("--room: required unless --admin");
            }
            long now = System.currentTimeMillis() / 1000;
            long exp = now + parseTtl(ttl).toSeconds();
            String token = admin ? AccessTokens.issueAdmin(k, secret, identity, now - 5, exp)
                    : AccessTokens.issue(k, secret, identity, room, publish, subscribe, now - 5, exp);
            spec.commandLine().getOut().println(token);
            spec.commandLine().getOut().flush();
            return 0;
        }

        static Duration parseTtl(String ttl) {
            String t = ttl.trim().toLowerCase(java.util.Locale.ROOT);
            try {
                char unit = t.charAt(t.length() - 1);
                if (Character.isDigit(unit)) {
                    return Duration.ofSeconds(Long.parseLong(t));
                }
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                Duration d = switch (unit) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    case 'd' -> Duration.ofDays(n);
                    default -> null;
                };
                if (d != null && !d.isNegative() && !d.isZero()) {
                    return d;
                }
            } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                // fall through
            }
            throw new IllegalArgumentException("--ttl: '" + ttl + "' is not a duration like 90s, 30m, 1h or 7d");
        }
    }
}
