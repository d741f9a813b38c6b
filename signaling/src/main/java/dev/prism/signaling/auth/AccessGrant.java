package dev.prism.signaling.auth;

/**
 * What a verified access token allows: who the bearer is and what they may do in which room.
 * {@code roomCreate} and {@code roomList} are server-wide operator grants; {@code roomAdmin}
 * administers {@code room} (every room when the token names none).
 */
public record AccessGrant(String apiKey, String identity, String room, boolean roomJoin, boolean canPublish,
                          boolean canSubscribe, boolean roomCreate, boolean roomList, boolean roomAdmin) {

    public AccessGrant(String apiKey, String identity, String room, boolean roomJoin, boolean canPublish,
                       boolean canSubscribe) {
        this(apiKey, identity, room, roomJoin, canPublish, canSubscribe, false, false, false);
    }

    /** Whether this grant administers {@code room}. */
    public boolean administers(String roomName) {
        return roomAdmin && (room == null || room.isEmpty() || room.equals(roomName));
    }
}
