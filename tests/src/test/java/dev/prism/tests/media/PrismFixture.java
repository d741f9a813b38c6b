package dev.prism.tests.media;

import dev.prism.api.PrismServer;
import dev.prism.api.ServerConfig;
import dev.prism.tests.browser.BrowserPage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** A real Prism server on loopback for browser tests, and helpers for the test-side scripts. */
public final class PrismFixture {
    public static final String KEYS = "test:0123456789abcdefghijklmnopqrstuvwxyz";

    private PrismFixture() {}

    /** HTTP and media on 127.0.0.1, ports chosen by the kernel, one worker per {@code workers}. */
    public static PrismServer start(int workers) throws Exception {
        return PrismServer.start(new ServerConfig("127.0.0.1", 0, 0, "127.0.0.1", null, workers, KEYS));
    }

    public static String base(PrismServer server) {
        return "http://127.0.0.1:" + server.httpPort();
    }

    /** Loads tests/src/test/resources/js/whip-whep.js into the page. */
    public static void injectScripts(BrowserPage page) throws Exception {
        page.eval(resource("/js/whip-whep.js") + "\n;true");
    }

    static String resource(String path) throws IOException {
        try (InputStream in = PrismFixture.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("missing test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    public static String js(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
