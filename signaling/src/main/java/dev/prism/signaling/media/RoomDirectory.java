package dev.prism.signaling.media;

import dev.prism.signaling.SignalingException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rooms signaling knows of and who is in them: operators create rooms with settings (or a
 * first join creates one with defaults), and every WebSocket participant and WHIP/WHEP session
 * is a member. Limits are checked here when someone is admitted. Thread-safe.
 */
public final class RoomDirectory {
    /** An operator's room settings; 0 means unlimited / never. */
    public record RoomSettings(int maxParticipants, int emptyTimeoutSeconds, String metadata) {
        public static final RoomSettings DEFAULT = new RoomSettings(0, 300, "");
    }

    /** One room as operators see it. */
    public static final class RoomEntry {
        final String name;
        final long createdAtMillis;
        final boolean createdByOperator;
        volatile RoomSettings settings;
        volatile long emptySinceMillis;
        final Map<String, Member> members = new ConcurrentHashMap<>();

        RoomEntry(String name, RoomSettings settings, boolean createdByOperator, long now) {
            this.name = name;
            this.settings = settings;
            this.createdByOperator = createdByOperator;
            this.createdAtMillis = now;
            this.emptySinceMillis = now;
        }

        public String name() {
            return name;
        }

        public long createdAtMillis() {
            return createdAtMillis;
        }

        public RoomSettings settings() {
            return settings;
        }

        public Collection<Member> members() {
            return members.values();
        }
    }

    /** A participant: a WebSocket client or a WHIP/WHEP session. */
    public static final class Member {
        final String id;
        final String identity;
        final String kind;
        final long joinedAtMillis;
        final Set<String> transports = ConcurrentHashMap.newKeySet();
        volatile String metadata = "";
        volatile RoomParticipant participant;
        volatile boolean publishing;

        Member(String id, String identity, String kind, long now) {
            this.id = id;
            this.identity = identity;
            this.kind = kind;
            this.joinedAtMillis = now;
        }

        public String id() {
            return id;
        }

        public String identity() {
            return identity;
        }

        /** "websocket", "whip" or "whep". */
        public String kind() {
            return kind;
        }

        public long joinedAtMillis() {
            return joinedAtMillis;
        }

        public String metadata() {
            return metadata;
        }

        public Set<String> transports() {
            return Set.copyOf(transports);
        }
    }

    /** Room and membership events (webhooks); called while the directory changes, must not block. */
    public interface Listener {
        default void roomStarted(RoomEntry room) {}

        default void roomFinished(RoomEntry room) {}

        default void memberJoined(RoomEntry room, Member member) {}

        default void memberLeft(RoomEntry room, Member member) {}
    }

    private final List<Listener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    private final Map<String, RoomEntry> rooms = new ConcurrentHashMap<>();
    private final int maxRooms;
    private final RoomSettings defaults;

    /** @param maxRooms rooms the server hosts at most (0: unlimited) */
    public RoomDirectory(int maxRooms) {
        this(maxRooms, 0);
    }

    /** @param defaultMaxParticipants the participant limit of rooms nobody configured (0: unlimited) */
    public RoomDirectory(int maxRooms, int defaultMaxParticipants) {
        this.maxRooms = maxRooms;
        this.defaults = new RoomSettings(defaultMaxParticipants, RoomSettings.DEFAULT.emptyTimeoutSeconds(), "");
    }

    /** Settings of rooms created by a first join. */
    public RoomSettings defaults() {
        return defaults;
    }

    /** An operator creates a room; 409 when it exists. */
    public synchronized RoomEntry create(String name, RoomSettings settings) {
        if (rooms.containsKey(name)) {
            throw new SignalingException(409, "room_exists", "room '" + name + "' already exists");
        }
        checkRoomLimit();
        RoomEntry e = new RoomEntry(name, settings, true, System.currentTimeMillis());
        rooms.put(name, e);
        listeners.forEach(l -> l.roomStarted(e));
        return e;
    }

    public RoomEntry find(String name) {
        return rooms.get(name);
    }

    public List<RoomEntry> list() {
        return new ArrayList<>(rooms.values());
    }

    /** Admits a member into a room (created with defaults when new); refuses when a limit is reached. */
    public synchronized Member admit(String room, String identity, String kind) {
        return admit(room, identity, kind, false);
    }

    /**
     * Admits a member that publishes from the start (WHIP), holding one of the room's
     * {@code maxPublishers} publisher slots (0: unlimited) until it leaves. Checked and taken under
     * the lock {@link #reservePublisher} takes too, so concurrent publishes cannot all pass.
     */
    public synchronized Member admitPublisher(String room, String identity, String kind, int maxPublishers) {
        RoomEntry e = rooms.get(room);
        if (e != null) {
            checkPublishers(e, maxPublishers);
        }
        return admit(room, identity, kind, true);
    }

    /**
     * Takes a publisher slot of {@code room} for {@code member} before its publication is set up
     * (a WebSocket participant's publish), so publishes arriving meanwhile count it; 403
     * {@code too_many_publishers} when the room's {@code maxPublishers} (0: unlimited) are taken,
     * the member's own included (its second publish is refused either way). The slot is freed by
     * {@link #releasePublisher} or when the member leaves.
     */
    public synchronized void reservePublisher(String room, Member member, int maxPublishers) {
        RoomEntry e = rooms.get(room);
        if (e != null) {
            checkPublishers(e, maxPublishers);
        }
        member.publishing = true;
    }

    /** Frees the publisher slot of a member whose publication failed to set up. */
    public synchronized void releasePublisher(Member member) {
        member.publishing = false;
    }

    private static void checkPublishers(RoomEntry e, int max) {
        if (max > 0 && publishersIn(e) >= max) {
            throw new SignalingException(403, "too_many_publishers",
                    "room '" + e.name + "' has its maximum of " + max + " publishers");
        }
    }

    private Member admit(String room, String identity, String kind, boolean publishing) {
        RoomEntry e = rooms.get(room);
        if (e == null) {
            checkRoomLimit();
            e = new RoomEntry(room, defaults, false, System.currentTimeMillis());
            rooms.put(room, e);
            RoomEntry started = e;
            listeners.forEach(l -> l.roomStarted(started));
        }
        int max = e.settings.maxParticipants();
        if (max > 0 && e.members.size() >= max) {
            throw new SignalingException(403, "room_full", "room '" + room + "' has its maximum of " + max
                    + " participants");
        }
        byte[] b = new byte[9];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(b);
        Member m = new Member(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b), identity, kind,
                System.currentTimeMillis());
        m.publishing = publishing;
        e.members.put(m.id, m);
        RoomEntry joined = e;
        listeners.forEach(l -> l.memberJoined(joined, m));
        return m;
    }

    private void checkRoomLimit() {
        if (maxRooms > 0 && rooms.size() >= maxRooms) {
            throw new SignalingException(429, "too_many_rooms", "the server hosts its maximum of " + maxRooms + " rooms");
        }
    }

    /** Forgets a member; the room becomes empty-since-now when it was the last. */
    public void remove(String room, String memberId) {
        RoomEntry e = rooms.get(room);
        Member m = e == null ? null : e.members.remove(memberId);
        if (m != null) {
            if (e.members.isEmpty()) {
                e.emptySinceMillis = System.currentTimeMillis();
            }
            listeners.forEach(l -> l.memberLeft(e, m));
        }
    }

    /** Whether {@code member} is still in {@code room} (not removed by an operator, a room delete or a drain). */
    public boolean isMember(String room, Member member) {
        RoomEntry e = rooms.get(room);
        return e != null && e.members.get(member.id) == member;
    }

    /** The member that owns a transport, or null. */
    public Member memberOfTransport(String room, String transportId) {
        RoomEntry e = rooms.get(room);
        if (e == null) {
            return null;
        }
        for (Member m : e.members.values()) {
            if (m.transports.contains(transportId)) {
                return m;
            }
        }
        return null;
    }

    /** Members of a room publishing now, or whose publication is being set up. */
    public int publishers(String room) {
        RoomEntry e = rooms.get(room);
        return e == null ? 0 : publishersIn(e);
    }

    private static int publishersIn(RoomEntry e) {
        int n = 0;
        for (Member m : e.members.values()) {
            n += m.publishing ? 1 : 0;
        }
        return n;
    }

    /** The members with this identity in a room (an identity may be connected more than once). */
    public List<Member> byIdentity(String room, String identity) {
        RoomEntry e = rooms.get(room);
        List<Member> out = new ArrayList<>();
        if (e != null) {
            for (Member m : e.members.values()) {
                if (m.identity.equals(identity)) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    /** New settings for a room (operators' PATCH); 404 as SignalingException when unknown. */
    public void update(String name, RoomSettings settings) {
        RoomEntry e = rooms.get(name);
        if (e == null) {
            throw new SignalingException(404, "room_not_found", "no room '" + name + "'");
        }
        e.settings = settings;
    }

    public void setMetadata(Member member, String metadata) {
        member.metadata = metadata;
    }

    /** Removes a room's entry (its members must have been closed by the caller). */
    public synchronized RoomEntry delete(String name) {
        RoomEntry e = rooms.remove(name);
        if (e != null) {
            listeners.forEach(l -> l.roomFinished(e));
        }
        return e;
    }

    /** Rooms empty for longer than their empty timeout; removed from the directory. */
    public synchronized List<RoomEntry> reapEmpty(long nowMillis) {
        List<RoomEntry> gone = new ArrayList<>();
        for (RoomEntry e : rooms.values()) {
            int timeout = e.settings.emptyTimeoutSeconds();
            if (e.members.isEmpty() && timeout > 0 && nowMillis - e.emptySinceMillis >= timeout * 1000L) {
                gone.add(e);
            }
        }
        for (RoomEntry e : gone) {
            if (rooms.remove(e.name, e)) {
                listeners.forEach(l -> l.roomFinished(e));
            }
        }
        return gone;
    }
}
