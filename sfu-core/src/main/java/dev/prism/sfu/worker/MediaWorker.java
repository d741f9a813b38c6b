package dev.prism.sfu.worker;

import dev.prism.sfu.transport.PeerTransport;
import dev.prism.sfu.transport.TransportCounters;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.buffer.PooledByteBufAllocator;
import java.lang.management.ManagementFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One media worker: a single event loop that owns one UDP socket (DESIGN.md step 1) and every
 * transport of the rooms placed on it; its {@link DatagramRouter} hands each datagram to its
 * transport. On Java 22+ with epoll the loop reads and sends its socket itself
 * ({@link RecvmmsgReader}, {@link SendmmsgBatch}); otherwise Netty's channel does both.
 */
public final class MediaWorker implements PeerTransport.TransportHost {
    private final int index;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Channel channel;
    private final TransportCounters counters;
    private final DatagramRouter router;
    private final List<Runnable> tickTasks = new ArrayList<>();
    private int rooms;
    private volatile long lagNanos;
    private final WorkerLoad load = new WorkerLoad();
    private final ReadBacklog backlog;
    private final SetupGate setupGate;
    private long lagProbeScheduledNanos;
    private final SocketErrorLog socketErrorLog;

    private final long loopThreadId;
    private final SendBufferAllocator sendAllocator;
    /** Sends the loop's datagrams: its own sendmmsg where it can, else Netty's channel. */
    private final DatagramSender sender;
    /** Reads the socket with recvmmsg where it can (then Netty's channel does not read); null otherwise. */
    private final RecvmmsgReader reader;
    private final IoRegistration readRegistration;
    private final WorkerLoadSampler loadSampling;

    /**
     * The allocator of received datagrams (Netty's pooled allocator, one event loop: its thread
     * cache serves all). What the worker sends comes from its {@link SendBufferAllocator}.
     */
    static final PooledByteBufAllocator MEDIA_ALLOCATOR = new PooledByteBufAllocator(true);

    /**
     * An allocator of send buffers as a media worker's, owned by the calling thread: for
     * benchmarks of the media path off the socket.
     */
    public static ByteBufAllocator sendAllocatorForThisThread() {
        return new SendBufferAllocator(MEDIA_ALLOCATOR, Thread.currentThread());
    }

    public MediaWorker(int index, InetAddress bindAddress, int port, TransportCounters counters)
            throws InterruptedException {
        this(index, bindAddress, port, counters, true);
    }

    /**
     * As the public constructor; {@code directIo} false sends and reads every datagram through
     * Netty's channel, as on Java 21 (for tests of that path).
     */
    MediaWorker(int index, InetAddress bindAddress, int port, TransportCounters counters, boolean directIo)
            throws InterruptedException {
        this.index = index;
        this.socketErrorLog = new SocketErrorLog(index);
        this.counters = counters;
        this.router = new DatagramRouter(counters);
        boolean epoll = Epoll.isAvailable();
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("prism-media-" + index),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.loop = group.next();
        this.backlog = new ReadBacklog(READS_PER_PASS);
        this.setupGate = new SetupGate(backlog::behindNanos);
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, 4 << 20)
                .option(ChannelOption.SO_SNDBUF, 4 << 20)
                // Netty's default for datagram channels, set here because ReadBacklog counts on it.
                .option(ChannelOption.RCVBUF_ALLOCATOR,
                        new FixedRecvByteBufAllocator(2048).maxMessagesPerRead(READS_PER_PASS))
                // The pooled allocator, not Netty 4.2's default adaptive one: its direct buffers copy
                // from one another by address, where the adaptive buffer's setBytes(ByteBuf) goes
                // through a fresh NIO slice per copy (one object per packet per subscriber, found
                // with async-profiler under the load tool). One event loop: its thread cache serves all.
                .option(ChannelOption.ALLOCATOR, MEDIA_ALLOCATOR)
                .handler(new Demux());
        InetSocketAddress local = bindAddress == null ? new InetSocketAddress(port) : new InetSocketAddress(bindAddress, port);
        try {
            this.channel = bootstrap.bind(local).sync().channel();
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
        this.sender = new DatagramSender(channel, loop, directIo);
        this.reader = directIo ? RecvmmsgReader.open(channel, READS_PER_PASS, READS_PER_PASS, MEDIA_ALLOCATOR, new Reads()) : null;
        if (reader != null) {
            IoRegistration registration = ((IoEventLoop) loop).register(reader).syncUninterruptibly().getNow();
            // On the loop, in one step: Netty's channel stops reading (on the loop this takes effect
            // at once; it still sends what the kernel refused to take at once) and the reader starts.
            loop.submit(() -> {
                channel.config().setAutoRead(false);
                registration.submit(EpollIoOps.EPOLLIN);
            }).syncUninterruptibly();
            this.readRegistration = registration;
        } else {
            this.readRegistration = null;
        }
        Thread loopThread = loop.submit(Thread::currentThread).syncUninterruptibly().getNow();
        loopThreadId = loopThread.threadId();
        this.sendAllocator = new SendBufferAllocator(MEDIA_ALLOCATOR, loopThread);
        loop.scheduleAtFixedRate(this::tick, 1000, 1000, TimeUnit.MILLISECONDS);
        this.loadSampling = WorkerLoadSampler.start(load, loopThreadId, port(), reader != null ? reader.fd().intValue() : -1);
        scheduleLagProbe();
    }

    /** How late the loop ran the last probe task: its event-loop lag. */
    public long lagNanos() {
        return lagNanos;
    }

    private void scheduleLagProbe() {
        lagProbeScheduledNanos = System.nanoTime() + 500_000_000L;
        loop.schedule(() -> {
            lagNanos = Math.max(0, System.nanoTime() - lagProbeScheduledNanos);
            if (!loop.isShuttingDown()) {
                scheduleLagProbe();
            }
        }, 500, TimeUnit.MILLISECONDS);
    }

    public int index() {
        return index;
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public EventLoop eventLoop() {
        return loop;
    }

    public TransportCounters counters() {
        return counters;
    }

    /** Rooms placed here (for placement); changed on the control plane under the pool's lock. */
    int rooms() {
        return rooms;
    }

    void addRoom(int delta) {
        rooms += delta;
    }

    /** Makes a transport reachable by its local ufrag. Loop thread. */
    public void register(PeerTransport transport) {
        router.register(transport);
    }

    /** Forgets a transport. Loop thread. */
    public void unregister(PeerTransport transport) {
        router.unregister(transport);
    }

    /** Runs {@code task} once a second on this loop (RTCP reports, timers). Loop thread. */
    public void addTickTask(Runnable task) {
        tickTasks.add(task);
    }

    public void removeTickTask(Runnable task) {
        tickTasks.remove(task);
    }

    @Override
    public void bindAddress(PeerTransport transport, InetSocketAddress address) {
        router.bindAddress(transport, address);
    }

    /** Datagrams one read pass takes from the socket at most; a full pass means more were waiting. */
    static final int READS_PER_PASS = 16;

    @Override
    public void send(ByteBuf datagram, InetSocketAddress to) {
        countOut(datagram);
        sender.send(datagram, to);
    }

    @Override
    public void send(ByteBuf datagram, InetSocketAddress to, long arrivalNanos) {
        countOut(datagram);
        sender.send(datagram, to, arrivalNanos);
    }

    private void countOut(ByteBuf datagram) {
        counters.datagramsOut.increment();
        counters.bytesOut.add(datagram.readableBytes());
    }

    @Override
    public long handlingArrivalNanos() {
        return sender.handlingArrival();
    }

    /** The send side (for tests). */
    DatagramSender sender() {
        return sender;
    }

    /** Sends what is queued (also for loop-thread code that did not run from a read). Loop thread. */
    public void flush() {
        sender.flush();
    }

    /** Datagrams the loop read itself with {@code recvmmsg} (0 where Netty's channel reads). Loop thread. */
    long datagramsReadDirectly() {
        return reader == null ? 0 : reader.datagrams();
    }

    /** {@code sendmmsg} calls the loop made itself (0 where it sends through Netty's channel only). */
    long directSendCalls() {
        return sender.directSendCalls();
    }

    @Override
    public void execute(Runnable task) {
        loop.execute(() -> {
            task.run();
            flush();
        });
    }

    /**
     * Heap bytes the worker's event loop has allocated since it started (the JVM's per-thread
     * count; -1 where the JVM does not keep one). The forwarding path should add nothing per
     * packet: the benchmark divides this by the packets forwarded.
     */
    public long allocatedBytes() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)) {
            return -1;
        }
        return threads.getThreadAllocatedBytes(loopThreadId);
    }

    /**
     * How long datagrams spent in this worker, from arrival at the socket to the send of what they
     * caused. Recorded on the loop's own system-call path only (Java 22+ with epoll): on Netty's
     * channel it stays empty.
     */
    public ForwardingDelay forwardingDelay() {
        return sender.delay();
    }

    /**
     * How the loop reads and sends its socket, for the start-up log: "recvmmsg/sendmmsg" (its own
     * system calls, Java 22+ with epoll), else "netty" for the side that goes through the channel.
     */
    public String socketPath() {
        return (reader != null ? (reader.stamped() ? "recvmmsg with arrival stamps" : "recvmmsg") : "netty")
                + " / " + (sender.direct() ? "sendmmsg" : "netty");
    }

    /** Where transports take the buffers they send from (the loop thread's last-in first-out stack). */
    @Override
    public ByteBufAllocator alloc() {
        return sendAllocator;
    }

    @Override
    public long nowMillis() {
        return System.currentTimeMillis();
    }

    /** How long the loop has gone without emptying its socket (0 when it keeps up). Any thread. */
    public long behindNanos() {
        return backlog.behindNanos(System.nanoTime());
    }

    /** Paces new sessions on this worker while its loop is behind. */
    public SetupGate setupGate() {
        return setupGate;
    }

    /** How busy this worker is (its loop's CPU share, receive queue and kernel drops), sampled every second. */
    public WorkerLoad load() {
        return load;
    }

    private void tick() {
        long now = nowMillis();
        for (PeerTransport t : router.transports()) {
            t.checkTimers(now);
        }
        for (Runnable task : tickTasks.toArray(new Runnable[0])) {
            task.run();
        }
        flush();
    }

    public void close() {
        loadSampling.stop();
        if (readRegistration != null) {
            loop.submit(() -> {
                readRegistration.cancel();
                try {
                    reader.close();
                } catch (Exception e) {
                    java.util.logging.Logger.getLogger(MediaWorker.class.getName())
                            .log(java.util.logging.Level.FINE, "closing the reader's socket", e);
                }
            }).awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        sender.close();
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    /** Counts a datagram read and hands it to its transport ({@link DatagramRouter#route}). Loop thread. */
    private void route(ByteBuf data, long key, InetSocketAddress from) {
        backlog.onRead();
        counters.datagramsIn.increment();
        counters.bytesIn.add(data.readableBytes());
        router.route(data, key, from);
    }

    /** What {@link RecvmmsgReader} reads goes the way Netty's reads go (the same routing, the same pass end). */
    private final class Reads implements RecvmmsgReader.Sink {
        @Override
        public void onDatagram(ByteBuf data, long sourceKey, long arrivalNanos, RecvmmsgReader from) {
            sender.handling(arrivalNanos);
            try {
                route(data, sourceKey, sourceKey < 0 ? from.lastIpv6Source() : null);
            } catch (RuntimeException e) {
                // As on Netty's path: a bug in a handler must not stop the worker's reads.
                java.util.logging.Logger.getLogger(MediaWorker.class.getName())
                        .log(java.util.logging.Level.WARNING, "media worker " + index + " handler error", e);
            }
        }

        @Override
        public void onPassEnd(boolean full) {
            backlog.onPassEnd(System.nanoTime());
            flush();
            sender.handling(0);
        }
    }

    private final class Demux extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            InetSocketAddress from = packet.sender();
            route(packet.content(), PeerKey.of(from), from);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            backlog.onPassEnd(System.nanoTime());
            flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A bug in a handler must not close the worker's socket: log and go on.
            if (!(cause instanceof java.io.IOException)) {
                java.util.logging.Logger.getLogger(MediaWorker.class.getName())
                        .log(java.util.logging.Level.WARNING, "media worker " + index + " handler error", cause);
                return;
            }
            counters.socketErrors.increment();
            socketErrorLog.record(cause, System.nanoTime());
        }
    }
}
