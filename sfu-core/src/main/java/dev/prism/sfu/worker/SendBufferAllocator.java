package dev.prism.sfu.worker;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledUnsafeDirectByteBuf;

/**
 * The buffers a media worker sends from, reused last in, first out. Fanning a packet out to
 * hundreds of subscribers takes a buffer per subscriber, freed when the datagrams leave at the
 * end of the read batch. Netty's pooled allocator hands back the buffer freed longest ago (its
 * per-thread cache is a queue): with a cache deep enough for a fan-out, every copy lands in
 * memory the CPU has long evicted, and the pool's own bookkeeping (recycler handles, chunk
 * addresses) misses too. Here a freed buffer is the next one handed out, so the memory a batch
 * writes is the memory the previous batch sent from.
 *
 * <p>Buffers up to {@link #SLOT_BYTES} asked for on the worker's thread come from the stack (or
 * are made); anything larger, or asked for on another thread, comes from the fallback
 * allocator. A buffer returns to the stack when released on the worker's thread with its
 * capacity unchanged; otherwise its memory is freed. As Netty's pooled buffers do, a released
 * buffer keeps a reference count of 0 until it is handed out again, so a stale use fails. Netty's
 * leak detector tracks these buffers like any other ({@link AbstractByteBufAllocator}).
 */
final class SendBufferAllocator extends AbstractByteBufAllocator {
    /** A full-size datagram (1,500-byte MTU) with room for SRTP's trailer. */
    static final int SLOT_BYTES = 2048;
    /** Free buffers kept at most (4 MiB); beyond that, released buffers are freed. */
    static final int MAX_FREE = 2048;

    private final ByteBufAllocator fallback;
    private final Thread owner;
    private final SendBuffer[] free = new SendBuffer[MAX_FREE];
    private int freeCount;
    private long made;

    SendBufferAllocator(ByteBufAllocator fallback, Thread owner) {
        super(true);
        this.fallback = fallback;
        this.owner = owner;
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        if (initialCapacity > SLOT_BYTES || maxCapacity < SLOT_BYTES || Thread.currentThread() != owner) {
            return fallback.directBuffer(initialCapacity, maxCapacity);
        }
        if (freeCount == 0) {
            made++;
            return new SendBuffer(this);
        }
        SendBuffer b = free[--freeCount];
        free[freeCount] = null;
        b.reuse();
        return b;
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return fallback.heapBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return true;
    }

    /** Buffers waiting to be handed out again. Owner thread. */
    int freeBuffers() {
        return freeCount;
    }

    /** Buffers made since the start (the rest were reused). */
    long buffersMade() {
        return made;
    }

    /** Takes back a released buffer; false when it must be freed instead. */
    private boolean offer(SendBuffer b) {
        if (Thread.currentThread() != owner || freeCount == MAX_FREE || b.capacity() != SLOT_BYTES) {
            return false;
        }
        free[freeCount++] = b;
        return true;
    }

    /** A direct buffer that goes back to its allocator's stack when released. */
    private static final class SendBuffer extends UnpooledUnsafeDirectByteBuf {
        private final SendBufferAllocator pool;

        SendBuffer(SendBufferAllocator pool) {
            super(pool, SLOT_BYTES, Integer.MAX_VALUE);
            this.pool = pool;
        }

        void reuse() {
            resetRefCnt();
            setIndex(0, 0);
        }

        @Override
        protected void deallocate() {
            if (!pool.offer(this)) {
                super.deallocate();
            }
        }
    }
}
