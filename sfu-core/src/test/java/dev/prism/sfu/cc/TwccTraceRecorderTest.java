package dev.prism.sfu.cc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class TwccTraceRecorderTest {
    @Test
    void offUnlessThePropertyIsSet() {
        assertNull(System.getProperty("prism.twccTrace"), "the test JVM does not set it");
        assertNull(TwccTraceRecorder.open("t1"));
    }

    @Test
    void whatIsRecordedReadsBackExactly() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TwccTraceRecorder recorder = new TwccTraceRecorder(bytes);
        // An RTCP packet inside a compound one: 4 bytes before it, then a 16-byte TWCC packet
        // (length field 3), then 8 bytes of the next packet, which must not be recorded.
        byte[] feedback = {(byte) 0x8f, (byte) 205, 0, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, (byte) 0xab, (byte) 0xff};
        ByteBuf compound = Unpooled.buffer(28);
        try {
            compound.writeZero(4).writeBytes(feedback).writeLong(-1L);
            recorder.sent(0, 0, 1200);
            recorder.sent(1_234_567_890_123L, 65_535, 299);
            recorder.feedback(1_234_567_950_000L, compound, 4);
            // Enough lines to pass the 64 KB buffer several times.
            for (int i = 0; i < 10_000; i++) {
                recorder.sent(2_000_000_000_000L + i, i, 100 + i % 1000);
            }
            recorder.close();
        } finally {
            compound.release();
        }
        TwccTrace trace = TwccTrace.read(new ByteArrayInputStream(bytes.toByteArray()));
        assertEquals(10_003, trace.events().size());
        assertEquals(new TwccTrace.Event(0, 0, 1200, null), trace.events().get(0));
        assertEquals(new TwccTrace.Event(1_234_567_890_123L, 65_535, 299, null), trace.events().get(1));
        TwccTrace.Event f = trace.events().get(2);
        assertEquals(1_234_567_950_000L, f.micros());
        assertArrayEquals(feedback, f.feedback());
        for (int i = 0; i < 10_000; i++) {
            TwccTrace.Event e = trace.events().get(3 + i);
            assertEquals(new TwccTrace.Event(2_000_000_000_000L + i, i, 100 + i % 1000, null), e, "line " + i);
        }
    }
}
