package dev.prism.sfu.room;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;

/**
 * Spreads one subscriber's RTP over time at a multiple of its bandwidth estimate, as
 * libwebrtc's pacer does: a key frame is dozens of packets produced at once, and sent at line
 * rate it overflows the queue of a slow link (a 500 kbit/s link with 100 ms of buffer holds
 * about six kilobytes). A token bucket lets packets through at once while the subscriber is
 * under its rate; the rest wait in a FIFO drained by the room's 10 ms timer. The bucket holds
 * {@link #BURST_MICROS} at the pacing rate: on a slow link that is a few packets, well inside
 * its queue, while on a fast one a whole key frame goes at once instead of waiting tens of
 * milliseconds behind the bucket (the publisher has paced it already; SFUs that do not pace at
 * all rely on the same). Loop thread only; no allocation per packet once the queue has grown.
 */
final class DownlinkPacer {
    /**
     * Pacing rate relative to the estimate: above it, so the queue drains and the estimate can
     * show more. Not libwebrtc's 2.5: its encoder fills the estimate, while we forward layers
     * below it, and at 2.5 a key frame of the lowest layer fills a 500 kbit/s link's 100 ms queue
     * at 0.75 Mbit/s on top of the burst (AdaptationTest measured 0-2.7 % loss on that link; at
     * 1.5, 0-0.2 %).
     */
    static final double PACING_FACTOR = 1.5;
    /**
     * Burst allowance: this much time at the pacing rate, and at least two full packets. 40 ms at
     * 1.5 × a 500 kbit/s estimate is 3.75 kB (a third of that link's queue); at 1.5 × 4 Mbit/s,
     * 30 kB: most of a 720p key frame.
     */
    static final long BURST_MICROS = 40_000;
    static final int MIN_BURST_BYTES = 2 * 1200;
    /** Beyond this much waiting data new packets are dropped (counted): about 1 s at 4 Mbit/s. */
    static final int MAX_QUEUE_BYTES = 512 * 1024;

    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>(64);
    /** Retransmissions go before waiting media: a late repair is no repair (the receiver asks again or gives up). */
    private final ArrayDeque<ByteBuf> priority = new ArrayDeque<>(16);
    private final Sender sender;
    private long rateBytesPerSecond;
    private double tokens;
    private long lastRefillNanos;
    private int queuedBytes;
    private long dropped;

    /** What the pacer does with a packet it lets through (records it for the estimator, then sends it). */
    interface Sender {
        void send(ByteBuf packet);
    }

    private final java.util.function.LongSupplier nanoClock;

    DownlinkPacer(Sender sender) {
        this(sender, System::nanoTime);
    }

    DownlinkPacer(Sender sender, java.util.function.LongSupplier nanoClock) {
        this.sender = sender;
        this.nanoClock = nanoClock;
    }

    /** Paces at {@link #PACING_FACTOR} × {@code estimateBps}; {@code <= 0} turns pacing off. */
    void setEstimate(long estimateBps) {
        rateBytesPerSecond = estimateBps <= 0 ? 0 : (long) (estimateBps * PACING_FACTOR / 8);
    }

    /** Sends now if the bucket allows and nothing waits, else queues (or drops when the queue is full). */
    void send(ByteBuf packet) {
        if (rateBytesPerSecond == 0) {
            sender.send(packet);
            return;
        }
        refill(nanoClock.getAsLong());
        if (queue.isEmpty() && priority.isEmpty() && tokens >= 0) {
            tokens -= packet.readableBytes();
            sender.send(packet);
            return;
        }
        enqueue(queue, packet);
    }

    /** Like {@link #send}, but ahead of any media waiting (retransmissions). */
    void sendFirst(ByteBuf packet) {
        if (rateBytesPerSecond == 0) {
            sender.send(packet);
            return;
        }
        refill(nanoClock.getAsLong());
        if (priority.isEmpty() && tokens >= 0) {
            tokens -= packet.readableBytes();
            sender.send(packet);
            return;
        }
        enqueue(priority, packet);
    }

    private void enqueue(ArrayDeque<ByteBuf> to, ByteBuf packet) {
        if (queuedBytes + packet.readableBytes() > MAX_QUEUE_BYTES) {
            packet.release();
            dropped++;
            return;
        }
        queuedBytes += packet.readableBytes();
        to.addLast(packet);
    }

    /** Lets out what the bucket allows (the room's 10 ms timer). */
    void drain() {
        if (queue.isEmpty() && priority.isEmpty()) {
            return;
        }
        refill(nanoClock.getAsLong());
        while ((!queue.isEmpty() || !priority.isEmpty()) && (tokens >= 0 || rateBytesPerSecond == 0)) {
            ByteBuf packet = priority.isEmpty() ? queue.pollFirst() : priority.pollFirst();
            queuedBytes -= packet.readableBytes();
            tokens -= packet.readableBytes();
            sender.send(packet);
        }
    }

    /** Releases what waits (the transport closed). */
    void clear() {
        ByteBuf b;
        while ((b = queue.pollFirst()) != null) {
            b.release();
        }
        while ((b = priority.pollFirst()) != null) {
            b.release();
        }
        queuedBytes = 0;
    }

    int queuedBytes() {
        return queuedBytes;
    }

    long dropped() {
        return dropped;
    }

    private void refill(long nowNanos) {
        if (lastRefillNanos != 0) {
            long burst = Math.max(MIN_BURST_BYTES, rateBytesPerSecond * BURST_MICROS / 1_000_000);
            tokens = Math.min(burst, tokens + (nowNanos - lastRefillNanos) * rateBytesPerSecond / 1e9);
        }
        lastRefillNanos = nowNanos;
    }
}
