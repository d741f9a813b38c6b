package dev.prism.sfu.room;

import io.netty.buffer.ByteBuf;

/**
 * Spreads one subscriber's RTP over time at a multiple of its bandwidth estimate, as
 * libwebrtc's pacer does: a key frame is dozens of packets produced at once, and sent at line
 * rate it overflows the queue of a slow link (a 500 kbit/s link with 100 ms of buffer holds
 * about six kilobytes). A token bucket lets packets through at once while the subscriber is
 * under its rate; the rest wait in a FIFO drained by the room's 10 ms timer. The bucket holds
 * {@link #BURST_MICROS} at the pacing rate: on a slow link that is a few packets, well inside
 * its queue, while on a fast one a whole key frame goes at once instead of waiting tens of
 * milliseconds behind the bucket (the publisher has paced it already; SFUs that do not pace at
 * all rely on the same). Each packet carries the arrival of the datagram that caused it, so the
 * worker times a held copy from then ({@code prism_forwarding_delay_seconds}): the wait here is
 * part of what the server adds. Loop thread only; no allocation per packet once the queue has grown.
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

    private final PacketQueue queue = new PacketQueue(64);
    /** Retransmissions go before waiting media: a late repair is no repair (the receiver asks again or gives up). */
    private final PacketQueue priority = new PacketQueue(16);
    private final Sender sender;
    private long rateBytesPerSecond;
    private double tokens;
    private long lastRefillNanos;
    private int queuedBytes;
    private long dropped;

    /** What the pacer does with a packet it lets through (records it for the estimator, then sends it). */
    interface Sender {
        /** {@code arrivalNanos}: when the datagram that caused it arrived (System.nanoTime), or 0 (not timed). */
        void send(ByteBuf packet, long arrivalNanos);
    }

    private final java.util.function.LongSupplier nanoClock;

    DownlinkPacer(Sender sender) {
        this(sender, System::nanoTime);
    }

    DownlinkPacer(Sender sender, java.util.function.LongSupplier nanoClock) {
        this.sender = sender;
        this.nanoClock = nanoClock;
    }

    /** Reads what {@link #send} reads first (see {@link DownTrack#prefetch}). */
    int prefetch() {
        return (int) rateBytesPerSecond ^ (int) tokens;
    }

    /** Paces at {@link #PACING_FACTOR} × {@code estimateBps}; {@code <= 0} turns pacing off. */
    void setEstimate(long estimateBps) {
        rateBytesPerSecond = estimateBps <= 0 ? 0 : (long) (estimateBps * PACING_FACTOR / 8);
    }

    /**
     * Sends now if the bucket allows and nothing waits, else queues (or drops when the queue is
     * full). {@code arrivalNanos} goes with the packet to the {@link Sender}, however late.
     */
    void send(ByteBuf packet, long arrivalNanos) {
        if (rateBytesPerSecond == 0) {
            sender.send(packet, arrivalNanos);
            return;
        }
        refill(nanoClock.getAsLong());
        if (queue.isEmpty() && priority.isEmpty() && tokens >= 0) {
            tokens -= packet.readableBytes();
            sender.send(packet, arrivalNanos);
            return;
        }
        enqueue(queue, packet, arrivalNanos);
    }

    /** Like {@link #send}, but ahead of any media waiting (retransmissions). */
    void sendFirst(ByteBuf packet, long arrivalNanos) {
        if (rateBytesPerSecond == 0) {
            sender.send(packet, arrivalNanos);
            return;
        }
        refill(nanoClock.getAsLong());
        if (priority.isEmpty() && tokens >= 0) {
            tokens -= packet.readableBytes();
            sender.send(packet, arrivalNanos);
            return;
        }
        enqueue(priority, packet, arrivalNanos);
    }

    private void enqueue(PacketQueue to, ByteBuf packet, long arrivalNanos) {
        if (queuedBytes + packet.readableBytes() > MAX_QUEUE_BYTES) {
            packet.release();
            dropped++;
            return;
        }
        queuedBytes += packet.readableBytes();
        to.add(packet, arrivalNanos);
    }

    /** Lets out what the bucket allows (the room's 10 ms timer). */
    void drain() {
        if (queue.isEmpty() && priority.isEmpty()) {
            return;
        }
        refill(nanoClock.getAsLong());
        while ((!queue.isEmpty() || !priority.isEmpty()) && (tokens >= 0 || rateBytesPerSecond == 0)) {
            PacketQueue from = priority.isEmpty() ? queue : priority;
            long arrival = from.firstArrival();
            ByteBuf packet = from.poll();
            queuedBytes -= packet.readableBytes();
            tokens -= packet.readableBytes();
            sender.send(packet, arrival);
        }
    }

    /** Releases what waits (the transport closed). */
    void clear() {
        while (!queue.isEmpty()) {
            queue.poll().release();
        }
        while (!priority.isEmpty()) {
            priority.poll().release();
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

    /**
     * A FIFO of packets, each with its arrival, in two parallel rings grown by doubling: no object
     * per packet (a deque of (packet, arrival) pairs would box or allocate one per packet).
     */
    private static final class PacketQueue {
        private ByteBuf[] packets;
        private long[] arrivals;
        private int head;
        private int size;

        /** {@code capacity}: a power of two. */
        PacketQueue(int capacity) {
            packets = new ByteBuf[capacity];
            arrivals = new long[capacity];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void add(ByteBuf packet, long arrivalNanos) {
            if (size == packets.length) {
                grow();
            }
            int at = (head + size) & (packets.length - 1);
            packets[at] = packet;
            arrivals[at] = arrivalNanos;
            size++;
        }

        /** The arrival of the packet {@link #poll} returns next. */
        long firstArrival() {
            return arrivals[head];
        }

        ByteBuf poll() {
            ByteBuf packet = packets[head];
            packets[head] = null;
            head = (head + 1) & (packets.length - 1);
            size--;
            return packet;
        }

        private void grow() {
            int n = packets.length;
            ByteBuf[] p = new ByteBuf[n * 2];
            long[] a = new long[n * 2];
            System.arraycopy(packets, head, p, 0, n - head);
            System.arraycopy(packets, 0, p, n - head, head);
            System.arraycopy(arrivals, head, a, 0, n - head);
            System.arraycopy(arrivals, 0, a, n - head, head);
            packets = p;
            arrivals = a;
            head = 0;
        }
    }
}
