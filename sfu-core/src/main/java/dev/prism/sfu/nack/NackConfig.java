package dev.prism.sfu.nack;

/**
 * Limits of a {@link NackGenerator}.
 *
 * @param maxMissing           most sequence numbers tracked at once; a larger gap asks for a keyframe
 * @param maxRetries           how many times one sequence number is NACKed before giving up
 * @param maxAgeMillis         a missing packet older than this is no longer worth asking for
 * @param maxSequenceAge       a missing packet this many sequence numbers behind the newest is dropped
 * @param minRetryMillis       floor of the interval between two NACKs of one sequence number
 * @param retryRttPercent      that interval as a percentage of the round-trip time (150 = 1.5 × RTT)
 * @param defaultRttMillis     RTT assumed until one is measured
 */
public record NackConfig(int maxMissing, int maxRetries, long maxAgeMillis, int maxSequenceAge,
                         long minRetryMillis, int retryRttPercent, long defaultRttMillis) {
    /** Values in the range mediasoup and libwebrtc use for video. */
    public static final NackConfig DEFAULT = new NackConfig(1000, 10, 1500, 10_000, 20, 150, 100);

    public NackConfig {
        if (maxMissing < 1 || maxRetries < 1 || maxAgeMillis < 1 || maxSequenceAge < 1
                || minRetryMillis < 1 || retryRttPercent < 1 || defaultRttMillis < 0) {
            throw new IllegalArgumentException("invalid NackConfig " + this);
        }
        if (maxSequenceAge >= 1 << 15) {
            throw new IllegalArgumentException("maxSequenceAge must stay below half the sequence space");
        }
    }
}
