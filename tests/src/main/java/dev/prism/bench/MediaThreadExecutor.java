package dev.prism.bench;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * JMH's benchmark threads as Netty makes a media worker's: {@code FastThreadLocalThread}s, which
 * get the pooled allocator's per-thread cache and the recycler's per-thread pools. On JMH's own
 * threads Netty 4.2 uses neither, and a benchmark of the forwarding path would measure the
 * arena's lock and a new buffer object per packet that the server never pays. Selected in a
 * benchmark's fork with {@code -Djmh.executor=CUSTOM -Djmh.executor.class=}this class.
 */
public final class MediaThreadExecutor extends ThreadPoolExecutor {
    /** The constructor JMH's CUSTOM executor type calls. */
    public MediaThreadExecutor(int threads, String prefix) {
        super(threads, threads, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(), new DefaultThreadFactory(prefix, true));
    }
}
