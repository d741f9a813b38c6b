package dev.prism.api;

import java.net.InetAddress;

/** Launcher of one Prism server: configuration from PRISM_* variables over embedded defaults. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        String version = Main.class.getPackage().getImplementationVersion();
        ServerConfig config;
        try {
            config = ServerConfig.fromEnvironment(System.getenv());
        } catch (ServerConfig.ConfigException e) {
            System.err.println("prism: configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        PrismServer server;
        try {
            server = PrismServer.start(config);
        } catch (IllegalArgumentException e) {
            System.err.println("prism: configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "prism-shutdown"));
        System.out.println("Prism SFU " + (version == null ? "(dev)" : version) + " serving HTTP on "
                + config.httpHost() + ":" + server.httpPort());
        server.workers().workers().forEach(w ->
                System.out.println("  media worker " + w.index() + " on UDP port " + w.port()));
        System.out.println("  advertising " + server.workers().advertisedAddresses().stream()
                .map(InetAddress::getHostAddress).toList()
                + " in ICE candidates (set PRISM_PUBLIC_IP behind NAT)");
        if (server.developmentMode()) {
            var key = server.keys().entrySet().iterator().next();
            System.out.println();
            System.out.println("DEVELOPMENT MODE: no PRISM_KEYS configured, so this run made a key pair:");
            System.out.println("  PRISM_KEYS=" + key.getKey() + ":" + key.getValue());
            String host = config.httpHost().equals("0.0.0.0") ? "localhost" : config.httpHost();
            String base = "http://" + host + ":" + server.httpPort();
            System.out.println("Demo pages (they fetch their own tokens in development mode):");
            System.out.println("  " + base + "/publish.html?room=demo   " + base + "/watch.html?room=demo   "
                    + base + "/room.html?room=demo");
            System.out.println("A 24 h token for WHIP/WHEP clients in room 'demo':");
            System.out.println("  " + server.token("demo-user", "demo", true, true, 24 * 3600));
            System.out.println("Set PRISM_KEYS=key:secret (secret of 32+ characters) for production.");
        }
    }
}
