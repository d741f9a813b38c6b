package dev.prism.sfu.worker;

import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A media worker's socket errors (a datagram the kernel refused: Netty fails that one and goes
 * on), logged at most one line per 10 s with the count since the last line: one peer the kernel
 * will not send to (a firewall rule: EPERM) would otherwise log every datagram. Loop thread.
 */
final class SocketErrorLog {
    private static final Logger LOG = Logger.getLogger(MediaWorker.class.getName());
    static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final int worker;
    private long errors;
    private long errorsLogged;
    private long loggedAtNanos;

    SocketErrorLog(int worker) {
        this.worker = worker;
    }

    /** Counts {@code cause}; logs it with the count since the last line unless one was logged in the last 10 s. */
    void record(Throwable cause, long nowNanos) {
        errors++;
        if (errorsLogged == 0 || nowNanos - loggedAtNanos >= INTERVAL_NANOS) {
            LOG.log(Level.WARNING, "media worker " + worker + " socket error (" + (errors - errorsLogged)
                    + " since the last such line; at most one line per 10 s): " + cause.getMessage());
            errorsLogged = errors;
            loggedAtNanos = nowNanos;
        }
    }
}
