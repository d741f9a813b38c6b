package dev.prism.sfu.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link PeerTransport.TransportHost} for tests without a media worker: tasks run inline, the
 * clock is {@link #now}, and datagrams sent are kept in {@link #sent} ({@link #releaseAll} frees
 * them) or, from {@link #releasing()}, released at once.
 */
public final class RecordingHost implements PeerTransport.TransportHost {
    public long now = 1_000_000;
    /** What {@link #handlingAgeMillis()} answers: how long ago the datagram being handled arrived. */
    public long handlingAge;
    public final List<ByteBuf> sent = new ArrayList<>();
    public InetSocketAddress bound;
    private final boolean keep;

    public RecordingHost() {
        this(true);
    }

    private RecordingHost(boolean keep) {
        this.keep = keep;
    }

    /** A host that releases what is sent instead of keeping it (tests that send much and check none). */
    public static RecordingHost releasing() {
        return new RecordingHost(false);
    }

    @Override
    public void send(ByteBuf datagram, InetSocketAddress to) {
        if (keep) {
            sent.add(datagram);
        } else {
            datagram.release();
        }
    }

    @Override
    public void execute(Runnable task) {
        task.run();
    }

    @Override
    public void bindAddress(PeerTransport transport, InetSocketAddress address) {
        bound = address;
    }

    @Override
    public ByteBufAllocator alloc() {
        return UnpooledByteBufAllocator.DEFAULT;
    }

    @Override
    public long nowMillis() {
        return now;
    }

    @Override
    public long handlingAgeMillis() {
        return handlingAge;
    }

    public void releaseAll() {
        sent.forEach(ByteBuf::release);
        sent.clear();
    }
}
