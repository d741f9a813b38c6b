package dev.prism.sfu.audio;

/**
 * Picks a room's dominant speaker from the RFC 6464 audio levels its publishers send, in the
 * spirit of Jitsi's DominantSpeakerIdentification but simpler: each audio source keeps a
 * short-term activity score (the share of recent packets louder than a speech threshold,
 * weighted by loudness) that decays over about a second; the current speaker is replaced only
 * when a challenger has been clearly more active for {@link #SWITCH_AFTER_DECISIONS} consecutive
 * decisions, so a cough or crosstalk does not flip the highlight. Sources are slots (0..n-1)
 * the caller maps to tracks. Single-threaded, allocation-free per packet; time is passed in.
 */
public final class ActiveSpeakerDetector {
    /** Levels quieter than this (-dBov) count as silence: Chromium's fake beep and speech are 20-50. */
    public static final int SPEECH_THRESHOLD = 70;
    /** A challenger must score this much more than the current speaker... */
    static final double SWITCH_MARGIN = 1.5;
    /** ...on this many consecutive decisions. */
    static final int SWITCH_AFTER_DECISIONS = 2;
    /** Below this score nobody is speaking; the current speaker is kept (Jitsi keeps the last one too). */
    static final double MIN_SCORE = 0.05;
    private static final double DECAY_PER_SECOND = 0.5;

    private final double[] score;
    private final long[] lastPacketMillis;
    private final boolean[] present;
    private long lastDecayMillis;
    private int speaker = -1;
    private int challenger = -1;
    private int challengerWins;

    public ActiveSpeakerDetector(int maxSources) {
        score = new double[maxSources];
        lastPacketMillis = new long[maxSources];
        present = new boolean[maxSources];
    }

    public int capacity() {
        return score.length;
    }

    /** Starts tracking a slot (a newly published audio track). */
    public void add(int source) {
        present[source] = true;
        score[source] = 0;
    }

    /** Stops tracking a slot; if it was the speaker, nobody is until the next decision. */
    public void remove(int source) {
        present[source] = false;
        score[source] = 0;
        if (speaker == source) {
            speaker = -1;
        }
        if (challenger == source) {
            challenger = -1;
            challengerWins = 0;
        }
    }

    /** One audio packet's level, in -dBov (0 loudest, 127 silence). */
    public void onLevel(int source, int level, long nowMillis) {
        if (source < 0 || source >= score.length || !present[source]) {
            return;
        }
        lastPacketMillis[source] = nowMillis;
        if (level < SPEECH_THRESHOLD) {
            // Louder packets weigh more: 0 dBov counts 1, the threshold counts almost nothing.
            score[source] += 0.02 * (SPEECH_THRESHOLD - level) / SPEECH_THRESHOLD;
        }
    }

    /**
     * Decays the scores and decides (call every few hundred milliseconds). Returns the speaker
     * slot when it changed, else -1.
     */
    public int decide(long nowMillis) {
        if (lastDecayMillis != 0) {
            double factor = Math.pow(DECAY_PER_SECOND, (nowMillis - lastDecayMillis) / 1000.0);
            for (int i = 0; i < score.length; i++) {
                score[i] *= factor;
            }
        }
        lastDecayMillis = nowMillis;
        int loudest = -1;
        for (int i = 0; i < score.length; i++) {
            if (present[i] && score[i] >= MIN_SCORE && (loudest < 0 || score[i] > score[loudest])) {
                loudest = i;
            }
        }
        if (loudest < 0 || loudest == speaker) {
            challenger = -1;
            challengerWins = 0;
            return -1;
        }
        if (speaker < 0 || score[loudest] > SWITCH_MARGIN * score[speaker]) {
            challengerWins = loudest == challenger ? challengerWins + 1 : 1;
            challenger = loudest;
            if (speaker < 0 || challengerWins >= SWITCH_AFTER_DECISIONS) {
                speaker = loudest;
                challenger = -1;
                challengerWins = 0;
                return speaker;
            }
        } else {
            challenger = -1;
            challengerWins = 0;
        }
        return -1;
    }

    /** The current speaker slot, or -1. */
    public int speaker() {
        return speaker;
    }

    double score(int source) {
        return score[source];
    }
}
