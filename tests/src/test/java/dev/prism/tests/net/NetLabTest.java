package dev.prism.tests.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.prism.tests.browser.BrowserPage;
import dev.prism.tests.browser.Chromium;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * NetLab itself: the impairments it promises are the ones a packet meets, measured end to end
 * between this JVM's namespace and a viewer namespace, and Chromium runs behind a link.
 */
class NetLabTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Sends {@code n} numbered packets at {@code pps}, counts echoes, reports RTTs (viewer side). */
    private static final String ECHO_SENDER = """
            import json, socket, struct, sys, time
            host, port, n, pps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.setblocking(False)
            sent, rtts = {}, {}
            start = time.monotonic(); i = 0; end = None; hard_stop = start + n / pps + 10
            while time.monotonic() < hard_stop:
                now = time.monotonic()
                while i < n and now >= start + i / pps:
                    sent[i] = now; s.sendto(struct.pack("!I", i) + b"x" * 96, (host, port)); i += 1
                try:
                    while True:
                        d = s.recv(2048); k = struct.unpack("!I", d[:4])[0]
                        if k in sent and k not in rtts: rtts[k] = time.monotonic() - sent[k]
                except BlockingIOError:
                    pass
                if i >= n:
                    end = end or time.monotonic() + 1.0
                    if time.monotonic() > end: break
                time.sleep(0.0005)
            r = sorted(rtts.values())
            print(json.dumps({"sent": i, "received": len(r),
                "rttMinMs": r[0] * 1000 if r else -1, "rttMedianMs": r[len(r) // 2] * 1000 if r else -1}))
            """;

    /** Counts UDP payload bytes until 1 s without packets (or 20 s); prints "ready" first. */
    private static final String RECEIVER = """
            import json, socket, sys, time
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind(("0.0.0.0", int(sys.argv[1]))); s.settimeout(0.2)
            print("ready", flush=True)
            deadline = time.monotonic() + 20; first = last = None; packets = nbytes = 0
            while time.monotonic() < deadline:
                try:
                    d = s.recv(65536)
                except socket.timeout:
                    if last is not None and time.monotonic() - last > 1.0: break
                    continue
                last = time.monotonic(); first = first or last; packets += 1; nbytes += len(d)
            print(json.dumps({"packets": packets, "bytes": nbytes, "seconds": (last - first) if packets > 1 else 0}))
            """;

    /** Sends {@code kbit} kbit/s of 1000-byte datagrams for {@code seconds} (viewer side). */
    private static final String BLASTER = """
            import socket, sys, time
            host, port, kbit, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            payload = b"x" * 1000; interval = 8000.0 / (kbit * 1000.0)
            start = time.monotonic(); i = 0
            while time.monotonic() < start + seconds:
                due = start + i * interval
                now = time.monotonic()
                if now < due: time.sleep(due - now)
                s.sendto(payload, (host, port)); i += 1
            print(i)
            """;

    private static void assumeLab() {
        String missing = NetLab.missingPrerequisite();
        assumeTrue(missing == null, "NetLab needs root, iproute2 and /dev/net/tun: " + missing);
        assumeTrue(NetLab.python() != null, "python3 is not installed (.ci/run installs it)");
    }

    @Test
    void tunRelayDropsFivePercentEachWayAndDelaysTwentyMilliseconds() throws Exception {
        assumeLab();
        try (NetLab lab = new NetLab();
             DatagramSocket echo = new DatagramSocket(new InetSocketAddress(NetLab.SERVER_ADDRESS, 0))) {
            NetLab.TunLink link = lab.tun("lossy", NetLab.TunOptions.lossAndDelay(0.05, 20).withSeed(7));
            Thread echoer = Thread.ofVirtual().start(() -> {
                byte[] buf = new byte[2048];
                try {
                    while (true) {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        echo.receive(p);
                        echo.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
                    }
                } catch (IOException closed) {
                    // socket closed at the end of the test
                }
            });
            JsonNode result = python(link, 60, ECHO_SENDER,
                    NetLab.SERVER_ADDRESS, Integer.toString(echo.getLocalPort()), "2000", "500");
            NetLab.TunStats stats = link.stats();
            echo.close();
            echoer.join(5_000);

            int sent = result.path("sent").asInt();
            int received = result.path("received").asInt();
            double missing = 1.0 - (double) received / sent;
            System.out.printf("netlab tun 5%%/20ms: %d sent, %d echoed, %.1f%% missing, RTT min %.1f ms, median %.1f ms;"
                            + " relay up %s, down %s%n", sent, received, missing * 100,
                    result.path("rttMinMs").asDouble(), result.path("rttMedianMs").asDouble(), stats.up(), stats.down());
            assertEquals(2000, sent, result.toString());
            // 1 - 0.95² = 9.75 % expected; σ ≈ 0.7 % at 2000 packets
            assertTrue(missing >= 0.05 && missing <= 0.15, "round-trip loss " + missing + ": " + result);
            assertTrue(result.path("rttMinMs").asDouble() >= 40, "two 20 ms delays: " + result);
            assertTrue(stats.up().received() >= 2000, "relay saw every request: " + stats);
            assertTrue(stats.up().lossFraction() > 0.03 && stats.up().lossFraction() < 0.07, stats.toString());
            assertTrue(stats.down().lossFraction() > 0.03 && stats.down().lossFraction() < 0.07, stats.toString());
            assertEquals(stats.down().forwarded(), received, "every echo the relay delivered arrived: " + stats);
        }
    }

    @Test
    void vethRateLimitHoldsFiveHundredKbitUntilCleared() throws Exception {
        assumeLab();
        try (NetLab lab = new NetLab()) {
            NetLab.VethLink link = lab.veth("slow");
            link.setRate(500);
            assertTrue(link.qdisc().contains("tbf"), link.qdisc());
            JsonNode shaped = downlink(link, 2000, 3);
            double shapedKbit = kbit(shaped);
            link.clearRate();
            assertFalse(link.qdisc().contains("tbf"), link.qdisc());
            JsonNode free = downlink(link, 2000, 3);
            double freeKbit = kbit(free);

            link.setUplinkRate(500);
            JsonNode up = uplink(link, 2000, 3);
            double upKbit = kbit(up);
            link.clearUplinkRate();
            System.out.printf("netlab veth tbf: down 2000 kbit/s offered → %.0f kbit/s at 500, %.0f kbit/s cleared;"
                    + " up %.0f kbit/s at 500 (UDP payload)%n", shapedKbit, freeKbit, upKbit);
            assertTrue(shapedKbit >= 400 && shapedKbit <= 600, "shaped to 500 kbit/s: " + shaped);
            assertTrue(freeKbit >= 1700, "unshaped passes the offered 2 Mbit/s: " + free);
            assertTrue(upKbit >= 400 && upKbit <= 600, "uplink shaped to 500 kbit/s: " + up);
        }
    }

    @Test
    void tunRelayHoldsARateWithTailDropAndChangesAtRunTime() throws Exception {
        assumeLab();
        try (NetLab lab = new NetLab()) {
            NetLab.TunLink link = lab.tun("narrow", NetLab.TunOptions.lossAndDelay(0.0, 5).withRate(500, 100));
            JsonNode shaped = downlink(link, 2000, 3);
            NetLab.TunStats stats = link.stats();
            link.setRate(0);
            link.setLoss(0.5, 0.0);
            NetLab.TunStats before = link.stats();
            JsonNode halved = downlink(link, 1000, 2);
            NetLab.TunStats after = link.stats();
            long received = after.down().received() - before.down().received();
            long dropped = after.down().dropped() - before.down().dropped();
            System.out.printf("netlab tun rate: 2000 kbit/s offered → %.0f kbit/s at 500 (%d tail drops);"
                    + " then 50 %% loss: %d of %d dropped, %d arrived%n",
                    kbit(shaped), stats.down().tailDropped(), dropped, received, halved.path("packets").asInt());
            assertTrue(kbit(shaped) >= 400 && kbit(shaped) <= 600, "held to 500 kbit/s: " + shaped);
            assertTrue(stats.down().tailDropped() > 0, "excess tail-dropped: " + stats);
            assertTrue(dropped > received * 0.4 && dropped < received * 0.6, "loss changed at run time: " + after);
            assertEquals(received - dropped, halved.path("packets").asLong(), "the rest arrived: " + halved);
        }
    }

    @Test
    void chromiumInAViewerNamespaceLoadsAPageFromTheServerAddress() throws Exception {
        assumeLab();
        assumeTrue(Chromium.available(), "chromium is not installed (.ci/run installs it)");
        try (NetLab lab = new NetLab()) { // puts the server address on lo
            NetLab.VethLink link = lab.veth("browser");
            serveAndBrowse(link);
        }
    }

    private static void serveAndBrowse(NetLab.Link link) throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getByName(NetLab.SERVER_ADDRESS), 0), 0);
        CompletableFuture<String> client = new CompletableFuture<>();
        http.createContext("/", exchange -> {
            client.complete(exchange.getRemoteAddress().getAddress().getHostAddress());
            byte[] body = (exchange.getRequestURI().getPath().equals("/data")
                    ? "hello from the server namespace" : "<!doctype html><title>netlab</title>")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
        try (Chromium chromium = Chromium.launchIn(link.namespace())) {
            BrowserPage page = chromium.open("http://" + NetLab.SERVER_ADDRESS + ":" + http.getAddress().getPort() + "/");
            assertEquals("netlab", page.eval("document.title").asText());
            assertEquals("hello from the server namespace", page.eval("fetch('/data').then(r => r.text())").asText());
            assertEquals(link.viewerAddress(), client.get(5, TimeUnit.SECONDS), "the request came over the link");
        } finally {
            http.stop(0);
        }
    }

    @Test
    void closeRemovesNamespacesDevicesRelaysAndTheServerAddress() throws Exception {
        assumeLab();
        NetLab lab = new NetLab();
        List<String> names;
        NetLab.VethLink veth;
        NetLab.TunLink tun;
        try {
            veth = lab.veth("a");
            tun = lab.tun("b", NetLab.TunOptions.lossAndDelay(0.0, 1));
            veth.setRate(1000);
            names = lab.namespaces();
            assertEquals(2, names.size());
            String listed = NetLab.run("ip", "netns", "list");
            for (String name : names) {
                assertTrue(name.startsWith("prism-" + ProcessHandle.current().pid() + "-"), name);
                assertTrue(listed.contains(name), listed);
            }
            assertThrows(IllegalStateException.class, () -> lab.veth("a"), "one name, one namespace");
            assertTrue(NetLab.run("ip", "addr", "show", "dev", "lo").contains(NetLab.SERVER_ADDRESS + "/32"));
        } finally {
            lab.close();
        }
        String listed = NetLab.run("ip", "netns", "list");
        for (String name : names) {
            assertFalse(listed.contains(name), "removed " + name + ": " + listed);
        }
        assertFalse(ProcessHandle.of(tun.relayPid()).map(ProcessHandle::isAlive).orElse(false), "relay ended");
        String links = NetLab.run("ip", "-o", "link", "show");
        assertFalse(links.contains(veth.jvmDevice()), links);
        assertFalse(links.contains(tun.jvmDevice()), links);
        assertFalse(NetLab.run("ip", "addr", "show", "dev", "lo").contains(NetLab.SERVER_ADDRESS + "/32"));
        assertTrue(tun.stats().up().received() >= 0, "final counters survive close");

        // a namespace of a JVM that no longer exists (no pid exceeds Linux's PID_MAX_LIMIT, 2^22)
        String stale = "prism-" + (4_194_304 + 1) + "-stale";
        NetLab.run("ip", "netns", "add", stale);
        try {
            String before = NetLab.run("ip", "netns", "list");
            List<String> removed = NetLab.removeStaleNamespaces();
            assertTrue(removed.contains(stale), stale + " not in " + removed + "; ip netns list: " + before);
        } finally {
            NetLab.runQuietly("ip", "netns", "del", stale);
        }
        assertFalse(NetLab.run("ip", "netns", "list").contains(stale));
    }

    /** JVM namespace → viewer: Java sends, a Python receiver in the viewer namespace counts. */
    private static JsonNode downlink(NetLab.Link link, int kbit, int seconds) throws Exception {
        Process receiver = link.exec(NetLab.python().toString(), "-c", RECEIVER, "5001").start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(receiver.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("ready", out.readLine());
            try (DatagramSocket socket = new DatagramSocket()) {
                InetSocketAddress to = new InetSocketAddress(link.viewerAddress(), 5001);
                byte[] payload = new byte[1000];
                long intervalNanos = 8_000_000_000L / kbit; // 8000 bits per packet
                long start = System.nanoTime();
                int packets = (int) ((long) seconds * 1_000_000_000L / intervalNanos);
                for (int i = 0; i < packets; i++) {
                    long wait = start + i * intervalNanos - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    try {
                        socket.send(new DatagramPacket(payload, payload.length, to));
                    } catch (IOException full) {
                        // ENOBUFS from a full queue counts as loss
                    }
                }
            }
            assertTrue(receiver.waitFor(30, TimeUnit.SECONDS), "receiver ended");
            return JSON.readTree(out.readLine());
        } finally {
            receiver.destroyForcibly();
        }
    }

    /** Viewer → JVM namespace: a Python sender in the viewer namespace, Java counts here. */
    private static JsonNode uplink(NetLab.Link link, int kbit, int seconds) throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(NetLab.SERVER_ADDRESS, 0))) {
            socket.setSoTimeout(200);
            Process sender = link.exec(NetLab.python().toString(), "-c", BLASTER, NetLab.SERVER_ADDRESS,
                    Integer.toString(socket.getLocalPort()), Integer.toString(kbit), Integer.toString(seconds)).start();
            try {
                byte[] buf = new byte[2048];
                long first = 0;
                long last = 0;
                long bytes = 0;
                int packets = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 20L);
                while (System.nanoTime() < deadline) {
                    try {
                        socket.receive(new DatagramPacket(buf, buf.length));
                    } catch (SocketTimeoutException idle) {
                        if (packets > 0 && System.nanoTime() - last > 1_000_000_000L) {
                            break;
                        }
                        continue;
                    } catch (SocketException e) {
                        break;
                    }
                    last = System.nanoTime();
                    if (packets++ == 0) {
                        first = last;
                    }
                    bytes += 1000;
                }
                assertTrue(sender.waitFor(30, TimeUnit.SECONDS), "sender ended");
                var node = JSON.createObjectNode();
                node.put("packets", packets);
                node.put("bytes", bytes);
                node.put("seconds", packets > 1 ? (last - first) / 1e9 : 0);
                return node;
            } finally {
                sender.destroyForcibly();
            }
        }
    }

    private static double kbit(JsonNode measured) {
        double seconds = measured.path("seconds").asDouble();
        return seconds <= 0 ? 0 : measured.path("bytes").asLong() * 8 / seconds / 1000;
    }

    /** Runs a Python script in the link's viewer namespace; its last stdout line is JSON. */
    private static JsonNode python(NetLab.Link link, int timeoutSeconds, String script, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(NetLab.python().toString(), "-c", script));
        command.addAll(List.of(args));
        Process p = link.exec(command.toArray(String[]::new)).redirectErrorStream(true).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
        try {
            assertTrue(p.waitFor(timeoutSeconds, TimeUnit.SECONDS), "script finished in " + timeoutSeconds + " s");
            String text = out.get(5, TimeUnit.SECONDS).trim();
            assertEquals(0, p.exitValue(), text);
            return JSON.readTree(text.substring(text.lastIndexOf('\n') + 1));
        } finally {
            p.destroyForcibly();
        }
    }
}
