package dev.prism.sfu.worker;

import static dev.prism.sfu.worker.LinuxSyscalls.AF_INET;
import static dev.prism.sfu.worker.LinuxSyscalls.AF_INET6;
import static dev.prism.sfu.worker.LinuxSyscalls.IOVEC_BYTES;
import static dev.prism.sfu.worker.LinuxSyscalls.MMSGHDR_BYTES;
import static dev.prism.sfu.worker.LinuxSyscalls.MSG_CONTROL;
import static dev.prism.sfu.worker.LinuxSyscalls.MSG_CONTROLLEN;
import static dev.prism.sfu.worker.LinuxSyscalls.MSG_IOV;
import static dev.prism.sfu.worker.LinuxSyscalls.MSG_IOVLEN;
import static dev.prism.sfu.worker.LinuxSyscalls.MSG_LEN;
import static dev.prism.sfu.worker.LinuxSyscalls.MSG_NAME;
import static dev.prism.sfu.worker.LinuxSyscalls.MSG_NAMELEN;
import static dev.prism.sfu.worker.LinuxSyscalls.SOL_SOCKET;
import static dev.prism.sfu.worker.LinuxSyscalls.SO_TIMESTAMPNS;
import static dev.prism.sfu.worker.LinuxSyscalls.TIMESTAMP_CMSG_BYTES;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledUnsafeDirectByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.unix.FileDescriptor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Reads a media worker's socket with {@code recvmmsg(2)} into pooled buffers, on the worker's
 * event loop, instead of Netty's channel: Netty's epoll read makes a {@code DatagramPacket}, an
 * {@code InetSocketAddress} and an {@code InetAddress} per datagram (13 of the 13.2 B a forwarded
 * packet cost the media loop at 300 viewers once sends were allocation-free, session 16), and
 * reads one datagram per system call. Here the sender is read from the {@code sockaddr} the kernel
 * filled in, as a number ({@link #sourceKey}): the worker finds the peer's transport by it without
 * an address object.
 *
 * <p>It reads a {@code dup} of the channel's socket, registered with the channel's own event loop
 * for EPOLLIN (Netty 4.2's {@code EpollIoHandle}); the channel stops reading ({@code autoRead}
 * off) and keeps sending what the worker hands it. Level-triggered: a pass reads at most
 * {@code maxPerPass} datagrams and epoll wakes the loop again for the rest, after its tasks.
 *
 * <p>Each datagram comes with the time it reached the socket: the kernel stamps it
 * ({@code SO_TIMESTAMPNS}, CLOCK_REALTIME) and the reader moves the stamp onto
 * {@link System#nanoTime}'s clock with one {@code clock_gettime} per call, so the worker can tell
 * how long a datagram waited, in the socket too ({@link ForwardingDelay}).
 */
final class RecvmmsgReader implements EpollIoHandle {
    /** What the worker does with each datagram; the reader releases it afterwards. */
    interface Sink {
        /** {@code arrivalNanos}: when it reached the socket, on {@link System#nanoTime}'s clock; 0 when not known. */
        void onDatagram(ByteBuf data, long sourceKey, long arrivalNanos, RecvmmsgReader reader);

        /** The end of a read pass; {@code full} when it stopped at its limit with more maybe waiting. */
        void onPassEnd(boolean full);
    }

    /** A datagram's buffer: a full-size one (1,500-byte MTU) fits, as Netty's fixed 2,048-byte reads did. */
    static final int SLOT_BYTES = 2048;
    /** Room for a {@code sockaddr_in6} (28 bytes), kept 8-aligned. */
    private static final int SOCKADDR_BYTES = 32;

    private final FileDescriptor fd;
    private final int batch;
    private final int maxPerPass;
    private final ByteBufAllocator alloc;
    private final Sink sink;
    private final ByteBuf headers;
    private final long headersAddress;
    private final int iovecs;
    private final int sockaddrs;
    private final int controls;
    /** A 16-byte timespec for clock_gettime. */
    private final int scratch;
    /** False when the kernel refused SO_TIMESTAMPNS: datagrams then come without an arrival time. */
    private final boolean stamped;
    private final ByteBuf[] slots;
    /** The last IPv6 sender's address and port (read only for a datagram whose key is -1). */
    private final byte[] ipv6 = new byte[16];
    private int lastV6Port;
    private long datagrams;

    private RecvmmsgReader(int fd, int batch, int maxPerPass, ByteBufAllocator alloc, Sink sink) {
        this.fd = new FileDescriptor(fd);
        this.batch = batch;
        this.maxPerPass = maxPerPass;
        this.alloc = alloc;
        this.sink = sink;
        this.iovecs = batch * MMSGHDR_BYTES;
        this.sockaddrs = iovecs + batch * IOVEC_BYTES;
        this.controls = sockaddrs + batch * SOCKADDR_BYTES;
        this.scratch = controls + batch * TIMESTAMP_CMSG_BYTES;
        int bytes = scratch + 16;
        this.headers = new UnpooledUnsafeDirectByteBuf(UnpooledByteBufAllocator.DEFAULT, bytes, bytes);
        this.headersAddress = headers.memoryAddress();
        headers.setZero(0, bytes);
        for (int i = 0; i < batch; i++) {
            int h = i * MMSGHDR_BYTES;
            headers.setLongLE(h + MSG_NAME, headersAddress + sockaddrs + (long) i * SOCKADDR_BYTES);
            headers.setLongLE(h + MSG_IOV, headersAddress + iovecs + (long) i * IOVEC_BYTES);
            headers.setLongLE(h + MSG_IOVLEN, 1);
            headers.setLongLE(h + MSG_CONTROL, headersAddress + controls + (long) i * TIMESTAMP_CMSG_BYTES);
        }
        this.slots = new ByteBuf[batch];
        headers.setIntLE(scratch, 1);
        this.stamped = LinuxSyscalls.setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, headersAddress + scratch);
    }

    /**
     * A reader of {@code channel}'s socket (a duplicate of it), or null where the worker must read
     * through Netty (no FFM, no epoll, no unsafe memory access).
     */
    static RecvmmsgReader open(Channel channel, int batch, int maxPerPass, ByteBufAllocator alloc, Sink sink) {
        if (!LinuxSyscalls.available() || !(channel instanceof EpollDatagramChannel epoll)
                || !io.netty.util.internal.PlatformDependent.hasUnsafe()) {
            return null;
        }
        int dup = LinuxSyscalls.dup(epoll.fd().intValue());
        if (dup < 0) {
            return null;
        }
        return new RecvmmsgReader(dup, batch, maxPerPass, alloc, sink);
    }

    @Override
    public FileDescriptor fd() {
        return fd;
    }

    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        int read = 0;
        while (read < maxPerPass) {
            int want = Math.min(batch, maxPerPass - read);
            for (int i = 0; i < want; i++) {
                if (slots[i] == null) {
                    ByteBuf b = alloc.directBuffer(SLOT_BYTES, SLOT_BYTES);
                    slots[i] = b;
                    int iov = iovecs + i * IOVEC_BYTES;
                    headers.setLongLE(iov, b.memoryAddress());
                    headers.setLongLE(iov + 8, SLOT_BYTES);
                }
                headers.setIntLE(i * MMSGHDR_BYTES + MSG_NAMELEN, SOCKADDR_BYTES); // the kernel overwrites these
                headers.setLongLE(i * MMSGHDR_BYTES + MSG_CONTROLLEN, TIMESTAMP_CMSG_BYTES);
            }
            int n = LinuxSyscalls.recvmmsg(fd.intValue(), headersAddress, want);
            if (n <= 0) {
                break; // EAGAIN: the queue is empty (an error is read, and so cleared, by the same call)
            }
            // The kernel's stamps are CLOCK_REALTIME; this moves them onto nanoTime's clock.
            long realtime = stamped ? LinuxSyscalls.realtimeNanos(headersAddress + scratch) : 0;
            long realtimeToNano = realtime - System.nanoTime();
            for (int i = 0; i < n; i++) {
                ByteBuf data = slots[i];
                slots[i] = null;
                data.writerIndex(Math.min(SLOT_BYTES, headers.getIntLE(i * MMSGHDR_BYTES + MSG_LEN)));
                long key = sourceKey(i);
                long arrival = realtime != 0 ? arrivalNanos(i, realtimeToNano) : 0;
                datagrams++;
                try {
                    sink.onDatagram(data, key, arrival, this);
                } finally {
                    data.release();
                }
            }
            read += n;
            if (n < want) {
                break;
            }
        }
        sink.onPassEnd(read >= maxPerPass);
    }

    /** Datagram {@code i}'s kernel receive stamp on nanoTime's clock, or 0 when it has none (cmsg(3)). */
    private long arrivalNanos(int i, long realtimeToNano) {
        int c = controls + i * TIMESTAMP_CMSG_BYTES;
        if (headers.getLongLE(i * MMSGHDR_BYTES + MSG_CONTROLLEN) < TIMESTAMP_CMSG_BYTES
                || headers.getIntLE(c + 8) != SOL_SOCKET || headers.getIntLE(c + 12) != SO_TIMESTAMPNS) {
            return 0;
        }
        long realtime = headers.getLongLE(c + 16) * 1_000_000_000L + headers.getLongLE(c + 24);
        long arrival = realtime - realtimeToNano;
        return arrival == 0 ? 1 : arrival;
    }

    /**
     * Datagram {@code i}'s sender as one number, {@code ipv4 << 16 | port} (an IPv4-mapped IPv6
     * sender counts as IPv4), or -1 for an IPv6 sender: {@link #source} then names it.
     */
    private long sourceKey(int i) {
        int sa = sockaddrs + i * SOCKADDR_BYTES;
        int family = headers.getUnsignedShortLE(sa);
        int port = headers.getUnsignedShort(sa + 2);
        if (family == AF_INET) {
            return (headers.getUnsignedInt(sa + 4) << 16) | port;
        }
        if (family == AF_INET6 && headers.getLong(sa + 8) == 0 && headers.getInt(sa + 16) == 0xFFFF) {
            return (headers.getUnsignedInt(sa + 20) << 16) | port;
        }
        lastV6Port = port;
        headers.getBytes(sa + 8, ipv6);
        return -1;
    }


    /** The last datagram's IPv6 sender (the one {@link Sink#onDatagram} is handling when its key is -1). */
    InetSocketAddress lastIpv6Source() {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ipv6.clone()), lastV6Port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 16 bytes are always an address
        }
    }

    /** True when datagrams come with the kernel's arrival stamp. */
    boolean stamped() {
        return stamped;
    }

    /** Datagrams read since the start. */
    long datagrams() {
        return datagrams;
    }

    @Override
    public void close() throws Exception {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != null) {
                slots[i].release();
                slots[i] = null;
            }
        }
        if (headers.refCnt() > 0) {
            headers.release();
        }
        fd.close();
    }
}
