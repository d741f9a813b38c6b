package dev.prism.api;

/**
 * What one server accepts at most; 0 means unlimited. Every refusal is a clear 4xx or
 * signaling error and is counted.
 *
 * @param maxRooms                   rooms hosted at once
 * @param maxParticipantsPerRoom     default participant limit of a room (operators may set their own per room)
 * @param maxPublishersPerRoom       participants publishing in one room
 * @param maxTracksPerParticipant    tracks in one publish offer
 * @param signalingMessagesPerSecond WebSocket messages per connection per second
 * @param maxConcurrentHandshakes    DTLS handshakes in progress server-wide
 * @param maxWorkerLoadPercent       new sessions are refused in rooms whose media worker's loop uses this
 *                                   share of a core or drops input (0 = never)
 * @param maxSetupWaitMillis         a new session waits at most this long while its room's media worker is
 *                                   behind, then is refused (0 = sessions start at once)
 */
public record Limits(int maxRooms, int maxParticipantsPerRoom, int maxPublishersPerRoom, int maxTracksPerParticipant,
                     int signalingMessagesPerSecond, int maxConcurrentHandshakes, int maxWorkerLoadPercent,
                     int maxSetupWaitMillis) {
    /** Below the 15 s that WHIP/WHEP clients such as the load tool wait for an answer. */
    public static final int DEFAULT_SETUP_WAIT_MILLIS = 10_000;
    public static final Limits DEFAULT = new Limits(0, 0, 0, 16, 50, 256, 90, DEFAULT_SETUP_WAIT_MILLIS);

    /** With the default set-up wait. */
    public Limits(int maxRooms, int maxParticipantsPerRoom, int maxPublishersPerRoom, int maxTracksPerParticipant,
                  int signalingMessagesPerSecond, int maxConcurrentHandshakes, int maxWorkerLoadPercent) {
        this(maxRooms, maxParticipantsPerRoom, maxPublishersPerRoom, maxTracksPerParticipant, signalingMessagesPerSecond,
                maxConcurrentHandshakes, maxWorkerLoadPercent, DEFAULT_SETUP_WAIT_MILLIS);
    }
}
