package dev.prism.sfu.cc;

/**
 * Groups acknowledged packets into send bursts and yields the delay variation between
 * consecutive groups (draft-ietf-rmcat-gcc-02 §5.2, pre-filtering). A group is the packets sent
 * within {@link #GROUP_MICROS} of its first one; a packet that arrives within
 * {@link #BURST_MICROS} of the previous one and faster than it was sent joins the current group
 * too, because such a burst says nothing about the queue (it was held up together, e.g. by a
 * radio). Feed packets in send order; {@link #add} returns true when a group closed and the
 * deltas between it and the one before are ready in {@link #sendDeltaMicros()} and
 * {@link #arrivalDeltaMicros()}. Primitive fields only; loop thread only.
 */
final class InterArrivalGroups {
    static final long GROUP_MICROS = 5_000;
    static final long BURST_MICROS = 5_000;
    /** A burst longer than this is a real queue draining, not a radio hiccup. */
    static final long MAX_BURST_MICROS = 100_000;

    private boolean hasCurrent;
    private boolean hasPrevious;
    private long firstSend;
    private long lastSend;
    private long firstArrival;
    private long lastArrival;
    private long prevLastSend;
    private long prevLastArrival;

    private long sendDelta;
    private long arrivalDelta;
    private long groupArrival;

    /** Adds one acknowledged packet; true when a group completed (see class comment). */
    boolean add(long sendMicros, long arrivalMicros) {
        if (!hasCurrent) {
            start(sendMicros, arrivalMicros);
            return false;
        }
        if (sendMicros < firstSend) {
            return false; // reordered: sent before the current group began, too late to use
        }
        if (belongsToBurst(sendMicros, arrivalMicros) || sendMicros - firstSend <= GROUP_MICROS) {
            lastSend = Math.max(lastSend, sendMicros);
            lastArrival = Math.max(lastArrival, arrivalMicros);
            return false;
        }
        boolean ready = false;
        if (hasPrevious) {
            long a = lastArrival - prevLastArrival;
            if (a >= 0) { // groups arriving out of order carry no usable gradient
                sendDelta = lastSend - prevLastSend;
                arrivalDelta = a;
                groupArrival = lastArrival;
                ready = true;
            }
        }
        prevLastSend = lastSend;
        prevLastArrival = lastArrival;
        hasPrevious = true;
        start(sendMicros, arrivalMicros);
        return ready;
    }

    private boolean belongsToBurst(long sendMicros, long arrivalMicros) {
        long a = arrivalMicros - lastArrival;
        long s = sendMicros - lastSend;
        if (s == 0) {
            return true;
        }
        return a - s < 0 && a <= BURST_MICROS && arrivalMicros - firstArrival < MAX_BURST_MICROS;
    }

    private void start(long sendMicros, long arrivalMicros) {
        hasCurrent = true;
        firstSend = sendMicros;
        lastSend = sendMicros;
        firstArrival = arrivalMicros;
        lastArrival = arrivalMicros;
    }

    /** Send time of the completed group's last packet minus that of the group before it. */
    long sendDeltaMicros() {
        return sendDelta;
    }

    /** Arrival time of the completed group's last packet minus that of the group before it. */
    long arrivalDeltaMicros() {
        return arrivalDelta;
    }

    /** Arrival time of the completed group's last packet (receiver clock). */
    long groupArrivalMicros() {
        return groupArrival;
    }
}
