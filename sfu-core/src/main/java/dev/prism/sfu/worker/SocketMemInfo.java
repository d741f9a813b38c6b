package dev.prism.sfu.worker;

import static dev.prism.sfu.worker.LinuxSyscalls.SK_MEMINFO_DROPS;
import static dev.prism.sfu.worker.LinuxSyscalls.SK_MEMINFO_RMEM_ALLOC;
import static dev.prism.sfu.worker.LinuxSyscalls.SK_MEMINFO_VARS;
import static dev.prism.sfu.worker.LinuxSyscalls.SOL_SOCKET;
import static dev.prism.sfu.worker.LinuxSyscalls.SO_MEMINFO;

import io.netty.channel.unix.FileDescriptor;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;

/**
 * One socket's receive queue and drops straight from the kernel ({@code getsockopt(SO_MEMINFO)}),
 * the same counters {@code /proc/self/net/udp} prints. That table lists every UDP socket of the
 * network namespace: reading and parsing it once a second cost the sampler 1.2 ms of CPU per second
 * with 50 of the load tool's sockets beside the worker's, and more with every socket a host opens,
 * and the JIT kept compiling its text handling tens of seconds after start. This costs one system
 * call whatever else is open.
 *
 * <p>Reads its own {@code dup} of the socket, so the descriptor stays valid until {@link #close}
 * even if the worker closes its own first. One thread (the sampler's).
 */
final class SocketMemInfo implements AutoCloseable {
    private static final int VALUE_BYTES = 4 * SK_MEMINFO_VARS;

    private final FileDescriptor fd;
    /** The value the kernel fills, then the int holding its length. */
    private final long memory;
    private boolean closed;

    private SocketMemInfo(int fd) {
        this.fd = new FileDescriptor(fd);
        this.memory = PlatformDependent.allocateMemory(VALUE_BYTES + 4);
    }

    /** A reader of {@code socketFd}'s counters, or null where the system calls are not bound or it cannot be duplicated. */
    static SocketMemInfo open(int socketFd) {
        if (!LinuxSyscalls.available() || socketFd < 0) {
            return null;
        }
        int dup = LinuxSyscalls.dup(socketFd);
        if (dup < 0) {
            return null;
        }
        SocketMemInfo info = new SocketMemInfo(dup);
        if (info.read() == null) { // a kernel before 4.6
            info.close();
            return null;
        }
        return info;
    }

    /** The bytes queued and the datagrams dropped since the socket opened; null when the kernel refused, or after close. */
    UdpSocketStats read() {
        if (closed) {
            return null;
        }
        PlatformDependent.putInt(memory + VALUE_BYTES, VALUE_BYTES);
        if (!LinuxSyscalls.getsockopt(fd.intValue(), SOL_SOCKET, SO_MEMINFO, memory, memory + VALUE_BYTES)
                || PlatformDependent.getInt(memory + VALUE_BYTES) < VALUE_BYTES) {
            return null;
        }
        return new UdpSocketStats(Integer.toUnsignedLong(PlatformDependent.getInt(memory + 4L * SK_MEMINFO_RMEM_ALLOC)),
                Integer.toUnsignedLong(PlatformDependent.getInt(memory + 4L * SK_MEMINFO_DROPS)));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        PlatformDependent.freeMemory(memory);
        try {
            fd.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
