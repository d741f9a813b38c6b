package dev.prism.sfu.cc;

import dev.prism.rtcp.TransportLayerCc;
import dev.prism.rtcp.TransportLayerCcWriter;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * The receive side of transport-wide congestion control for one publisher's transport
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01): records the arrival time of every
 * packet by its transport-wide sequence number and, on a timer, writes the feedback the
 * publisher's send-side bandwidth estimator needs to ramp up. Arrivals are kept in a ring
 * indexed by sequence number, so reordering costs nothing; nothing is allocated per packet.
 * Loop thread only.
 */
public final class TransportFeedbackGenerator {
    /** Sequence numbers one feedback may cover; a burst wider than this is split over feedbacks. */
    static final int WINDOW = 1 << 12;
    private static final long NONE = Long.MIN_VALUE;

    private final long[] arrivals = new long[WINDOW];
    private final TransportLayerCcWriter writer = new TransportLayerCcWriter(WINDOW);
    private final int senderSsrc;
    private boolean started;
    private int nextSeq;      // first sequence number not yet reported
    private int highestSeq;   // highest received, as 16 bits
    private int pending;      // sequence numbers from nextSeq to highestSeq inclusive
    private int feedbackCount;

    public TransportFeedbackGenerator(int senderSsrc) {
        this.senderSsrc = senderSsrc;
        Arrays.fill(arrivals, NONE);
    }

    /** A packet carrying transport-wide sequence number {@code seq} arrived at {@code arrivalMicros}. */
    public void onPacket(int seq, long arrivalMicros) {
        seq &= 0xFFFF;
        if (!started) {
            started = true;
            nextSeq = seq;
            highestSeq = seq;
            pending = 1;
            arrivals[seq & (WINDOW - 1)] = arrivalMicros;
            return;
        }
        int ahead = (seq - nextSeq) & 0xFFFF;
        if (ahead >= 0x8000) {
            return; // older than what was already reported: too late to matter
        }
        if (ahead >= WINDOW) {
            // A jump past the window (a long gap): what is pending is reported as lost later.
            return;
        }
        arrivals[seq & (WINDOW - 1)] = arrivalMicros;
        if (ahead + 1 > pending) {
            pending = ahead + 1;
            highestSeq = seq;
        }
    }

    /** Whether arrivals wait to be reported. */
    public boolean hasPending() {
        return started && pending > 0;
    }

    /**
     * Appends one feedback packet for {@code mediaSsrc} covering what arrived since the last call
     * (the first arrival is the reference); returns the bytes written, 0 when nothing waits.
     */
    public int write(ByteBuf out, int mediaSsrc) {
        if (!hasPending()) {
            return 0;
        }
        // The reference time is the first received packet's arrival, in 64 ms units.
        long reference = NONE;
        for (int i = 0; i < pending && reference == NONE; i++) {
            reference = arrivals[(nextSeq + i) & (WINDOW - 1)];
        }
        if (reference == NONE) {
            return 0;
        }
        int referenceTime = (int) Math.floorDiv(reference, TransportLayerCc.REFERENCE_TICK_MICROS);
        writer.reset(senderSsrc, mediaSsrc, nextSeq, referenceTime, feedbackCount);
        int reported = 0;
        for (int i = 0; i < pending; i++) {
            int seq = (nextSeq + i) & 0xFFFF;
            int slot = seq & (WINDOW - 1);
            long arrival = arrivals[slot];
            boolean ok = arrival == NONE ? writer.addLost(seq) : writer.add(seq, arrival);
            if (!ok) {
                break; // delta out of range: the rest goes into the next feedback
            }
            arrivals[slot] = NONE;
            reported++;
        }
        if (reported == 0) {
            return 0;
        }
        feedbackCount = (feedbackCount + 1) & 0xFF;
        nextSeq = (nextSeq + reported) & 0xFFFF;
        pending -= reported;
        return writer.write(out);
    }
}
