package dev.prism.sfu.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.IllegalReferenceCountException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The worker's send buffers: reused last in, first out, on the owner thread only. */
class SendBufferAllocatorTest {
    private final SendBufferAllocator alloc = new SendBufferAllocator(PooledByteBufAllocator.DEFAULT, Thread.currentThread());

    /** The buffer under the leak detector's wrapper (tests run it at paranoid: every buffer is wrapped). */
    private static ByteBuf inner(ByteBuf b) {
        ByteBuf u = b.unwrap();
        return u == null ? b : u;
    }

    @Test
    void aReleasedBufferIsTheNextOneHandedOutLastInFirstOut() {
        ByteBuf a = alloc.directBuffer(1240);
        ByteBuf b = alloc.directBuffer(1240);
        ByteBuf innerA = inner(a), innerB = inner(b);
        assertNotSame(innerA, innerB);
        a.writeInt(7);
        a.release();
        b.release();
        assertEquals(2, alloc.freeBuffers());
        ByteBuf c = alloc.directBuffer(100);
        ByteBuf d = alloc.directBuffer(1240);
        assertSame(innerB, inner(c), "the last released comes back first");
        assertSame(innerA, inner(d));
        assertEquals(0, d.readerIndex());
        assertEquals(0, d.writerIndex(), "handed out empty");
        assertEquals(1, d.refCnt());
        assertEquals(SendBufferAllocator.SLOT_BYTES, d.capacity());
        assertEquals(2, alloc.buffersMade(), "nothing new was made for the second round");
        c.release();
        d.release();
    }

    @Test
    void aReleasedBufferFailsAStaleUseUntilHandedOutAgain() {
        ByteBuf a = alloc.directBuffer(64);
        ByteBuf innerA = inner(a);
        a.release();
        assertEquals(0, innerA.refCnt());
        assertThrows(IllegalReferenceCountException.class, () -> innerA.getByte(0));
        assertThrows(IllegalReferenceCountException.class, innerA::release, "released once only");
        alloc.directBuffer(64).release();
    }

    @Test
    void largeRequestsAndOtherThreadsUseTheFallback() throws Exception {
        ByteBuf big = alloc.directBuffer(SendBufferAllocator.SLOT_BYTES + 1);
        assertFalse(inner(big).getClass().getSimpleName().equals("SendBuffer"));
        big.release();
        assertEquals(0, alloc.freeBuffers());

        AtomicReference<ByteBuf> fromOther = new AtomicReference<>();
        Thread t = new Thread(() -> fromOther.set(alloc.directBuffer(64)));
        t.start();
        t.join();
        assertEquals(0, alloc.buffersMade(), "another thread's buffer is not the worker's");
        fromOther.get().release();

        // A worker buffer released on another thread is freed, not put on the stack.
        ByteBuf mine = alloc.directBuffer(64);
        Thread releaser = new Thread(mine::release);
        releaser.start();
        releaser.join();
        assertEquals(0, mine.refCnt());
        assertEquals(0, alloc.freeBuffers());
    }

    @Test
    void aGrownBufferIsFreedAndTheStackIsBounded() {
        ByteBuf grown = alloc.directBuffer(64);
        grown.writeZero(SendBufferAllocator.SLOT_BYTES + 10);
        grown.release();
        assertEquals(0, alloc.freeBuffers(), "only slot-sized buffers are kept");

        List<ByteBuf> many = new ArrayList<>();
        for (int i = 0; i < SendBufferAllocator.MAX_FREE + 10; i++) {
            many.add(alloc.directBuffer(64));
        }
        many.forEach(ByteBuf::release);
        assertEquals(SendBufferAllocator.MAX_FREE, alloc.freeBuffers());
        assertTrue(alloc.isDirectBufferPooled());
    }
}
