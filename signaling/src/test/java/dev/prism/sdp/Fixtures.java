package dev.prism.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Loads the SDP fixtures under src/test/resources/sdp. */
public final class Fixtures {
    public static final String CHROMIUM_PUBLISH = "chromium-publish.sdp";
    public static final String CHROMIUM_SIMULCAST = "chromium-publish-simulcast.sdp";
    public static final String CHROMIUM_WHEP = "chromium-whep-recvonly.sdp";
    public static final String GSTREAMER_PUBLISH = "gstreamer-publish.sdp";
    public static final String[] ALL = {CHROMIUM_PUBLISH, CHROMIUM_SIMULCAST, CHROMIUM_WHEP, GSTREAMER_PUBLISH};

    private Fixtures() {}

    public static String text(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/sdp/" + name)) {
            if (in == null) throw new IllegalStateException("missing fixture " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SessionDescription parse(String name) {
        return SdpParser.parse(text(name));
    }
}
