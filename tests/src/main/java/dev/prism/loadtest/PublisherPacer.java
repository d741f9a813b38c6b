package dev.prism.loadtest;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * A synthetic publisher's video pacer, shaped like a browser's (libwebrtc's pacing controller,
 * modules/pacing): an encoder hands over a whole frame at once, the packets wait in a FIFO and
 * leave at a multiple of the video bitrate (libwebrtc: 2.5), so a 2.5 Mbit/s stream's 10 kB frame
 * is spread over about 13 ms instead of hitting the network in one burst. Each packet sent adds its
 * size to a debt that drains at the pacing rate; the next one goes when the debt is paid, waking
 * at most every millisecond (libwebrtc's minimum sleep). Audio and retransmissions do not wait
 * here (libwebrtc gives them priority over video). Event loop thread only.
 */
final class PublisherPacer {
    static final long MIN_SLEEP_NANOS = 1_000_000;

    /** Sends a packet the pacer lets out (stamps, protects and writes it; the caller flushes). */
    interface Sender {
        void send(ByteBuf packet, int seq, VideoLayer layer);
    }

    private record Waiting(ByteBuf packet, int seq, VideoLayer layer) {}

    private final ArrayDeque<Waiting> queue = new ArrayDeque<>(64);
    private final EventLoop loop;
    private final Sender sender;
    private final Runnable flush;
    private final double bytesPerNano;
    private double debtBytes;
    private long lastNanos;
    private boolean wakeScheduled;
    private boolean closed;

    /** Paces at {@code factor} × {@code bitrate} bit/s; {@code factor} must be at least 1. */
    PublisherPacer(EventLoop loop, double factor, long bitrate, Sender sender, Runnable flush) {
        if (!(factor >= 1) || bitrate <= 0) {
            throw new IllegalArgumentException("pacing factor must be >= 1 and bitrate > 0: " + factor + ", " + bitrate);
        }
        this.loop = loop;
        this.sender = sender;
        this.flush = flush;
        this.bytesPerNano = factor * bitrate / 8 / 1e9;
    }

    /** Queues a video packet (takes ownership); sends at once when nothing waits and the debt is paid. */
    void enqueue(ByteBuf packet, int seq, VideoLayer layer) {
        if (closed) {
            packet.release();
            return;
        }
        queue.addLast(new Waiting(packet, seq, layer));
        process(System.nanoTime());
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

    private void process(long now) {
        if (lastNanos != 0) {
            debtBytes = Math.max(0, debtBytes - (now - lastNanos) * bytesPerNano);
        }
        lastNanos = now;
        while (!queue.isEmpty() && debtBytes <= 0) {
            Waiting w = queue.pollFirst();
            debtBytes += w.packet.readableBytes();
            sender.send(w.packet, w.seq, w.layer);
        }
        if (!queue.isEmpty() && !wakeScheduled) {
            wakeScheduled = true;
            long sleep = Math.max(MIN_SLEEP_NANOS, (long) (debtBytes / bytesPerNano));
            loop.schedule(this::wake, sleep, TimeUnit.NANOSECONDS);
        }
    }

    private void wake() {
        wakeScheduled = false;
        if (closed) {
            return;
        }
        process(System.nanoTime());
        flush.run();
    }
}
