package dev.prism.sfu.worker;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * How a media worker's datagrams leave: on the loop, queued and sent {@link #FLUSH_BATCH} at a time
 * and at each flush, with the loop's own {@code sendmmsg} ({@link SendmmsgBatch}) where it can,
 * else through Netty's channel in reused envelopes ({@link OutboundDatagram}); from other threads,
 * through the channel at once. What the kernel refuses from a batch goes to the channel, and
 * later datagrams follow it there until the channel has sent them all, so order is kept.
 */
final class DatagramSender {
    /**
     * Datagrams queued on the loop before they are sent ({@code sendmmsg}) even when the read
     * batch or task has more to write; the end of each loop pass flushes the rest (DESIGN.md step
     * 7 flushes only there). A packet fanned out to 200 subscribers queued 200 copies before the
     * first left: the first subscribers waited for the whole fan-out, and 200 send buffers were
     * in flight, so the allocator's last-in-first-out stack cycled through 400 KiB instead of
     * reusing a few cache-warm ones. Load tool, 200 viewers, interleaved runs
     * (docs/BENCHMARKS.md): 88k pkt/CPU-s and p50 4.6-7.2 ms without, 98-109k and 2.4-4.0 ms at
     * 16; 4 and 8 made more system calls for no gain, 32 was between.
     */
    static final int FLUSH_BATCH = 16;

    private final Channel channel;
    private final EventLoop loop;
    /** The envelopes of datagrams sent through the channel on the loop, reused once Netty has sent them. */
    private final OutboundDatagram.Pool envelopes = new OutboundDatagram.Pool();
    /** Datagrams written to the channel on the loop since its last flush. */
    private int unflushed;
    /** Where the loop's datagrams queue for {@code sendmmsg}; null where only Netty's channel can send. */
    private final SendmmsgBatch batch;
    /** Set when Netty holds datagrams the kernel refused: later ones queue behind them, in order. */
    private boolean channelBacklogged;
    private final ForwardingDelay delay = new ForwardingDelay();
    /** When the datagram the loop is handling arrived (nanoTime), or 0 outside a read pass or without a stamp. */
    private long handlingArrival;
    /** The arrival of what caused each datagram in the batch (0: not timed). */
    private final long[] batchArrivals = new long[FLUSH_BATCH];
    private boolean batchTimed;

    /** {@code direct} false sends everything through the channel, as on Java 21. */
    DatagramSender(Channel channel, EventLoop loop, boolean direct) {
        this.channel = channel;
        this.loop = loop;
        this.batch = direct ? SendmmsgBatch.open(channel, FLUSH_BATCH) : null;
    }

    /** Sends {@code datagram} (taking its reference) to {@code to}: on the loop in batches, from elsewhere at once. */
    void send(ByteBuf datagram, InetSocketAddress to) {
        send(datagram, to, loop.inEventLoop() ? handlingArrival : 0);
    }

    /**
     * As {@link #send(ByteBuf, InetSocketAddress)}, timed from {@code arrivalNanos} (0: not timed)
     * instead of the datagram being handled: a copy the room's pacer held back since then.
     */
    void send(ByteBuf datagram, InetSocketAddress to, long arrivalNanos) {
        if (loop.inEventLoop()) {
            if (batch != null && !channelBacklogged && batch.accepts(datagram, to)) {
                batchArrivals[batch.size()] = arrivalNanos;
                batchTimed |= arrivalNanos != 0;
                batch.add(datagram, to);
                if (batch.full()) {
                    sendBatch();
                }
                return;
            }
            channel.write(envelopes.take(datagram, to), channel.voidPromise());
            if (++unflushed >= FLUSH_BATCH) {
                flush();
            }
        } else {
            channel.writeAndFlush(new DatagramPacket(datagram, to), channel.voidPromise());
        }
    }

    /**
     * The loop is handling a datagram that arrived at {@code arrivalNanos} (0: none, or no stamp):
     * what it sends until the next call is timed from then ({@link ForwardingDelay}). Loop thread.
     */
    void handling(long arrivalNanos) {
        handlingArrival = arrivalNanos;
    }

    /** What {@link #handling} set last. Loop thread. */
    long handlingArrival() {
        return handlingArrival;
    }

    /** True when the loop sends with its own {@code sendmmsg}. */
    boolean direct() {
        return batch != null;
    }

    /** How long datagrams spent in this worker (only on the loop's own {@code sendmmsg} path). */
    ForwardingDelay delay() {
        return delay;
    }

    /** The loop's reused envelopes (for tests). */
    OutboundDatagram.Pool envelopes() {
        return envelopes;
    }

    /** Sends what is queued (also for loop-thread code that did not run from a read). Loop thread. */
    void flush() {
        if (batch != null && batch.size() > 0) {
            sendBatch();
        }
        unflushed = 0;
        channel.flush();
        if (channelBacklogged && channel.isActive() && channel.unsafe().outboundBuffer() != null
                && channel.unsafe().outboundBuffer().totalPendingWriteBytes() == 0) {
            channelBacklogged = false;
        }
    }

    /**
     * Sends the queued batch; what the kernel did not take (a full send buffer, or an error on
     * one datagram) goes to Netty's channel, which waits for the socket or fails that datagram
     * alone, and datagrams after it follow it there until Netty has sent them all.
     */
    private void sendBatch() {
        int size = batch.size();
        int sent = batch.send();
        if (batchTimed) {
            long now = System.nanoTime();
            for (int i = 0; i < sent; i++) {
                if (batchArrivals[i] != 0) {
                    delay.record(batchArrivals[i], now);
                }
            }
            batchTimed = false;
        }
        if (sent < size) {
            channelBacklogged = true;
            for (int i = sent; i < size; i++) {
                channel.write(envelopes.take(batch.datagram(i), batch.recipient(i)), channel.voidPromise());
            }
            unflushed += size - sent;
        }
        batch.clear();
    }

    /** {@code sendmmsg} calls the loop made itself (0 where it sends through Netty's channel only). Loop thread. */
    long directSendCalls() {
        return batch == null ? 0 : batch.calls();
    }

    /** Releases what the batch still holds, on the loop; before the channel closes. */
    void close() {
        if (batch != null) {
            loop.submit(batch::close).awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }
}
