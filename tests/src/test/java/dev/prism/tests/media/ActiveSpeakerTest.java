package dev.prism.tests.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prism.api.PrismServer;
import dev.prism.tests.browser.BrowserPage;
import dev.prism.tests.browser.Chromium;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The room page highlights the dominant speaker. Chromium's default fake microphone arrives as
 * silence (level 127) once its audio processing has run, so the browser is given a recorded
 * "voice" instead: syllable-like tone bursts written to a WAV file the fake device loops.
 */
class ActiveSpeakerTest {
    @Test
    void roomPageHighlightsTheActiveSpeakerAndFollowsWhoTalks() throws Exception {
        assumeTrue(Chromium.available(), "chromium is not installed (.ci/run installs it)");
        Path voice = Files.createTempFile("prism-voice-", ".wav");
        Files.write(voice, syllables());
        try (PrismServer server = PrismFixture.start(1);
             Chromium chromium = Chromium.launch("--use-file-for-fake-audio-capture=" + voice)) {
            String room = "speakers";
            BrowserPage[] people = new BrowserPage[3];
            String[] names = {"ann", "ben", "cid"};
            for (int i = 0; i < 3; i++) {
                String token = server.token(names[i], room, true, true, 600);
                people[i] = chromium.open(PrismFixture.base(server) + "/room.html?room=" + room + "&identity=" + names[i]
                        + "&token=" + token);
            }
            String published = "!!(window.prism && prism.publisher && prism.publisher.getSenders().length >= 2)";
            for (BrowserPage p : people) {
                p.waitUntil(published, JsonNode::asBoolean, Duration.ofSeconds(20));
            }
            // Only ann talks; a disabled microphone sends silence.
            setMicrophone(people[1], false);
            setMicrophone(people[2], false);
            String speaker = """
                    ({text: document.getElementById('speaker').textContent,
                      highlighted: document.querySelectorAll('#grid video.speaker').length})""";
            JsonNode seen = people[2].waitUntil(speaker, x -> x.path("text").asText().equals("speaking: ann")
                    && x.path("highlighted").asInt() == 1, Duration.ofSeconds(20));
            assertEquals(1, seen.path("highlighted").asInt(), "ann's tile is highlighted: " + seen);
            // Ann stops, Ben starts: the highlight moves, on every page.
            setMicrophone(people[0], false);
            setMicrophone(people[1], true);
            for (BrowserPage p : new BrowserPage[] {people[2], people[0]}) {
                seen = p.waitUntil(speaker, x -> x.path("text").asText().equals("speaking: ben")
                        && x.path("highlighted").asInt() == 1, Duration.ofSeconds(20));
                assertEquals(1, seen.path("highlighted").asInt(), "ben's tile is highlighted: " + seen);
            }
        } finally {
            Files.deleteIfExists(voice);
        }
    }

    private static void setMicrophone(BrowserPage page, boolean on) throws Exception {
        page.eval("prism.publisher.getSenders().filter(s => s.track && s.track.kind === 'audio')"
                + ".forEach(s => s.track.enabled = " + on + "); true");
    }

    /** 8 s of 48 kHz mono 16-bit PCM: 250 ms tone bursts of changing pitch, 150 ms pauses. */
    static byte[] syllables() {
        int rate = 48_000;
        int samples = rate * 8;
        ByteBuffer pcm = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        double phase = 0;
        for (int i = 0; i < samples; i++) {
            int inCycle = i % (rate * 400 / 1000);
            boolean on = inCycle < rate * 250 / 1000;
            double pitch = 220 + 180 * ((i / (rate * 400 / 1000)) % 4);
            phase += 2 * Math.PI * pitch / rate;
            double envelope = on ? Math.sin(Math.PI * inCycle / (rate * 250 / 1000.0)) : 0;
            pcm.putShort((short) (envelope * 0.6 * Short.MAX_VALUE * Math.sin(phase)));
        }
        ByteArrayOutputStream wav = new ByteArrayOutputStream();
        ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        header.put("RIFF".getBytes()).putInt(36 + samples * 2).put("WAVE".getBytes()).put("fmt ".getBytes())
                .putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2)
                .putShort((short) 2).putShort((short) 16).put("data".getBytes()).putInt(samples * 2);
        wav.writeBytes(header.array());
        wav.writeBytes(pcm.array());
        return wav.toByteArray();
    }
}
