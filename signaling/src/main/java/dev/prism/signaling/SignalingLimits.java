package dev.prism.signaling;

/**
 * Limits signaling enforces (0 = unlimited); each refusal is a clear error with a code, and counted.
 *
 * @param maxPublishersPerRoom       participants publishing in one room
 * @param maxTracksPerParticipant    tracks in one publish offer
 * @param maxConcurrentHandshakes    DTLS handshakes in progress server-wide before new sessions are refused
 * @param messagesPerSecond          WebSocket messages per connection per second
 * @param maxWorkerLoadPercent       a room's media worker busier than this (its loop's share of a core, or
 *                                   dropping input) refuses new sessions in its rooms
 * @param maxSetupWaitMillis         how long a new session waits for a room's media worker that is behind
 *                                   (dev.prism.sfu.worker.SetupGate) before it is refused; 0 = no pacing
 */
public record SignalingLimits(int maxPublishersPerRoom, int maxTracksPerParticipant, int maxConcurrentHandshakes,
                              int messagesPerSecond, int maxWorkerLoadPercent, int maxSetupWaitMillis) {
    public static final SignalingLimits NONE = new SignalingLimits(0, 0, 0, 0, 0, 0);
}
