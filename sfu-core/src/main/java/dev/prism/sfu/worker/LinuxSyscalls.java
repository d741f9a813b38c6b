package dev.prism.sfu.worker;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The few Linux system calls the media loop makes itself ({@code sendmmsg}, {@code recvmmsg},
 * {@code dup}), called through the Java FFM API.
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

    static {
        MethodHandle[] h = bind();
        SENDMMSG = h == null ? null : h[0];
        RECVMMSG = h == null ? null : h[1];
        DUP = h == null ? null : h[2];
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
