package dev.prism.sfu.worker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.IllegalReferenceCountException;
import java.net.InetSocketAddress;

/**
 * A datagram to send whose envelope is reused: Netty's {@link DatagramPacket} holds its buffer
 * and address in final fields, so sending one object per datagram was most of what a media loop
 * allocated (40 of 62-67 bytes per forwarded packet at 600-700 viewers, docs/BENCHMARKS.md,
 * session 13). Netty batches {@code sendmmsg} only for {@code DatagramPacket}s, so this is one,
 * and its buffer and address are read through {@link #content()} and {@link #recipient()}, the
 * only way Netty's transports read them.
 *
 * <p>Netty's outbound buffer releases each message once, on the channel's loop, when it was
 * sent or failed. Releasing the buffer to zero puts the envelope back on its {@link Pool}, where
 * the next send on the loop takes it; until then the envelope is in Netty's hands and nothing
 * else may touch it. Reference counting is the buffer's: an envelope whose buffer was released
 * reports 0 and fails any further use of its buffer, as a released {@code DatagramPacket} would.
 */
final class OutboundDatagram extends DatagramPacket {
    /** The address the superclass requires; never sent to (every use goes through {@link #recipient()}). */
    private static final InetSocketAddress UNSET = InetSocketAddress.createUnresolved("unset", 0);

    private final Pool pool;
    private ByteBuf data;
    private InetSocketAddress to;

    private OutboundDatagram(Pool pool) {
        super(Unpooled.EMPTY_BUFFER, UNSET);
        this.pool = pool;
    }

    @Override
    public ByteBuf content() {
        ByteBuf d = data;
        if (d == null) {
            throw new IllegalReferenceCountException(0);
        }
        return d;
    }

    @Override
    public InetSocketAddress recipient() {
        return to;
    }

    @Override
    public InetSocketAddress sender() {
        return null;
    }

    @Override
    public int refCnt() {
        ByteBuf d = data;
        return d == null ? 0 : d.refCnt();
    }

    @Override
    public DatagramPacket retain() {
        content().retain();
        return this;
    }

    @Override
    public DatagramPacket retain(int increment) {
        content().retain(increment);
        return this;
    }

    @Override
    public boolean release() {
        return release(1);
    }

    @Override
    public boolean release(int decrement) {
        boolean freed = content().release(decrement);
        if (freed) {
            // The address stays until the next take: Netty's epoll channel copies a heap buffer
            // into a direct one, releasing this envelope, and only then reads its recipient.
            data = null;
            pool.offer(this);
        }
        return freed;
    }

    @Override
    public DatagramPacket touch() {
        content().touch();
        return this;
    }

    @Override
    public DatagramPacket touch(Object hint) {
        content().touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return "OutboundDatagram(=> " + to + ", " + data + ')';
    }

    /**
     * The envelopes of one event loop, reused last in, first out. Take and release on the loop
     * that owns it; a datagram sent from elsewhere uses a plain {@code DatagramPacket}.
     */
    static final class Pool {
        /** Envelopes kept at most; beyond that (a long stall of the socket) the rest go to the GC. */
        static final int MAX_FREE = 4096;

        private final OutboundDatagram[] free = new OutboundDatagram[MAX_FREE];
        private int freeCount;
        private long made;

        /** An envelope holding {@code datagram} for {@code to}; it owns the buffer's reference. */
        DatagramPacket take(ByteBuf datagram, InetSocketAddress to) {
            OutboundDatagram d;
            if (freeCount == 0) {
                made++;
                d = new OutboundDatagram(this);
            } else {
                d = free[--freeCount];
                free[freeCount] = null;
            }
            d.data = datagram;
            d.to = to;
            return d;
        }

        private void offer(OutboundDatagram d) {
            if (freeCount < MAX_FREE) {
                free[freeCount++] = d;
            }
        }

        /** Envelopes made since the start (every other take reused one). */
        long made() {
            return made;
        }

        /** Envelopes waiting to be taken. */
        int free() {
            return freeCount;
        }
    }
}
