package dev.prism.loadtest;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A synthetic publisher's video pacer, shaped like a browser's (libwebrtc's pacing controller,
 * modules/pacing): an encoder hands over a whole frame at once, the packets wait in a FIFO and
 * leave at a multiple of the video bitrate (libwebrtc: 2.5), so a 2.5 Mbit/s stream's 10 kB frame
 * is spread over about 13 ms instead of hitting the network in one burst. A budget fills at the
 * pacing rate up to {@link #BURST_NANOS} of it (libwebrtc sends in bursts at most 5 ms apart) and
 * each packet sent spends its size; packets wait while the budget is spent, and the pacer wakes
 * when it has refilled, at most every millisecond (libwebrtc's minimum sleep). The burst also
 * keeps the rate when the event loop wakes it late: a budget that could not grow past one packet
 * would lose the time of every late wake, and on a busy loop fall below the media rate and queue
 * without end. Audio and retransmissions do not wait here (libwebrtc gives them priority over
 * video). Event loop thread only.
 */
final class PublisherPacer {
    static final long MIN_SLEEP_NANOS = 1_000_000;
    static final long BURST_NANOS = 5_000_000;

    /** Sends a packet the pacer lets out (stamps, protects and writes it; the caller flushes). */
    interface Sender {
        void send(ByteBuf packet, int seq, VideoLayer layer);
    }

    private record Waiting(ByteBuf packet, int seq, VideoLayer layer) {}

    private final ArrayDeque<Waiting> queue = new ArrayDeque<>(64);
    private final EventLoop loop;
    private final Sender sender;
    private final Runnable flush;
    private final LongSupplier nanoClock;
    private final double bytesPerNano;
    private final double burstBytes;
    /** Bytes that may go now; negative after a packet larger than what was left. */
    private double budgetBytes;
    private long lastNanos;
    private boolean wakeScheduled;
    private boolean closed;

    /** Paces at {@code factor} × {@code bitrate} bit/s; {@code factor} must be at least 1. */
    PublisherPacer(EventLoop loop, double factor, long bitrate, Sender sender, Runnable flush) {
        this(loop, factor, bitrate, sender, flush, System::nanoTime);
    }

    PublisherPacer(EventLoop loop, double factor, long bitrate, Sender sender, Runnable flush, LongSupplier nanoClock) {
        if (!(factor >= 1) || bitrate <= 0) {
            throw new IllegalArgumentException("pacing factor must be >= 1 and bitrate > 0: " + factor + ", " + bitrate);
        }
        this.loop = loop;
        this.sender = sender;
        this.flush = flush;
        this.nanoClock = nanoClock;
        this.bytesPerNano = factor * bitrate / 8 / 1e9;
        this.burstBytes = bytesPerNano * BURST_NANOS;
        this.budgetBytes = burstBytes;
    }

    /** Queues a video packet (takes ownership); sends at once while the budget lasts. */
    void enqueue(ByteBuf packet, int seq, VideoLayer layer) {
        if (closed) {
            packet.release();
            return;
        }
        queue.addLast(new Waiting(packet, seq, layer));
        process(nanoClock.getAsLong());
    }

    int queued() {
        return queue.size();
    }

    /** Releases what waits; later packets are dropped. */
    void close() {
        closed = true;
        Waiting w;
        while ((w = queue.pollFirst()) != null) {
            w.packet.release();
        }
    }

    /** Sends what the budget allows now (the wake timer; tests call it to wake the pacer late). */
    void poll() {
        process(nanoClock.getAsLong());
    }

    private void process(long now) {
        if (lastNanos != 0) {
            budgetBytes = Math.min(burstBytes, budgetBytes + (now - lastNanos) * bytesPerNano);
        }
        lastNanos = now;
        while (!queue.isEmpty() && budgetBytes > 0) {
            Waiting w = queue.pollFirst();
            budgetBytes -= w.packet.readableBytes();
            sender.send(w.packet, w.seq, w.layer);
        }
        if (!queue.isEmpty() && !wakeScheduled) {
            wakeScheduled = true;
            long sleep = Math.max(MIN_SLEEP_NANOS, (long) (-budgetBytes / bytesPerNano) + 1);
            loop.schedule(this::wake, sleep, TimeUnit.NANOSECONDS);
        }
    }

    private void wake() {
        wakeScheduled = false;
        if (closed) {
            return;
        }
        poll();
        flush.run();
    }
}
