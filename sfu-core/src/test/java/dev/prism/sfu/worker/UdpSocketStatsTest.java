package dev.prism.sfu.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class UdpSocketStatsTest {
    /** Captured from /proc/self/net/udp6 and udp here: a 4 KiB socket on :10000 was sent 200 datagrams. */
    private static final List<String> UDP6 = List.of(
            "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops",
            "10483: 00000000000000000000000000000000:2710 00000000000000000000000000000000:0000 07 00000000:00001E00 00:00000000 00000000     0        0 5633998 2 000000007ecfb93e 194",
            "11550: 00000000000000000000000000000000:EB3B 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 5634000 2 00000000e0ecad79 0");
    private static final List<String> UDP = List.of(
            "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops            ",
            "10484: 0100007F:2711 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 5633999 2 000000007144cbfc 0       ");

    @Test
    void readsTheQueueAndDropsOfTheSocketsOnThePort() {
        assertEquals(new UdpSocketStats(0x1E00, 194), UdpSocketStats.parse(UDP6, 10000));
        assertEquals(new UdpSocketStats(0, 0), UdpSocketStats.parse(UDP6, 10001), "no socket on the port here");
        assertEquals(new UdpSocketStats(0, 0), UdpSocketStats.parse(UDP, 10001), "an idle socket");
        assertEquals(new UdpSocketStats(0, 0), UdpSocketStats.parse(UDP, 0x11), "the port is the whole hex field");
    }

    @Test
    void rowsThatDoNotParseAreSkipped() {
        assertEquals(new UdpSocketStats(0x1E00, 194), UdpSocketStats.parse(List.of("", "garbage",
                "1: x:2710 y 07 nocolon b c d e f g h 12", "1: x:2710 y 07 0:zz b c d e f g h 12", UDP6.get(1)), 10000));
    }

    @Test
    void readsThisProcesssTablesOnLinux() {
        if (System.getProperty("os.name").startsWith("Linux")) {
            UdpSocketStats s = UdpSocketStats.read(9);
            assertNotNull(s);
            assertTrue(s.drops() >= 0 && s.queuedBytes() >= 0, s.toString());
        }
    }
}
