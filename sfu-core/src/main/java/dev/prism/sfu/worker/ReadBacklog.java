package dev.prism.sfu.worker;

/**
 * How long a media worker's loop has been behind its socket: since when every read pass has
 * found more datagrams waiting than one pass reads (Netty reads at most a fixed number per pass,
 * 16 for a datagram channel, and ends a pass early only when the socket is empty). A loop that
 * keeps up empties its socket many times a second — at 600 viewers on one core, about 30 times,
 * once per video frame, each fan-out burst of a frame taking up to ~60 ms (~200 ms for a key
 * frame); one that stopped keeping up goes seconds without, while its queue and the latency of every
 * packet in it grow. Unlike the loop's CPU share this also sees a loop that is runnable but
 * starved by other threads on its core (DTLS handshakes, the JIT).
 *
 * <p>Updated by the loop once per read pass (a store only when the state flips), read from any thread.
 */
final class ReadBacklog {
    private final int readsPerPass;
    private int readsThisPass;
    /** When the current run of full passes began, or 0 when the last pass emptied the socket. */
    private volatile long behindSinceNanos;

    ReadBacklog(int readsPerPass) {
        if (readsPerPass < 1) {
            throw new IllegalArgumentException("readsPerPass must be positive: " + readsPerPass);
        }
        this.readsPerPass = readsPerPass;
    }

    /** A datagram was read. Loop thread. */
    void onRead() {
        readsThisPass++;
    }

    /** The read pass ended. Loop thread. */
    void onPassEnd(long nowNanos) {
        boolean full = readsThisPass >= readsPerPass;
        readsThisPass = 0;
        long since = behindSinceNanos;
        if (full && since == 0) {
            behindSinceNanos = nowNanos == 0 ? 1 : nowNanos;
        } else if (!full && since != 0) {
            behindSinceNanos = 0;
        }
    }

    /** How long the loop has gone without emptying its socket, 0 when its last pass did. Any thread. */
    long behindNanos(long nowNanos) {
        long since = behindSinceNanos;
        return since == 0 ? 0 : Math.max(0, nowNanos - since);
    }
}
