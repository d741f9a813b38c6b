package dev.prism.tests.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Impaired links for whole-server tests. Each link joins a fresh "viewer" network namespace
 * ({@code ip netns add prism-<jvm pid>-<name>}) to the namespace this JVM runs in (surefire's
 * private one, see tests/netns/bin/java). Every viewer reaches the server at the same address,
 * {@link #SERVER_ADDRESS} on this namespace's {@code lo}, over its own point-to-point pair.
 *
 * <ul>
 *   <li>{@link #veth(String)}: a veth pair (198.51.100.0/24); rate limits with {@code tbf} on
 *       either end, changeable at run time.</li>
 *   <li>{@link #tun(String, TunOptions)}: two TUN devices (203.0.113.0/24) joined by
 *       {@code tun_relay.py}, which drops a seeded random fraction per direction, delays, and
 *       holds a rate with tail drop — the kernel here has no netem (TESTING.md).</li>
 * </ul>
 * "Down" is server→viewer (this namespace to the viewer's), "up" is viewer→server.
 * {@link #close()} removes every namespace, device, address and process it made; a shutdown
 * hook does the same on a JVM exit without close. Needs root and iproute2; TUN links need
 * python3 ({@link #python()}).
 */
public final class NetLab implements AutoCloseable {
    /** The one server address every viewer namespace routes to (on this namespace's lo). */
    public static final String SERVER_ADDRESS = "192.0.2.1";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long PID = ProcessHandle.current().pid();
    private static final String JVM_NETNS = "/proc/" + PID + "/ns/net";
    private static final Object GLOBAL = new Object();
    /** Namespace names and /30 blocks in use by any NetLab of this JVM. */
    private static final Set<String> NAMES_IN_USE = new HashSet<>();
    private static final BitSet VETH_BLOCKS = new BitSet(64);
    private static final BitSet TUN_BLOCKS = new BitSet(64);
    private static int serverAddressUsers;
    private static boolean serverAddressAdded;
    private static int instances;

    private final String devicePrefix;
    private final Path workDir;
    private final List<Link> links = new ArrayList<>();
    private final List<String> namespaces = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::cleanUp, "netlab-cleanup");
    private boolean closed;

    /** Adds {@link #SERVER_ADDRESS} to lo (once per JVM) and registers the exit clean-up. */
    public NetLab() throws IOException {
        String missing = missingPrerequisite();
        if (missing != null) {
            throw new IOException("NetLab cannot run here: " + missing);
        }
        synchronized (GLOBAL) {
            devicePrefix = "nl" + Long.toString(PID, 36) + Integer.toString(instances++, 36);
            if (serverAddressUsers == 0) {
                run("ip", "link", "set", "lo", "up");
                if (!run("ip", "-o", "addr", "show", "dev", "lo").contains(" " + SERVER_ADDRESS + "/")) {
                    run("ip", "addr", "add", SERVER_ADDRESS + "/32", "dev", "lo");
                    serverAddressAdded = true;
                }
            }
            serverAddressUsers++;
        }
        workDir = Files.createTempDirectory("prism-netlab-");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Null when NetLab can work on this machine, otherwise what is missing. */
    public static String missingPrerequisite() {
        if (!isRoot()) {
            return "not root";
        }
        if (which("ip") == null) {
            return "no ip (iproute2)";
        }
        if (which("tc") == null) {
            return "no tc (iproute2)";
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            return "no /dev/net/tun";
        }
        return null;
    }

    /** The python3 for the relay: /usr/bin/python3 first (PATH may hold a pyenv shim), or null. */
    public static Path python() {
        Path system = Path.of("/usr/bin/python3");
        if (Files.isExecutable(system)) {
            return system;
        }
        return which("python3");
    }

    /**
     * Removes namespaces {@code prism-<pid>-*} left by JVMs that were killed before their
     * shutdown hook ran (the process {@code pid} no longer exists). Not called automatically.
     * Returns the names removed.
     */
    public static List<String> removeStaleNamespaces() throws IOException {
        List<String> removed = new ArrayList<>();
        for (String line : run("ip", "netns", "list").split("\n")) {
            String name = line.trim().split("\\s+")[0];
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("prism-(\\d+)-.+").matcher(name);
            if (m.matches() && !Files.exists(Path.of("/proc", m.group(1)))) {
                runQuietly("ip", "netns", "del", name);
                removed.add(name);
            }
        }
        return removed;
    }

    public String serverAddress() {
        return SERVER_ADDRESS;
    }

    /** Namespace names this lab created and has not yet removed. */
    public synchronized List<String> namespaces() {
        return List.copyOf(namespaces);
    }

    public synchronized List<Link> links() {
        return List.copyOf(links);
    }

    /** A veth link to a new namespace {@code prism-<pid>-<name>}; no rate limit until set. */
    public synchronized VethLink veth(String name) throws IOException {
        int block = allocate(VETH_BLOCKS);
        String ns = null;
        try {
            ns = addNamespace(name);
            String base = "198.51.100.";
            String jvmAddress = base + (block * 4 + 1);
            String viewerAddress = base + (block * 4 + 2);
            String jvmDevice = devicePrefix + "v" + links.size();
            VethLink link = new VethLink(this, ns, jvmDevice, "lab0", jvmAddress, viewerAddress, block);
            links.add(link);
            run("ip", "link", "add", jvmDevice, "type", "veth", "peer", "name", "lab0", "netns", ns);
            configure(link);
            return link;
        } catch (IOException | RuntimeException e) {
            if (ns == null) {
                release(VETH_BLOCKS, block);
            }
            throw e;
        }
    }

    /** A TUN relay link to a new namespace {@code prism-<pid>-<name>}, impaired per {@code options}. */
    public synchronized TunLink tun(String name, TunOptions options) throws IOException {
        Path python = python();
        if (python == null) {
            throw new IOException("NetLab tun links need python3: install it (apt-get install -y python3)");
        }
        int block = allocate(TUN_BLOCKS);
        String ns = null;
        try {
            ns = addNamespace(name);
            String base = "203.0.113.";
            String jvmAddress = base + (block * 4 + 1);
            String viewerAddress = base + (block * 4 + 2);
            String jvmDevice = devicePrefix + "t" + links.size();
            Path script = workDir.resolve("tun_relay.py");
            if (!Files.exists(script)) {
                try (InputStream in = NetLab.class.getResourceAsStream("/netlab/tun_relay.py")) {
                    if (in == null) {
                        throw new IOException("missing test resource /netlab/tun_relay.py");
                    }
                    Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Path stats = workDir.resolve(ns + ".json");
            Path log = workDir.resolve(ns + ".log");
            List<String> command = new ArrayList<>(List.of(python.toString(), script.toString(),
                    "--dev-a", jvmDevice, "--ns-a", JVM_NETNS, "--dev-b", "lab0", "--ns-b", "/run/netns/" + ns,
                    "--loss-down", Double.toString(options.lossDown()), "--loss-up", Double.toString(options.lossUp()),
                    "--delay-ms", Integer.toString(options.delayMillis()),
                    "--rate-kbit", Long.toString(options.rateKbit()),
                    "--queue-ms", Integer.toString(options.queueMillis()),
                    "--seed", Long.toString(options.seed()), "--stats", stats.toString()));
            Process relay = new ProcessBuilder(command).redirectError(log.toFile()).start();
            TunLink link = new TunLink(this, ns, jvmDevice, "lab0", jvmAddress, viewerAddress, block, relay, stats, log);
            links.add(link);
            link.awaitReady();
            configure(link);
            return link;
        } catch (IOException | RuntimeException e) {
            if (ns == null) {
                release(TUN_BLOCKS, block);
            }
            throw e;
        }
    }

    /** {@code ip netns exec <namespace> command…}: run a command inside a viewer namespace. */
    public static ProcessBuilder inNamespace(String namespace, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        return new ProcessBuilder(full);
    }

    /** Removes everything this lab made: relays, devices, namespaces, and the server address when last. */
    @Override
    public void close() {
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // already shutting down
        }
    }

    private synchronized void cleanUp() {
        if (closed) {
            return;
        }
        closed = true;
        for (Link link : links) {
            link.destroy();
        }
        for (String ns : namespaces) {
            runQuietly("ip", "netns", "del", ns);
            synchronized (GLOBAL) {
                NAMES_IN_USE.remove(ns);
            }
        }
        namespaces.clear();
        synchronized (GLOBAL) {
            for (Link link : links) {
                release(link instanceof TunLink ? TUN_BLOCKS : VETH_BLOCKS, link.block);
            }
            serverAddressUsers--;
            if (serverAddressUsers == 0 && serverAddressAdded) {
                runQuietly("ip", "addr", "del", SERVER_ADDRESS + "/32", "dev", "lo");
                serverAddressAdded = false;
            }
        }
        links.clear();
        deleteTree(workDir);
    }

    private String addNamespace(String name) throws IOException {
        if (!name.matches("[A-Za-z0-9_.-]{1,40}")) {
            throw new IllegalArgumentException("namespace name must be [A-Za-z0-9_.-]{1,40}: " + name);
        }
        String ns = "prism-" + PID + "-" + name;
        synchronized (GLOBAL) {
            if (!NAMES_IN_USE.add(ns)) {
                throw new IllegalStateException("namespace " + ns + " is already in use in this JVM");
            }
        }
        try {
            run("ip", "netns", "add", ns);
        } catch (IOException e) {
            synchronized (GLOBAL) {
                NAMES_IN_USE.remove(ns);
            }
            throw e;
        }
        namespaces.add(ns);
        run("ip", "-n", ns, "link", "set", "lo", "up");
        return ns;
    }

    /** Point-to-point addresses on both ends, no IPv6 link-local chatter, and the route to the server. */
    private static void configure(Link link) throws IOException {
        String ns = link.namespace;
        run("ip", "link", "set", "dev", link.jvmDevice, "addrgenmode", "none");
        run("ip", "-n", ns, "link", "set", "dev", link.viewerDevice, "addrgenmode", "none");
        run("ip", "addr", "add", link.jvmAddress + "/32", "peer", link.viewerAddress, "dev", link.jvmDevice);
        run("ip", "-n", ns, "addr", "add", link.viewerAddress + "/32", "peer", link.jvmAddress, "dev", link.viewerDevice);
        run("ip", "link", "set", "dev", link.jvmDevice, "up");
        run("ip", "-n", ns, "link", "set", "dev", link.viewerDevice, "up");
        run("ip", "-n", ns, "route", "add", SERVER_ADDRESS + "/32", "dev", link.viewerDevice, "src", link.viewerAddress);
    }

    private static int allocate(BitSet blocks) throws IOException {
        synchronized (GLOBAL) {
            int block = blocks.nextClearBit(0);
            if (block >= 63) {
                throw new IOException("NetLab: no free /30 left for another link");
            }
            blocks.set(block);
            return block;
        }
    }

    private static void release(BitSet blocks, int block) {
        synchronized (GLOBAL) {
            blocks.clear(block);
        }
    }

    /** Runs a command (10 s limit); returns stdout; throws with stderr when it fails. */
    static String run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", command));
            }
            String output = out.get(5, TimeUnit.SECONDS);
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + output.trim());
            }
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException(String.join(" ", command) + ": " + e, e);
        }
    }

    static void runQuietly(String... command) {
        try {
            run(command);
        } catch (IOException ignored) {
            // best effort clean-up
        }
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0"); // effective uid
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return false;
    }

    private static Path which(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return Path.of(dir, program);
            }
        }
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return Path.of(dir, program);
            }
        }
        return null;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp files; best effort
        }
    }

    /** One link: a viewer namespace and the point-to-point pair that joins it to this JVM's namespace. */
    public abstract static sealed class Link permits VethLink, TunLink {
        final NetLab lab;
        final String namespace;
        final String jvmDevice;
        final String viewerDevice;
        final String jvmAddress;
        final String viewerAddress;
        final int block;

        Link(NetLab lab, String namespace, String jvmDevice, String viewerDevice,
             String jvmAddress, String viewerAddress, int block) {
            this.lab = lab;
            this.namespace = namespace;
            this.jvmDevice = jvmDevice;
            this.viewerDevice = viewerDevice;
            this.jvmAddress = jvmAddress;
            this.viewerAddress = viewerAddress;
            this.block = block;
        }

        /** The viewer namespace's name, for {@code ip netns exec} or {@code Chromium.launchIn}. */
        public String namespace() {
            return namespace;
        }

        /** The viewer's address on this link (reachable from the JVM's namespace). */
        public String viewerAddress() {
            return viewerAddress;
        }

        /** The JVM side's own address on this link (the server is at {@link #SERVER_ADDRESS}). */
        public String jvmAddress() {
            return jvmAddress;
        }

        public String jvmDevice() {
            return jvmDevice;
        }

        public String viewerDevice() {
            return viewerDevice;
        }

        /** {@code ip netns exec <namespace> command…}. */
        public ProcessBuilder exec(String... command) {
            return inNamespace(namespace, command);
        }

        abstract void destroy();
    }

    /** A veth pair; {@code tbf} on the JVM end shapes "down", on the viewer end "up". */
    public static final class VethLink extends Link {
        /** Queue behind the rate limit, in time at the rate, unless given. */
        public static final int DEFAULT_QUEUE_MILLIS = 100;

        VethLink(NetLab lab, String namespace, String jvmDevice, String viewerDevice,
                 String jvmAddress, String viewerAddress, int block) {
            super(lab, namespace, jvmDevice, viewerDevice, jvmAddress, viewerAddress, block);
        }

        /** Limits server→viewer to {@code kbit} kbit/s (IP bytes incl. headers). */
        public void setRate(long kbit) throws IOException {
            setRate(kbit, DEFAULT_QUEUE_MILLIS);
        }

        public void setRate(long kbit, int queueMillis) throws IOException {
            run(tbf(List.of("tc"), jvmDevice, kbit, queueMillis));
        }

        public void clearRate() throws IOException {
            clear(List.of("tc"), jvmDevice);
        }

        /** Limits viewer→server to {@code kbit} kbit/s. */
        public void setUplinkRate(long kbit) throws IOException {
            setUplinkRate(kbit, DEFAULT_QUEUE_MILLIS);
        }

        public void setUplinkRate(long kbit, int queueMillis) throws IOException {
            run(tbf(List.of("tc", "-n", namespace), viewerDevice, kbit, queueMillis));
        }

        public void clearUplinkRate() throws IOException {
            clear(List.of("tc", "-n", namespace), viewerDevice);
        }

        /** Packets the server→viewer rate limit has dropped since it was set (0 without one). */
        public long droppedByRateLimit() throws IOException {
            return qdiscCount("dropped (\\d+)");
        }

        /** Packets waiting in the rate limit's queue: changing or removing the limit discards them. */
        public long queuedByRateLimit() throws IOException {
            return qdiscCount("backlog \\S+ (\\d+)p");
        }

        private long qdiscCount(String regex) throws IOException {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex)
                    .matcher(run("tc", "-s", "qdisc", "show", "dev", jvmDevice));
            return m.find() ? Long.parseLong(m.group(1)) : 0;
        }

        /** The current root qdisc of the JVM end, as {@code tc qdisc show} prints it. */
        public String qdisc() throws IOException {
            return run("tc", "qdisc", "show", "dev", jvmDevice).trim();
        }

        /**
         * tbf with a bucket of a few packets (so the long-run and the short-run rate are both the
         * rate, not a multi-second burst) and a queue of {@code queueMillis} at the rate.
         */
        private static String[] tbf(List<String> tc, String device, long kbit, int queueMillis) {
            if (kbit <= 0) {
                throw new IllegalArgumentException("rate must be positive kbit/s: " + kbit);
            }
            long bytesPerSecond = kbit * 1000 / 8;
            // ≥ 2 full-size frames, else ~4 ms at the rate (what a 250 Hz kernel timer needs)
            long burst = Math.max(3200, bytesPerSecond / 250);
            long limit = burst + Math.max(3200, bytesPerSecond * queueMillis / 1000);
            List<String> command = new ArrayList<>(tc);
            command.addAll(List.of("qdisc", "replace", "dev", device, "root", "tbf",
                    "rate", kbit + "kbit", "burst", Long.toString(burst), "limit", Long.toString(limit)));
            return command.toArray(String[]::new);
        }

        private static void clear(List<String> tc, String device) throws IOException {
            List<String> command = new ArrayList<>(tc);
            command.addAll(List.of("qdisc", "del", "dev", device, "root"));
            try {
                run(command.toArray(String[]::new));
            } catch (IOException e) {
                // deleting the default qdisc is an error ("Cannot delete qdisc with handle of zero")
                if (!e.getMessage().contains("handle of zero") && !e.getMessage().contains("No such file")) {
                    throw e;
                }
            }
        }

        @Override
        void destroy() {
            runQuietly("ip", "link", "del", jvmDevice); // takes the viewer end with it
        }
    }

    /** Impairment of a TUN relay link; "down" = server→viewer. */
    public record TunOptions(double lossDown, double lossUp, int delayMillis, long rateKbit, int queueMillis, long seed) {
        public TunOptions {
            if (lossDown < 0 || lossDown > 1 || lossUp < 0 || lossUp > 1) {
                throw new IllegalArgumentException("loss is a fraction in [0, 1]");
            }
            if (delayMillis < 0 || rateKbit < 0 || queueMillis <= 0) {
                throw new IllegalArgumentException("delay, rate must be ≥ 0 and queue > 0");
            }
        }

        /** {@code loss} dropped each way, {@code delayMillis} one-way delay, no rate limit, seed 1. */
        public static TunOptions lossAndDelay(double loss, int delayMillis) {
            return new TunOptions(loss, loss, delayMillis, 0, 100, 1);
        }

        public TunOptions withRate(long kbit, int queueMillis) {
            return new TunOptions(lossDown, lossUp, delayMillis, kbit, queueMillis, seed);
        }

        public TunOptions withSeed(long newSeed) {
            return new TunOptions(lossDown, lossUp, delayMillis, rateKbit, queueMillis, newSeed);
        }
    }

    /** Counters of one direction of the relay: what came in, what it dropped, what it delivered. */
    public record DirectionStats(long received, long forwarded, long dropped, long tailDropped, long bytesForwarded) {
        static DirectionStats of(JsonNode n) {
            return new DirectionStats(n.path("received").asLong(), n.path("forwarded").asLong(),
                    n.path("dropped").asLong(), n.path("tailDropped").asLong(), n.path("bytesForwarded").asLong());
        }

        /** Fraction of received packets dropped at random (not by the rate queue). */
        public double lossFraction() {
            return received == 0 ? 0 : (double) dropped / received;
        }
    }

    public record TunStats(DirectionStats down, DirectionStats up) {
        static TunStats of(JsonNode n) {
            return new TunStats(DirectionStats.of(n.path("down")), DirectionStats.of(n.path("up")));
        }
    }

    /** Two TUN devices and the relay process between them. */
    public static final class TunLink extends Link {
        private final Process relay;
        private final Path statsFile;
        private final Path log;
        private final OutputStream commands;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private volatile TunStats finalStats;

        TunLink(NetLab lab, String namespace, String jvmDevice, String viewerDevice, String jvmAddress,
                String viewerAddress, int block, Process relay, Path statsFile, Path log) {
            super(lab, namespace, jvmDevice, viewerDevice, jvmAddress, viewerAddress, block);
            this.relay = relay;
            this.statsFile = statsFile;
            this.log = log;
            this.commands = relay.getOutputStream();
            Thread.ofVirtual().name("netlab-relay-" + namespace).start(() -> {
                try (BufferedReader out = new BufferedReader(
                        new InputStreamReader(relay.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // relay ended
                }
            });
        }

        void awaitReady() throws IOException {
            try {
                String first = lines.poll(10, TimeUnit.SECONDS);
                if (!"ready".equals(first)) {
                    relay.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    throw new IOException("tun relay did not start: " + readLog());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }

        /** Changes the random loss per direction, at once. */
        public void setLoss(double down, double up) throws IOException {
            command("loss_down " + down + "\nloss_up " + up);
        }

        /** Changes the one-way delay (both directions) for packets arriving from now on. */
        public void setDelay(int millis) throws IOException {
            command("delay_ms " + millis);
        }

        /** Holds both directions to {@code kbit} kbit/s with tail drop; 0 removes the limit. */
        public void setRate(long kbit) throws IOException {
            command("rate_kbit " + kbit);
        }

        /** The relay's counters now (asks it); after close, its final counters. */
        public TunStats stats() throws IOException {
            if (relay.isAlive()) {
                lines.clear();
                command("stats");
                try {
                    String line = lines.poll(5, TimeUnit.SECONDS);
                    if (line != null && line.startsWith("{")) {
                        return TunStats.of(JSON.readTree(line));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            if (finalStats != null) {
                return finalStats;
            }
            if (Files.exists(statsFile)) {
                return TunStats.of(JSON.readTree(statsFile.toFile()));
            }
            throw new IOException("no stats from the tun relay: " + readLog());
        }

        /** The relay process id (its TUN devices live as long as it does). */
        public long relayPid() {
            return relay.pid();
        }

        private synchronized void command(String text) throws IOException {
            commands.write((text + "\n").getBytes(StandardCharsets.UTF_8));
            commands.flush();
        }

        private String readLog() {
            try {
                return Files.exists(log) ? Files.readString(log).trim() : "";
            } catch (IOException e) {
                return e.toString();
            }
        }

        @Override
        void destroy() {
            relay.destroy(); // SIGTERM: writes final stats; the TUN devices go with the process
            try {
                if (!relay.waitFor(5, TimeUnit.SECONDS)) {
                    relay.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                relay.destroyForcibly();
            }
            try {
                if (Files.exists(statsFile)) {
                    finalStats = TunStats.of(JSON.readTree(statsFile.toFile()));
                }
            } catch (IOException ignored) {
                // no final counters
            }
            runQuietly("ip", "link", "del", jvmDevice); // normally gone already
        }
    }
}
