package dev.prism.loadtest;

import dev.prism.rtcp.RtcpFeedback;
import dev.prism.rtcp.TransportLayerCcWriter;
import dev.prism.rtp.SequenceUnwrapper;
import io.netty.buffer.ByteBuf;

/**
 * A receiver's transport-wide congestion control feedback
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1), as a browser sends it: the arrival
 * time of every packet by its transport-wide sequence number, and on each tick one feedback
 * packet covering everything from the first sequence number not yet reported to the highest
 * received (gaps reported as not received; packets arriving after their number was reported
 * are left out). Arrival times are µs since this object was made. Preallocated; nothing per
 * packet or per feedback is allocated but the outgoing buffer. Loop thread only.
 */
final class TwccFeedback {
    /** Arrivals remembered; more than this many packets between two ticks start a fresh range. */
    static final int WINDOW = 4096;
    private static final int MASK = WINDOW - 1;

    private final long epochNanos = System.nanoTime();
    private final SequenceUnwrapper unwrapper = new SequenceUnwrapper();
    private final long[] arrivalMicros = new long[WINDOW];
    private final long[] seqOf = new long[WINDOW];
    private final TransportLayerCcWriter writer = new TransportLayerCcWriter(WINDOW);
    private long next = -1;
    private long highest = -1;
    private int feedbackCount;
    long packetsSent;

    TwccFeedback() {
        java.util.Arrays.fill(seqOf, -1);
    }

    /** Records the arrival of transport-wide sequence number {@code seq}. */
    void onPacket(int seq, long arrivalNanos) {
        long ext = unwrapper.unwrap(seq);
        if (next < 0) {
            next = ext;
        }
        if (ext < next) {
            return;
        }
        int slot = (int) (ext & MASK);
        seqOf[slot] = ext;
        arrivalMicros[slot] = (arrivalNanos - epochNanos) / 1000;
        highest = Math.max(highest, ext);
    }

    /**
     * Writes the feedback packets due (usually one) through {@code sink}; returns how many.
     * {@code senderSsrc} is ours, {@code mediaSsrc} one of the streams received (libwebrtc
     * names one; the sender matches feedback to its transport, not to the SSRC).
     */
    int flush(int senderSsrc, int mediaSsrc, Sink sink) {
        if (next < 0 || highest < next) {
            return 0;
        }
        if (highest - next >= WINDOW) {
            next = highest - WINDOW + 1;
        }
        int written = 0;
        long seq = next;
        while (true) {
            long first = seq;
            while (first <= highest && seqOf[(int) (first & MASK)] != first) {
                first++;
            }
            if (first > highest) {
                break;
            }
            // The reference time (64 ms units) is at or before the first arrival, so that delta is not negative.
            long reference = Math.floorDiv(arrivalMicros[(int) (first & MASK)], 64_000L);
            writer.reset(senderSsrc, mediaSsrc, (int) seq, (int) reference, feedbackCount);
            long end = seq;
            for (long s = first; s <= highest; s++) {
                int slot = (int) (s & MASK);
                if (seqOf[slot] != s) {
                    continue;
                }
                if (!writer.add((int) s, arrivalMicros[slot])) {
                    break; // delta beyond ±8 s: the rest goes into the next packet
                }
                end = s + 1;
            }
            int statuses = writer.packetStatusCount();
            // header 20, chunks at worst 2 bytes per 7 statuses, deltas at most 2 bytes each, padding
            ByteBuf b = sink.buffer(RtcpFeedback.FIXED_SIZE + 8 + 2 * (statuses / 7 + 1) + 2 * statuses + 4);
            writer.write(b);
            sink.send(b);
            feedbackCount = (feedbackCount + 1) & 0xFF;
            packetsSent++;
            written++;
            seq = end;
        }
        next = highest + 1;
        return written;
    }

    /** Where feedback packets go: a buffer for one, then the filled buffer (ownership passes). */
    interface Sink {
        ByteBuf buffer(int length);

        void send(ByteBuf packet);
    }
}
