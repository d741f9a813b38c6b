package dev.prism.sfu.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.Test;

/** The send floor's one bounded run over loopback: what it sends arrives, and its figures add up. */
class SendFloorTest {

    @Test
    void sendsEveryFanOutThroughTheWorkersBatchesAndTimesTheSender() throws Exception {
        assumeTrue(Epoll.isAvailable() && SendmmsgBatch.available(), "needs epoll and Java 22+ (FFM sendmmsg)");
        SendFloor.Result r = SendFloor.run(20, 100, 300, 1.0, 0.3, -1, -1, 0, false);

        // 20 receivers x 100 fan-outs a second for about a second; a fixed-rate schedule catches up
        // after a late tick, so the count is whole fan-outs near 2,000.
        assertEquals(0, r.sent() % 20, "whole fan-outs");
        assertTrue(r.sent() >= 1600 && r.sent() <= 2400, "sent " + r.sent());
        assertEquals(0, r.refused());
        assertEquals(r.sent(), r.received(), "loopback at 2,000 datagrams a second loses nothing");
        assertEquals(300 * r.received(), r.receivedBytes());
        // 20 datagrams a fan-out leave as a batch of 16 and one of 4.
        assertEquals(2 * r.sent() / 20, r.sendCalls());
        assertTrue(r.senderCpuSeconds() > 0 && r.senderCpuSeconds() < r.seconds(), "sender CPU " + r.senderCpuSeconds());
        assertEquals(r.senderCpuSeconds() * 1e6 / r.sent(), r.cpuMicrosPerDatagram(), 1e-9);

        JsonNode json = new ObjectMapper().readTree(r.json());
        assertEquals(20, json.path("receivers").asInt());
        assertEquals(r.sent(), json.path("sent").asLong());
        assertEquals(r.cpuMicrosPerDatagram(), json.path("cpuMicrosPerDatagram").asDouble(), 1e-3);
        assertEquals(0.0, json.path("lossPercent").asDouble());
        assertTrue(r.text().contains(String.format(java.util.Locale.ROOT, "%.2f us per datagram", r.cpuMicrosPerDatagram())),
                r.text());
    }

    @Test
    void withSrtpEachDatagramIsProtectedUnderItsReceiversKey() throws Exception {
        assumeTrue(Epoll.isAvailable() && SendmmsgBatch.available(), "needs epoll and Java 22+ (FFM sendmmsg)");
        SendFloor.Result r = SendFloor.run(20, 100, 300, 1.0, 0.3, -1, -1, 20, true);
        assertTrue(r.sent() >= 1600, "sent " + r.sent());
        assertEquals(r.sent(), r.received());
        // AES-128-GCM's 16-octet tag on every datagram.
        assertEquals(316 * r.received(), r.receivedBytes());
    }

    @Test
    void refusesUnboundedOrMeaninglessRuns() {
        assertThrows(IllegalArgumentException.class, () -> SendFloor.run(0, 100, 300, 1, 0, -1, -1, 0, false));
        assertThrows(IllegalArgumentException.class, () -> SendFloor.run(10, 100, 300, 3600, 0, -1, -1, 0, false));
        assertThrows(IllegalArgumentException.class, () -> SendFloor.run(10, 100, 2000, 1, 0, -1, -1, 0, false));
    }

    @Test
    void resultArithmetic() {
        SendFloor.Result r = new SendFloor.Result(300, 262, 1200, 10, 786_000, 785_000, 785_000L * 1200, 0, 3.93, 52_400);
        assertEquals(5.0, r.cpuMicrosPerDatagram(), 1e-9);
        assertEquals(200_000, r.datagramsPerCpuSecond(), 1e-6);
        assertEquals(78_600, r.datagramsPerSecond(), 1e-9);
        assertEquals(100.0 * 1000 / 786_000, r.lossPercent(), 1e-9);
    }
}
