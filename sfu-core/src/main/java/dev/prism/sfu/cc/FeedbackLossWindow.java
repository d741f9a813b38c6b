package dev.prism.sfu.cc;

/**
 * Packets reported lost over the last {@link #WINDOW_MICROS} of feedback (by feedback arrival
 * time). A whole second smooths the binomial noise of small feedbacks: at 5 % random loss a
 * single 100 ms report of 20 packets often shows over 10 %, a second's worth almost never, so
 * the loss controller reacts to loss rates, not to luck (draft-ietf-rmcat-gcc-02 §6 leaves the
 * interval open). Preallocated ring of per-feedback counts; loop thread only.
 */
final class FeedbackLossWindow {
    static final long WINDOW_MICROS = 1_000_000;
    private static final int ENTRIES = 128;

    private final long[] times = new long[ENTRIES];
    private final int[] lost = new int[ENTRIES];
    private final int[] total = new int[ENTRIES];
    private int head;
    private int size;
    private long now;

    void add(long nowMicros, int lostPackets, int totalPackets) {
        times[head] = nowMicros;
        lost[head] = lostPackets;
        total[head] = totalPackets;
        head = (head + 1) % ENTRIES;
        size = Math.min(size + 1, ENTRIES);
        now = Math.max(now, nowMicros);
    }

    /**
     * Lost over reported within the window ending at the newest feedback, 0 if none reported.
     * A late arrival of a packet reported lost earlier is entered as a negative loss, hence the clamp.
     */
    double fraction() {
        long totalSum = reported();
        return totalSum <= 0 ? 0 : Math.max(0, Math.min(1, (double) lostInWindow() / totalSum));
    }

    /** Packets reported (received or lost) within the window. */
    long reported() {
        long totalSum = 0;
        for (int i = 0; i < size; i++) {
            int idx = (head - 1 - i + ENTRIES) % ENTRIES;
            if (now - times[idx] >= WINDOW_MICROS) {
                break;
            }
            totalSum += total[idx];
        }
        return totalSum;
    }

    private long lostInWindow() {
        long lostSum = 0;
        for (int i = 0; i < size; i++) {
            int idx = (head - 1 - i + ENTRIES) % ENTRIES;
            if (now - times[idx] >= WINDOW_MICROS) {
                break;
            }
            lostSum += lost[idx];
        }
        return lostSum;
    }
}
