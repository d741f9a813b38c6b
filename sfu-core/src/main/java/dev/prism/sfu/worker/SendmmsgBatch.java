package dev.prism.sfu.worker;

import static dev.prism.sfu.worker.LinuxSyscalls.AF_INET;
import static dev.prism.sfu.worker.LinuxSyscalls.IOVEC_BYTES;
import static dev.prism.sfu.worker.LinuxSyscalls.MMSGHDR_BYTES;
import static dev.prism.sfu.worker.LinuxSyscalls.MSG_IOV;
import static dev.prism.sfu.worker.LinuxSyscalls.MSG_IOVLEN;
import static dev.prism.sfu.worker.LinuxSyscalls.MSG_NAME;
import static dev.prism.sfu.worker.LinuxSyscalls.MSG_NAMELEN;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledUnsafeDirectByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollDatagramChannel;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * Datagrams a media worker sends from its loop, queued in place and handed to the kernel with one
 * {@code sendmmsg(2)} called through the Java FFM API, not through Netty's channel.
 *
 * <p>Why: Netty's epoll channel builds its {@code mmsghdr} array from the {@code InetAddress} of
 * each datagram, whose {@code getAddress()} clones a {@code byte[4]} per datagram sent (24 B of
 * the 36-54 B a forwarded packet cost the media loop in session 15's benchmark), and each datagram
 * goes through the pipeline and the channel's outbound buffer (size estimate, entry, atomic
 * pending-bytes counts). Here a datagram is three stores into native memory the batch owns: its
 * iovec, its {@code sockaddr_in} and nothing else; the headers point at their own iovec and
 * address once, at construction.
 *
 * <p>What goes elsewhere: datagrams without a native address (heap buffers: DTLS records) or for an
 * IPv6 peer are the caller's to send through Netty ({@link #accepts}). A {@code sockaddr_in} is
 * valid on the worker's socket whether it is AF_INET or dual-stack AF_INET6: Linux's
 * {@code udpv6_sendmsg} hands AF_INET destinations to the IPv4 path. When the kernel takes only
 * part of a batch (a full send buffer, or an error on one datagram, which ends the call),
 * {@link #send} reports how far it got and the caller passes the rest to Netty, which waits for
 * the socket to drain or fails only the datagram in error, as before.
 *
 * <p>The call is {@link LinuxSyscalls}'s (FFM, Java 22+). On Java 21, or off Linux
 * x86-64/AArch64, {@link #open} returns null and everything goes through Netty. Owned by one
 * event loop.
 */
final class SendmmsgBatch {

    /** Room for a {@code sockaddr_in} (16 bytes), kept 8-aligned. */
    private static final int SOCKADDR_BYTES = 16;

    private final int fd;
    private final int capacity;
    /** mmsghdr[capacity], then iovec[capacity], then sockaddr_in[capacity]: native, little-endian. */
    private final ByteBuf headers;
    private final long headersAddress;
    private final int iovecs;
    private final int sockaddrs;
    private final ByteBuf[] datagrams;
    private final InetSocketAddress[] recipients;
    private int count;
    private long calls;
    private boolean closed;

    private SendmmsgBatch(int fd, int capacity) {
        this.fd = fd;
        this.capacity = capacity;
        this.iovecs = capacity * MMSGHDR_BYTES;
        this.sockaddrs = iovecs + capacity * IOVEC_BYTES;
        int bytes = sockaddrs + capacity * SOCKADDR_BYTES;
        // Not through an allocator: a leak detector's wrapper would record every store into it.
        this.headers = new UnpooledUnsafeDirectByteBuf(UnpooledByteBufAllocator.DEFAULT, bytes, bytes);
        this.headersAddress = headers.memoryAddress();
        headers.setZero(0, headers.capacity());
        for (int i = 0; i < capacity; i++) {
            int h = i * MMSGHDR_BYTES;
            headers.setLongLE(h + MSG_NAME, headersAddress + sockaddrs + (long) i * SOCKADDR_BYTES);
            headers.setIntLE(h + MSG_NAMELEN, SOCKADDR_BYTES);
            headers.setLongLE(h + MSG_IOV, headersAddress + iovecs + (long) i * IOVEC_BYTES);
            headers.setLongLE(h + MSG_IOVLEN, 1);
            headers.setShortLE(sockaddrs + i * SOCKADDR_BYTES, AF_INET);
        }
        this.datagrams = new ByteBuf[capacity];
        this.recipients = new InetSocketAddress[capacity];
    }

    /**
     * A batch of up to {@code capacity} datagrams for {@code channel}'s socket, or null where
     * {@code sendmmsg} cannot be called directly (Java 21, no epoll, another architecture).
     */
    static SendmmsgBatch open(Channel channel, int capacity) {
        if (!LinuxSyscalls.available() || !(channel instanceof EpollDatagramChannel epoll)
                || !io.netty.util.internal.PlatformDependent.hasUnsafe()) {
            return null;
        }
        return new SendmmsgBatch(epoll.fd().intValue(), capacity);
    }

    /** Whether this JVM can call {@code sendmmsg} directly. */
    static boolean available() {
        return LinuxSyscalls.available();
    }

    /** Whether {@code datagram} for {@code to} can be queued here (native memory, an IPv4 peer, room left). */
    boolean accepts(ByteBuf datagram, InetSocketAddress to) {
        return count < capacity && !closed && datagram.hasMemoryAddress() && to.getAddress() instanceof Inet4Address;
    }

    /** Queues {@code datagram} (taking its reference) for {@code to}; only after {@link #accepts} said yes. */
    void add(ByteBuf datagram, InetSocketAddress to) {
        int i = count;
        int iov = iovecs + i * IOVEC_BYTES;
        headers.setLongLE(iov, datagram.memoryAddress() + datagram.readerIndex());
        headers.setLongLE(iov + 8, datagram.readableBytes());
        int sa = sockaddrs + i * SOCKADDR_BYTES;
        headers.setShort(sa + 2, to.getPort()); // network byte order: ByteBuf's default is big-endian
        headers.setInt(sa + 4, PeerKey.ipv4(to.getAddress()));
        datagrams[i] = datagram;
        recipients[i] = to;
        count = i + 1;
    }

    /** Datagrams queued. */
    int size() {
        return count;
    }

    /** Whether the queue is full (send before adding more). */
    boolean full() {
        return count == capacity;
    }

    /**
     * Hands the queue to the kernel, as many calls as it keeps taking datagrams, and releases what
     * it took. Returns how many left, from the first; the rest stay queued, for {@link #datagram}
     * and {@link #recipient} and then {@link #clear}.
     */
    int send() {
        int sent = 0;
        while (sent < count) {
            int n = LinuxSyscalls.sendmmsg(fd, headersAddress + (long) sent * MMSGHDR_BYTES, count - sent);
            calls++;
            if (n <= 0) {
                break; // the errno is Netty's to read when it sends the rest
            }
            sent += n;
        }
        for (int i = 0; i < sent; i++) {
            datagrams[i].release();
            datagrams[i] = null;
            recipients[i] = null;
        }
        return sent;
    }

    ByteBuf datagram(int i) {
        return datagrams[i];
    }

    InetSocketAddress recipient(int i) {
        return recipients[i];
    }

    /** Forgets the queue (its datagrams now belong to whoever took them from {@link #datagram}). */
    void clear() {
        Arrays.fill(datagrams, 0, count, null);
        Arrays.fill(recipients, 0, count, null);
        count = 0;
    }

    /** {@code sendmmsg} calls made. */
    long calls() {
        return calls;
    }

    /** Releases what is still queued and the native headers. Loop thread, once. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = 0; i < count; i++) {
            datagrams[i].release();
        }
        clear();
        headers.release();
    }
}
