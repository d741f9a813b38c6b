package dev.prism.sfu.nack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

class RtpPacketCacheTest {
    private static ByteBuf packet(int seq) {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        b.writeShort(0x8060).writeShort(seq).writeInt(0).writeInt(0x1234);
        return b;
    }

    /** Puts a fresh packet and drops the caller's reference, as the receive path does. */
    private static ByteBuf putAndRelease(RtpPacketCache cache, int seq, long now) {
        ByteBuf p = packet(seq);
        try {
            cache.put(p, seq, now);
            return p;
        } finally {
            p.release();
        }
    }

    @Test
    void getReturnsTheStoredPacketWithoutRetaining() {
        RtpPacketCache cache = new RtpPacketCache();
        try {
            ByteBuf p = putAndRelease(cache, 100, 0);
            assertEquals(1, p.refCnt());
            assertSame(p, cache.get(100));
            assertEquals(100, cache.get(100).getUnsignedShort(2));
            assertNull(cache.get(101));
            assertEquals(1, p.refCnt());
            assertEquals(0, cache.arrivalMillis(100));
            assertEquals(-1, cache.arrivalMillis(101));
        } finally {
            cache.release();
        }
    }

    @Test
    void evictionReleasesTheOlderPacket() {
        RtpPacketCache cache = new RtpPacketCache(16, 1000, 10, 3, 100);
        try {
            ByteBuf first = putAndRelease(cache, 5, 0);
            ByteBuf second = putAndRelease(cache, 5 + 16, 1);
            assertEquals(0, first.refCnt(), "evicted packet released");
            assertEquals(1, second.refCnt());
            assertNull(cache.get(5));
            assertSame(second, cache.get(21));
            assertEquals(1, cache.size());
        } finally {
            cache.release();
        }
    }

    @Test
    void fullRingKeepsTheLatestCapacityPackets() {
        RtpPacketCache cache = new RtpPacketCache(512, 1000, 10, 3, 100);
        try {
            for (int seq = 0; seq < 2000; seq++) {
                putAndRelease(cache, seq, seq);
            }
            assertEquals(512, cache.size());
            assertNull(cache.get(2000 - 513));
            for (int seq = 2000 - 512; seq < 2000; seq++) {
                assertEquals(seq, cache.get(seq).getUnsignedShort(2));
            }
        } finally {
            cache.release();
        }
    }

    @Test
    void wrapAroundMapsAcrossTheCycle() {
        RtpPacketCache cache = new RtpPacketCache(64, 1000, 10, 3, 100);
        try {
            for (int i = 0; i < 40; i++) {
                putAndRelease(cache, (65520 + i) & 0xFFFF, i);
            }
            for (int i = 0; i < 40; i++) {
                int seq = (65520 + i) & 0xFFFF;
                assertEquals(seq, cache.get(seq).getUnsignedShort(2));
            }
            // seq 65535 + 64 cycles back onto slot of 63: a packet from the previous cycle is not returned
            assertNull(cache.get(65535 - 64));
        } finally {
            cache.release();
        }
    }

    @Test
    void duplicateDoesNotReplaceOriginal() {
        RtpPacketCache cache = new RtpPacketCache();
        try {
            ByteBuf original = putAndRelease(cache, 7, 0);
            ByteBuf dup = packet(7);
            try {
                assertFalse(cache.put(dup, 7, 5));
                assertEquals(1, dup.refCnt());
            } finally {
                dup.release();
            }
            assertSame(original, cache.get(7));
        } finally {
            cache.release();
        }
    }

    @Test
    void tooOldIsAbsentAndReleased() {
        RtpPacketCache cache = new RtpPacketCache(16, 1000, 10, 3, 100);
        try {
            ByteBuf p = putAndRelease(cache, 3, 0);
            assertSame(p, cache.get(3, 1000));
            assertNull(cache.get(3, 1001));
            assertEquals(0, p.refCnt());
            assertEquals(0, cache.size());
        } finally {
            cache.release();
        }
    }

    @Test
    void releaseFreesEverythingAndIsIdempotent() {
        RtpPacketCache cache = new RtpPacketCache(32, 1000, 10, 3, 100);
        ByteBuf[] kept = new ByteBuf[20];
        for (int i = 0; i < 20; i++) {
            kept[i] = putAndRelease(cache, i, 0);
        }
        cache.release();
        for (ByteBuf b : kept) {
            assertEquals(0, b.refCnt());
        }
        assertEquals(0, cache.size());
        cache.release();
        ByteBuf p = packet(1);
        try {
            assertThrows(IllegalStateException.class, () -> cache.put(p, 1, 0));
        } finally {
            p.release();
        }
    }

    @Test
    void retransmissionCapPerWindowAndInTotal() {
        RtpPacketCache cache = new RtpPacketCache(16, 10_000, 5, 3, 100);
        try {
            putAndRelease(cache, 9, 0);
            assertTrue(cache.tryRetransmit(9, 0) != null);
            assertTrue(cache.tryRetransmit(9, 10) != null);
            assertTrue(cache.tryRetransmit(9, 20) != null);
            assertNull(cache.tryRetransmit(9, 99), "fourth within 100 ms");
            assertTrue(cache.tryRetransmit(9, 100) != null, "new window");
            assertTrue(cache.tryRetransmit(9, 101) != null);
            assertNull(cache.tryRetransmit(9, 300), "total cap of 5");
            assertEquals(5, cache.retransmissions(9));
            assertNull(cache.tryRetransmit(10, 300), "absent");
            // a new packet in the slot starts with a fresh count
            putAndRelease(cache, 9 + 16, 400);
            assertEquals(0, cache.retransmissions(9 + 16));
        } finally {
            cache.release();
        }
    }

    @Test
    void rejectsBadCapacity() {
        assertThrows(IllegalArgumentException.class, () -> new RtpPacketCache(1000, 1000, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new RtpPacketCache(65536, 1000, 1, 1, 1));
    }
}
