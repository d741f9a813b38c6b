package dev.prism.tests.browser;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium as a real WebRTC peer, driven over the DevTools protocol.
 * Fake camera and microphone; a fresh profile per instance; loopback allowed for ICE.
 */
public final class Chromium implements AutoCloseable {
    public static final Path EXECUTABLE = Path.of(System.getenv().getOrDefault("PRISM_CHROMIUM", "/usr/bin/chromium"));

    private final Process process;
    private final Path profile;
    private final DevToolsConnection devTools;
    private final List<BrowserPage> pages = new ArrayList<>();

    private Chromium(Process process, Path profile, DevToolsConnection devTools) {
        this.process = process;
        this.profile = profile;
        this.devTools = devTools;
    }

    public static boolean available() {
        return Files.isExecutable(EXECUTABLE);
    }

    private static List<String> flags(Path profile) {
        return List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--mute-audio",
                "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                "--allow-loopback-in-peer-connection", "--autoplay-policy=no-user-gesture-required",
                "--user-data-dir=" + profile);
    }

    /** Starts Chromium; {@code extraFlags} are appended (e.g. "--force-fieldtrials=..."). */
    public static Chromium launch(String... extraFlags) throws Exception {
        Path profile = Files.createTempDirectory("prism-chromium-");
        List<String> command = new ArrayList<>(List.of(EXECUTABLE.toString()));
        command.addAll(flags(profile));
        command.add("--remote-debugging-port=0");
        command.addAll(List.of(extraFlags));
        command.add("about:blank");
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader err = new BufferedReader(
                    new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = err.readLine()) != null) {
                    int at = line.indexOf("ws://");
                    if (line.startsWith("DevTools listening on") && at >= 0) {
                        url.complete(line.substring(at).trim());
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            url.completeExceptionally(new IOException("Chromium exited before DevTools was ready"));
        });
        try {
            String wsUrl = url.get(30, TimeUnit.SECONDS);
            return new Chromium(process, profile, DevToolsConnection.open(wsUrl));
        } catch (Exception e) {
            process.destroyForcibly();
            deleteTree(profile);
            throw e;
        }
    }

    /**
     * Starts Chromium inside network namespace {@code netnsName} ({@code ip netns exec}, needs
     * root). DevTools' TCP port would be unreachable from here, so it talks over
     * {@code --remote-debugging-pipe}: the browser's fd 3 and fd 4 are this process's stdin and
     * stdout. Otherwise the same flags and the same {@link BrowserPage} API as {@link #launch}.
     */
    public static Chromium launchIn(String netnsName, String... extraFlags) throws Exception {
        Path profile = Files.createTempDirectory("prism-chromium-");
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", netnsName, "sh", "-c",
                "exec \"$0\" \"$@\" 3<&0 4>&1 0</dev/null 1>/dev/null", EXECUTABLE.toString()));
        command.addAll(flags(profile));
        command.add("--remote-debugging-pipe");
        command.addAll(List.of(extraFlags));
        command.add("about:blank");
        Process process = new ProcessBuilder(command).start();
        ArrayDeque<String> stderrTail = new ArrayDeque<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader err = new BufferedReader(
                    new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = err.readLine()) != null) {
                    synchronized (stderrTail) {
                        stderrTail.addLast(line);
                        if (stderrTail.size() > 20) {
                            stderrTail.removeFirst();
                        }
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        DevToolsConnection devTools = DevToolsConnection.openPipe(process.getOutputStream(), process.getInputStream());
        try {
            devTools.send(null, "Browser.getVersion", null, 30_000);
            return new Chromium(process, profile, devTools);
        } catch (Exception e) {
            devTools.close();
            process.destroyForcibly();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            deleteTree(profile);
            String tail;
            synchronized (stderrTail) {
                tail = String.join("\n", stderrTail);
            }
            throw new IOException("Chromium in namespace " + netnsName + " did not answer on the DevTools pipe: "
                    + e + "\nstderr:\n" + tail, e);
        }
    }

    /** Opens a new tab at {@code url} and waits for its load event. */
    public BrowserPage open(String url) throws Exception {
        var create = DevToolsConnection.params();
        create.put("url", "about:blank");
        String targetId = devTools.send(null, "Target.createTarget", create, 10_000).get("targetId").asText();
        var attach = DevToolsConnection.params();
        attach.put("targetId", targetId);
        attach.put("flatten", true);
        String sessionId = devTools.send(null, "Target.attachToTarget", attach, 10_000).get("sessionId").asText();
        BrowserPage page = new BrowserPage(devTools, targetId, sessionId);
        page.enable();
        page.navigate(url);
        pages.add(page);
        return page;
    }

    /** Closes every tab opened so far (their peer connections end with them); the browser stays. */
    public void closePages() {
        for (BrowserPage page : pages) {
            try {
                var p = DevToolsConnection.params();
                p.put("targetId", page.targetId());
                devTools.send(null, "Target.closeTarget", p, 3_000);
            } catch (Exception ignored) {
                // the tab may have gone already
            }
        }
        pages.clear();
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        closePages();
        try {
            devTools.send(null, "Browser.close", null, 3_000);
        } catch (Exception ignored) {
            // killed below
        }
        devTools.close();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        deleteTree(profile);
    }

    static JsonNode valueOf(JsonNode evaluateResult) {
        return evaluateResult.path("result").path("value");
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp files; best effort
        }
    }
}
