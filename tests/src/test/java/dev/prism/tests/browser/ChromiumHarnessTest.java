package dev.prism.tests.browser;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The browser harness itself: Chromium's fake camera through a pc1↔pc2 loopback call
 * decodes frames. If this fails, every browser test would, so it runs first.
 */
class ChromiumHarnessTest {
    @Test
    void loopbackCallDecodesFakeCamera() throws Exception {
        assumeTrue(Chromium.available(), "chromium is not installed (.ci/run installs it)");
        // getUserMedia needs a secure context: http on loopback is one, about:blank is not.
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", exchange -> {
            byte[] body = "<!doctype html><title>blank</title>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
        try (Chromium chromium = Chromium.launch()) {
            BrowserPage page = chromium.open("http://127.0.0.1:" + http.getAddress().getPort() + "/");
            page.eval("""
                    (async () => {
                      const stream = await navigator.mediaDevices.getUserMedia({video: {width: 640, height: 360}, audio: true});
                      const pc1 = new RTCPeerConnection(), pc2 = new RTCPeerConnection();
                      pc1.onicecandidate = e => e.candidate && pc2.addIceCandidate(e.candidate);
                      pc2.onicecandidate = e => e.candidate && pc1.addIceCandidate(e.candidate);
                      stream.getTracks().forEach(t => pc1.addTrack(t, stream));
                      await pc1.setLocalDescription();
                      await pc2.setRemoteDescription(pc1.localDescription);
                      await pc2.setLocalDescription();
                      await pc1.setRemoteDescription(pc2.localDescription);
                      window.pc2 = pc2;
                      return true;
                    })()""");
            String frames = """
                    (async () => { let n = 0; (await pc2.getStats()).forEach(s => {
                      if (s.type === 'inbound-rtp' && s.kind === 'video') n = s.framesDecoded || 0; }); return n; })()""";
            JsonNode decoded = page.waitUntil(frames, v -> v.asInt() > 10, Duration.ofSeconds(15));
            assertTrue(decoded.asInt() > 10);
        } finally {
            http.stop(0);
        }
    }
}
