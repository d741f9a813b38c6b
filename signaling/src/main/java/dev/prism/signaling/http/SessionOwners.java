package dev.prism.signaling.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Who may DELETE or PATCH a WHIP/WHEP resource: the identity that created it, through the same
 * kind of endpoint, in the same room. A resource's id is its transport's id, which other peers can
 * learn (a publisher's appears in every viewer's track ids), so knowing it must not be enough.
 *
 * <p>Sessions mostly end without a DELETE (a player closes its tab, ICE or consent fails, an
 * operator removes the peer); every {@link #SWEEP_EVERY}th record forgets the owners of sessions
 * that have ended, so the map stays near the number of live sessions.
 */
final class SessionOwners {
    /** Records between sweeps of ended sessions. */
    static final int SWEEP_EVERY = 256;

    /** The creator of one resource. */
    record Owner(String room, boolean publish, String identity) {}

    private final Map<String, Owner> owners = new ConcurrentHashMap<>();
    private final AtomicLong recorded = new AtomicLong();
    private final Predicate<String> isOpen;

    /** {@code isOpen} tells whether a session id is still alive (the media backend's view). */
    SessionOwners(Predicate<String> isOpen) {
        this.isOpen = isOpen;
    }

    void record(String sessionId, Owner owner) {
        owners.put(sessionId, owner);
        if (recorded.incrementAndGet() % SWEEP_EVERY == 0) {
            owners.keySet().removeIf(isOpen.negate());
        }
    }

    /** Whether {@code sessionId} was created by {@code identity} in {@code room} through this kind of endpoint. */
    boolean isOwner(String sessionId, String room, boolean publish, String identity) {
        Owner o = owners.get(sessionId);
        return o != null && o.room().equals(room) && o.publish() == publish && o.identity().equals(identity);
    }

    void forget(String sessionId) {
        owners.remove(sessionId);
    }

    int size() {
        return owners.size();
    }
}
