package dev.prism.loadtest;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The load tool's sockets and event loops: Netty's native epoll transport where it loads (as the
 * server's media workers use), else NIO. The clients are the measuring instrument: with one core
 * for hundreds of viewers, each received packet's cost delays the packets queued behind it, and
 * that wait is part of the added latency measured. NIO's selector cost a sixth of the clients'
 * loop at 200 viewers (async-profiler); {@code -Dprism.loadtest.nio=true} keeps NIO to compare.
 */
final class LoadTransport {
    static final boolean EPOLL = Epoll.isAvailable() && !Boolean.getBoolean("prism.loadtest.nio");
    /**
     * Pooled buffers: Netty 4.2's default adaptive allocator copies between direct buffers through
     * a fresh NIO slice (the server's media worker found the same).
     */
    static final ByteBufAllocator ALLOCATOR = PooledByteBufAllocator.DEFAULT;

    private LoadTransport() {}

    static EventLoopGroup newGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("prism-load"),
                EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    static Class<? extends DatagramChannel> datagramChannel() {
        return EPOLL ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }

    static String name() {
        return EPOLL ? "epoll" : "nio";
    }
}
