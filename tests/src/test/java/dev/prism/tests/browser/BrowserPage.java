package dev.prism.tests.browser;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** One tab: navigate, evaluate JavaScript (awaiting promises), read its console. */
public final class BrowserPage {
    private final DevToolsConnection devTools;
    private final String targetId;
    private final String sessionId;
    private final List<String> console = new CopyOnWriteArrayList<>();

    BrowserPage(DevToolsConnection devTools, String targetId, String sessionId) {
        this.devTools = devTools;
        this.targetId = targetId;
        this.sessionId = sessionId;
    }

    String targetId() {
        return targetId;
    }

    void enable() throws Exception {
        devTools.onEvents(sessionId, event -> {
            String method = event.path("method").asText();
            if (method.equals("Runtime.consoleAPICalled")) {
                StringBuilder line = new StringBuilder(event.path("type").asText()).append(':');
                for (JsonNode arg : event.path("args")) {
                    line.append(' ').append(arg.has("value") ? arg.get("value").asText() : arg.path("description").asText());
                }
                console.add(line.toString());
            } else if (method.equals("Runtime.exceptionThrown")) {
                console.add("exception: " + event.path("exceptionDetails").path("exception").path("description").asText(
                        event.path("exceptionDetails").path("text").asText()));
            }
        });
        devTools.send(sessionId, "Runtime.enable", null, 10_000);
        devTools.send(sessionId, "Page.enable", null, 10_000);
    }

    void navigate(String url) throws Exception {
        var p = DevToolsConnection.params();
        p.put("url", url);
        devTools.send(sessionId, "Page.navigate", p, 15_000);
        waitFor("document.readyState === 'complete'", Duration.ofSeconds(15));
    }

    /** Evaluates an expression (a promise is awaited) and returns its JSON value. */
    public JsonNode eval(String expression) throws Exception {
        var p = DevToolsConnection.params();
        p.put("expression", expression);
        p.put("awaitPromise", true);
        p.put("returnByValue", true);
        JsonNode result = devTools.send(sessionId, "Runtime.evaluate", p, 30_000);
        if (result.has("exceptionDetails")) {
            JsonNode details = result.get("exceptionDetails");
            throw new AssertionError("JavaScript failed: "
                    + details.path("exception").path("description").asText(details.path("text").asText())
                    + "\nconsole:\n" + String.join("\n", console));
        }
        return Chromium.valueOf(result);
    }

    /** Polls a boolean expression until true; fails with the console log when the time is up. */
    public void waitFor(String expression, Duration timeout) throws Exception {
        waitUntil(expression, JsonNode::asBoolean, timeout);
    }

    /** Polls an expression until its value satisfies {@code done}; returns that value. */
    public JsonNode waitUntil(String expression, Predicate<JsonNode> done, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = eval(expression);
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for: " + expression
                + "\nlast value: " + last + "\nconsole:\n" + String.join("\n", console));
    }

    public List<String> console() {
        return List.copyOf(console);
    }
}
