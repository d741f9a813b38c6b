package dev.prism.signaling.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prism.sfu.room.TrackSource;
import dev.prism.signaling.SignalingException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code sources} field of {@code publish}, and the {@code layers} message (PROTOCOL.md). */
class TrackSourcesFieldTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode field(String publishMessage) throws Exception {
        return JSON.readTree(publishMessage).get("sources");
    }

    @Test
    void absentOrNullMeansNothingDeclared() throws Exception {
        assertEquals(Map.of(), TrackSourcesField.parse(field("{\"type\":\"publish\",\"sdp\":\"v=0\"}")));
        assertEquals(Map.of(), TrackSourcesField.parse(field("{\"sources\":null}")));
        assertEquals(Map.of(), TrackSourcesField.parse(field("{\"sources\":{}}")));
    }

    @Test
    void eachMidGetsItsDeclaredSource() throws Exception {
        Map<String, TrackSource> parsed = TrackSourcesField.parse(
                field("{\"sources\":{\"0\":\"microphone\",\"1\":\"camera\",\"2\":\"screen\"}}"));
        assertEquals(Map.of("0", TrackSource.MICROPHONE, "1", TrackSource.CAMERA, "2", TrackSource.SCREEN), parsed);
    }

    @Test
    void anUnknownSourceIsABadMessageNamingTheMid() throws Exception {
        SignalingException e = assertThrows(SignalingException.class,
                () -> TrackSourcesField.parse(field("{\"sources\":{\"0\":\"camera\",\"1\":\"window\"}}")));
        assertEquals("bad_message", e.code());
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("'1'") && e.getMessage().contains("window"), e.getMessage());
    }

    @Test
    void caseMattersAndNonTextIsRefused() throws Exception {
        assertEquals("bad_message", assertThrows(SignalingException.class,
                () -> TrackSourcesField.parse(field("{\"sources\":{\"0\":\"Screen\"}}"))).code());
        assertEquals("bad_message", assertThrows(SignalingException.class,
                () -> TrackSourcesField.parse(field("{\"sources\":{\"0\":1}}"))).code());
        assertEquals("bad_message", assertThrows(SignalingException.class,
                () -> TrackSourcesField.parse(field("{\"sources\":{\"0\":null}}"))).code());
    }

    @Test
    void notAnObjectIsRefused() throws Exception {
        for (String bad : new String[] {"[\"screen\"]", "\"screen\"", "3", "true"}) {
            SignalingException e = assertThrows(SignalingException.class,
                    () -> TrackSourcesField.parse(field("{\"sources\":" + bad + "}")), bad);
            assertEquals("bad_message", e.code());
        }
    }

    @Test
    void tooManyEntriesAreRefused() throws Exception {
        StringBuilder many = new StringBuilder("{\"sources\":{");
        for (int i = 0; i <= TrackSourcesField.MAX_ENTRIES; i++) {
            many.append(i == 0 ? "" : ",").append('"').append(i).append("\":\"camera\"");
        }
        String message = many.append("}}").toString();
        assertEquals("bad_message", assertThrows(SignalingException.class,
                () -> TrackSourcesField.parse(field(message))).code());
    }

    @Test
    void layersMessageNamesTheTrackItsMidAndEachRidInOrder() {
        Map<String, Boolean> active = new java.util.LinkedHashMap<>();
        active.put("q", true);
        active.put("h", false);
        active.put("f", false);
        assertEquals("{\"type\":\"layers\",\"trackId\":\"T1-0\",\"mid\":\"0\",\"active\":{\"q\":true,\"h\":false,\"f\":false}}",
                WebSocketSession.layersMessage("T1-0", "0", active).toString());
    }
}
