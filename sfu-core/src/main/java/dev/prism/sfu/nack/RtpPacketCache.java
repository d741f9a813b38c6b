package dev.prism.sfu.nack;

import io.netty.buffer.ByteBuf;

/**
 * The recent packets of one published RTP stream, stored once for every subscriber's NACKs:
 * a preallocated ring indexed by sequence number (capacity a power of two that divides 2^16,
 * so a 16-bit sequence number maps to one slot on every cycle).
 *
 * <p><b>Ownership.</b> {@link #put} takes its own reference with {@code retain()} (zero copy);
 * the caller keeps and releases its own reference as usual. The caller must not modify the
 * buffer's bytes or indices after handing it in: subscribers copy it before rewriting. The
 * cache releases its reference when the slot is reused, when the packet is found too old, and
 * in {@link #release()}. {@link #get} returns the cached buffer <i>without</i> retaining it:
 * it is valid only until the next call on this cache (all calls come from the room's event
 * loop), so the caller copies or retains it at once.
 *
 * <p>Each slot also counts retransmissions for {@link #tryRetransmit}: at most
 * {@code maxResendsPerWindow} per {@code resendWindowMillis}, and {@code maxResends} in all.
 */
public final class RtpPacketCache {
    private static final int EMPTY = -1;

    private final int mask;
    private final long maxAgeMillis;
    private final int maxResends;
    private final int maxResendsPerWindow;
    private final long resendWindowMillis;

    private final ByteBuf[] packets;
    private final int[] seqs;
    private final long[] arrivedAt;
    private final int[] resends;
    private final int[] windowResends;
    private final long[] windowStart;
    private int size;
    private boolean released;

    /**
     * @param capacity            slots; a power of two between 16 and 32768 (e.g. 1024 ≈ 1 s of 8 Mbit/s video)
     * @param maxAgeMillis        packets older than this are not handed out
     * @param maxResends          most retransmissions of one packet in all
     * @param maxResendsPerWindow most retransmissions of one packet within one window
     * @param resendWindowMillis  length of that window
     */
    public RtpPacketCache(int capacity, long maxAgeMillis, int maxResends, int maxResendsPerWindow,
                          long resendWindowMillis) {
        if (capacity < 16 || capacity > 32768 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two in [16, 32768]: " + capacity);
        }
        if (maxAgeMillis < 1 || maxResends < 0 || maxResendsPerWindow < 1 || resendWindowMillis < 1) {
            throw new IllegalArgumentException("invalid cache limits");
        }
        this.mask = capacity - 1;
        this.maxAgeMillis = maxAgeMillis;
        this.maxResends = maxResends;
        this.maxResendsPerWindow = maxResendsPerWindow;
        this.resendWindowMillis = resendWindowMillis;
        packets = new ByteBuf[capacity];
        seqs = new int[capacity];
        arrivedAt = new long[capacity];
        resends = new int[capacity];
        windowResends = new int[capacity];
        windowStart = new long[capacity];
        java.util.Arrays.fill(seqs, EMPTY);
    }

    /** 1024 slots, 2 s of age, at most 3 resends per 100 ms and 10 in all. */
    public RtpPacketCache() {
        this(1024, 2000, 10, 3, 100);
    }

    /**
     * Stores the packet under its sequence number, taking a reference, and releases whatever
     * older packet occupied the slot. A second packet with a sequence number already cached
     * is ignored (returns false) so a retransmitted copy never replaces the original.
     */
    public boolean put(ByteBuf packet, int seq, long nowMillis) {
        if (released) {
            throw new IllegalStateException("cache released");
        }
        seq &= 0xFFFF;
        int slot = seq & mask;
        if (seqs[slot] == seq && packets[slot] != null && nowMillis - arrivedAt[slot] <= maxAgeMillis) {
            return false;
        }
        evict(slot);
        packets[slot] = packet.retain();
        seqs[slot] = seq;
        arrivedAt[slot] = nowMillis;
        resends[slot] = 0;
        windowResends[slot] = 0;
        size++;
        return true;
    }

    /** The cached packet with this sequence number, or null; not retained (see class note). */
    public ByteBuf get(int seq) {
        int slot = seq & mask;
        return seqs[slot] == (seq & 0xFFFF) ? packets[slot] : null;
    }

    /** Like {@link #get(int)}, but null (and the slot freed) when the packet is older than the age limit. */
    public ByteBuf get(int seq, long nowMillis) {
        int slot = seq & mask;
        if (seqs[slot] != (seq & 0xFFFF)) {
            return null;
        }
        if (nowMillis - arrivedAt[slot] > maxAgeMillis) {
            evict(slot);
            return null;
        }
        return packets[slot];
    }

    /** Arrival time of the cached packet, or -1 if it is not cached. */
    public long arrivalMillis(int seq) {
        int slot = seq & mask;
        return seqs[slot] == (seq & 0xFFFF) ? arrivedAt[slot] : -1;
    }

    /**
     * Looks the packet up for a retransmission and charges it against the per-packet caps.
     * Returns the buffer (not retained) or null when absent, too old, or resent too often.
     */
    public ByteBuf tryRetransmit(int seq, long nowMillis) {
        ByteBuf packet = get(seq, nowMillis);
        if (packet == null) {
            return null;
        }
        int slot = seq & mask;
        if (resends[slot] >= maxResends) {
            return null;
        }
        if (windowResends[slot] == 0 || nowMillis - windowStart[slot] >= resendWindowMillis) {
            windowStart[slot] = nowMillis;
            windowResends[slot] = 0;
        }
        if (windowResends[slot] >= maxResendsPerWindow) {
            return null;
        }
        windowResends[slot]++;
        resends[slot]++;
        return packet;
    }

    /** How often the cached packet was handed out by {@link #tryRetransmit}; 0 if not cached. */
    public int retransmissions(int seq) {
        int slot = seq & mask;
        return seqs[slot] == (seq & 0xFFFF) ? resends[slot] : 0;
    }

    public int capacity() {
        return mask + 1;
    }

    /** Number of packets currently holding a reference. */
    public int size() {
        return size;
    }

    /** Releases every cached packet; the cache cannot be used afterwards. Idempotent. */
    public void release() {
        for (int slot = 0; slot <= mask; slot++) {
            evict(slot);
        }
        released = true;
    }

    private void evict(int slot) {
        ByteBuf old = packets[slot];
        if (old != null) {
            packets[slot] = null;
            seqs[slot] = EMPTY;
            size--;
            old.release();
        }
    }
}
