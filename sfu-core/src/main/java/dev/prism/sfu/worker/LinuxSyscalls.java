package dev.prism.sfu.worker;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The few Linux system calls the media loop makes itself ({@code sendmmsg}, {@code recvmmsg},
 * {@code dup}, {@code setsockopt}, {@code clock_gettime}) and its load sampler's
 * {@code getsockopt}, called through the Java FFM API.
 *
 * <p>FFM is final from Java 22; the project compiles for 21, where it is a preview API, so each
 * downcall is bound by reflection, once, with pointers passed as {@code long}s (the C ABI passes
 * both in the same integer register), and the hot path calls plain method handles of ints and
 * longs. On Java 21, or off Linux x86-64/AArch64, {@link #available()} is false and the media
 * loop leaves its socket to Netty's channel.
 */
final class LinuxSyscalls {
    private static final Logger LOG = Logger.getLogger(LinuxSyscalls.class.getName());

    /** {@code int sendmmsg(int fd, struct mmsghdr *msgvec, unsigned vlen, int flags)}. */
    private static final MethodHandle SENDMMSG;
    /** {@code int recvmmsg(int fd, struct mmsghdr *msgvec, unsigned vlen, int flags, struct timespec *timeout)}. */
    private static final MethodHandle RECVMMSG;
    private static final MethodHandle DUP;
    /** {@code int setsockopt(int fd, int level, int name, const void *value, socklen_t length)}. */
    private static final MethodHandle SETSOCKOPT;
    /** {@code int getsockopt(int fd, int level, int name, void *value, socklen_t *length)}. */
    private static final MethodHandle GETSOCKOPT;
    /** {@code int clock_gettime(clockid_t clock, struct timespec *now)}. */
    private static final MethodHandle CLOCK_GETTIME;

    /** {@code recvmmsg}'s flag: return at once when nothing is queued (EAGAIN). */
    static final int MSG_DONTWAIT = 0x40;

    // struct mmsghdr on LP64 Linux: struct msghdr (56 bytes) and an unsigned msg_len, padded to 64;
    // the offsets of the fields the media loop sets, and struct iovec's size.
    static final int MMSGHDR_BYTES = 64;
    static final int MSG_NAME = 0;
    static final int MSG_NAMELEN = 8;
    static final int MSG_IOV = 16;
    static final int MSG_IOVLEN = 24;
    static final int MSG_LEN = 56;
    static final int IOVEC_BYTES = 16;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    // struct msghdr's ancillary data (cmsg(3)), and the receive timestamp it carries (socket(7)
    // SO_TIMESTAMPNS: a struct timespec of CLOCK_REALTIME; the same numbers on x86-64 and AArch64).
    static final int MSG_CONTROL = 32;
    static final int MSG_CONTROLLEN = 40;
    static final int SOL_SOCKET = 1;
    static final int SO_TIMESTAMPNS = 35;
    /** {@code CMSG_SPACE(sizeof(struct timespec))}: a 16-byte cmsghdr and the timespec. */
    static final int TIMESTAMP_CMSG_BYTES = 32;
    static final int CLOCK_REALTIME = 0;
    // socket(7) SO_MEMINFO (Linux 4.6+): the socket's memory counters, u32 each
    // (include/uapi/linux/sock_diag.h): SK_MEMINFO_RMEM_ALLOC is what its receive queue holds
    // (/proc/net/udp's rx_queue), SK_MEMINFO_DROPS what it dropped (its last column).
    static final int SO_MEMINFO = 55;
    static final int SK_MEMINFO_RMEM_ALLOC = 0;
    static final int SK_MEMINFO_DROPS = 8;
    static final int SK_MEMINFO_VARS = 9;

    static {
        MethodHandle[] h = bind();
        SENDMMSG = h == null ? null : h[0];
        RECVMMSG = h == null ? null : h[1];
        DUP = h == null ? null : h[2];
        SETSOCKOPT = h == null ? null : h[3];
        CLOCK_GETTIME = h == null ? null : h[4];
        GETSOCKOPT = h == null ? null : h[5];
    }

    private LinuxSyscalls() {
    }

    static boolean available() {
        return SENDMMSG != null;
    }

    /** Datagrams sent, or -1 (errno not read: whoever retries through Netty reads it again). */
    static int sendmmsg(int fd, long msgvec, int vlen) {
        try {
            return (int) SENDMMSG.invokeExact(fd, msgvec, vlen, 0);
        } catch (Throwable t) {
            throw new IllegalStateException("sendmmsg downcall failed", t);
        }
    }

    /** Datagrams received without waiting, or -1 (nothing queued, or an error the next read repeats). */
    static int recvmmsg(int fd, long msgvec, int vlen) {
        try {
            return (int) RECVMMSG.invokeExact(fd, msgvec, vlen, MSG_DONTWAIT, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("recvmmsg downcall failed", t);
        }
    }

    static int dup(int fd) {
        try {
            return (int) DUP.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException("dup downcall failed", t);
        }
    }

    /** Sets an int socket option; false when the kernel refused it. */
    static boolean setsockopt(int fd, int level, int name, long intValueAddress) {
        try {
            return (int) SETSOCKOPT.invokeExact(fd, level, name, intValueAddress, 4) == 0;
        } catch (Throwable t) {
            throw new IllegalStateException("setsockopt downcall failed", t);
        }
    }

    /**
     * Reads a socket option into {@code valueAddress}, whose size is the int at
     * {@code lengthAddress} (the kernel writes back what it filled); false when refused.
     */
    static boolean getsockopt(int fd, int level, int name, long valueAddress, long lengthAddress) {
        try {
            return (int) GETSOCKOPT.invokeExact(fd, level, name, valueAddress, lengthAddress) == 0;
        } catch (Throwable t) {
            throw new IllegalStateException("getsockopt downcall failed", t);
        }
    }

    /**
     * CLOCK_REALTIME in nanoseconds (the clock of SO_TIMESTAMPNS), through a 16-byte timespec at
     * {@code scratch}; 0 if the clock could not be read (then nothing is timed, and reads go on).
     */
    static long realtimeNanos(long scratch) {
        try {
            if ((int) CLOCK_GETTIME.invokeExact(CLOCK_REALTIME, scratch) != 0) {
                return 0;
            }
        } catch (Throwable t) {
            throw new IllegalStateException("clock_gettime downcall failed", t);
        }
        return io.netty.util.internal.PlatformDependent.getLong(scratch) * 1_000_000_000L
                + io.netty.util.internal.PlatformDependent.getLong(scratch + 8);
    }

    private static MethodHandle[] bind() {
        String arch = System.getProperty("os.arch", "");
        if (Runtime.version().feature() < 22 || !System.getProperty("os.name", "").startsWith("Linux")
                || !(arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))
                || ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            return null;
        }
        try {
            Class<?> linkerType = Class.forName("java.lang.foreign.Linker");
            Class<?> layoutType = Class.forName("java.lang.foreign.MemoryLayout");
            Class<?> valueLayoutType = Class.forName("java.lang.foreign.ValueLayout");
            Object linker = linkerType.getMethod("nativeLinker").invoke(null);
            Object libc = linkerType.getMethod("defaultLookup").invoke(linker);
            Object i = valueLayoutType.getField("JAVA_INT").get(null);
            Object l = valueLayoutType.getField("JAVA_LONG").get(null);
            MethodHandle[] h = {
                downcall(linker, libc, layoutType, "sendmmsg", i, i, l, i, i),
                downcall(linker, libc, layoutType, "recvmmsg", i, i, l, i, i, l),
                downcall(linker, libc, layoutType, "dup", i, i),
                downcall(linker, libc, layoutType, "setsockopt", i, i, i, i, l, i),
                downcall(linker, libc, layoutType, "clock_gettime", i, i, l),
                downcall(linker, libc, layoutType, "getsockopt", i, i, i, i, l, l),
            };
            for (MethodHandle m : h) {
                if (m == null) {
                    return null;
                }
            }
            return h;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.log(Level.INFO, "system calls through FFM unavailable; the media socket stays with Netty's channel", e);
            return null;
        }
    }

    /** A downcall handle for {@code name} returning {@code result} and taking {@code parameters}, or null when libc lacks it. */
    private static MethodHandle downcall(Object linker, Object libc, Class<?> layoutType, String name, Object result,
                                         Object... parameters) throws ReflectiveOperationException {
        Class<?> linkerType = Class.forName("java.lang.foreign.Linker");
        Class<?> descriptorType = Class.forName("java.lang.foreign.FunctionDescriptor");
        Class<?> segmentType = Class.forName("java.lang.foreign.MemorySegment");
        Class<?> optionType = Class.forName("java.lang.foreign.Linker$Option");
        Class<?> lookupType = Class.forName("java.lang.foreign.SymbolLookup");
        Optional<?> symbol = (Optional<?>) lookupType.getMethod("find", String.class).invoke(libc, name);
        if (symbol.isEmpty()) {
            return null;
        }
        Object layouts = Array.newInstance(layoutType, parameters.length);
        for (int k = 0; k < parameters.length; k++) {
            Array.set(layouts, k, parameters[k]);
        }
        Object descriptor = descriptorType.getMethod("of", layoutType, layouts.getClass()).invoke(null, result, layouts);
        Object options = Array.newInstance(optionType, 0);
        return (MethodHandle) linkerType.getMethod("downcallHandle", segmentType, descriptorType, options.getClass())
                .invoke(linker, symbol.get(), descriptor, options);
    }
}
