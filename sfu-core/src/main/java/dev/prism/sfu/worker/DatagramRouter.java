package dev.prism.sfu.worker;

import dev.prism.demux.PacketClassifier;
import dev.prism.ice.IceLiteAgent;
import dev.prism.sfu.transport.PeerTransport;
import dev.prism.sfu.transport.TransportCounters;
import io.netty.buffer.ByteBuf;
import io.netty.util.collection.LongObjectHashMap;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * The transports of one media worker and which datagram goes to which (DESIGN.md step 1):
 * demultiplexed by the first byte (RFC 7983), STUN by the USERNAME's local ufrag, everything else
 * by the peer's address that ICE validated. An IPv4 peer is found by its address as a number
 * ({@link PeerKey}), so a datagram read without an address object needs none. Unknown or
 * malformed input is dropped and counted, never thrown. Loop thread.
 */
final class DatagramRouter {
    private final TransportCounters counters;
    private final Map<String, PeerTransport> byUfrag = new HashMap<>();
    private final Map<InetSocketAddress, PeerTransport> byAddress = new HashMap<>();
    /** The IPv4 peers of {@link #byAddress} by {@link PeerKey}. */
    private final LongObjectHashMap<PeerTransport> byIpv4 = new LongObjectHashMap<>();

    DatagramRouter(TransportCounters counters) {
        this.counters = counters;
    }

    /** Makes a transport reachable by its local ufrag. */
    void register(PeerTransport transport) {
        byUfrag.put(transport.localUfrag(), transport);
    }

    /** Forgets a transport. */
    void unregister(PeerTransport transport) {
        byUfrag.remove(transport.localUfrag(), transport);
        InetSocketAddress address = transport.remoteAddress();
        if (address != null) {
            byAddress.remove(address, transport);
            long key = PeerKey.of(address);
            if (key >= 0 && byIpv4.get(key) == transport) {
                byIpv4.remove(key);
            }
        }
    }

    /** The transport's peer is now at {@code address} (ICE nominated it), and only there. */
    void bindAddress(PeerTransport transport, InetSocketAddress address) {
        byAddress.values().removeIf(t -> t == transport);
        byIpv4.values().removeIf(t -> t == transport);
        byAddress.put(address, transport);
        long key = PeerKey.of(address);
        if (key >= 0) {
            byIpv4.put(key, transport);
        }
    }

    /** The transports registered now (a copy: a transport may close while the caller iterates). */
    PeerTransport[] transports() {
        return byUfrag.values().toArray(new PeerTransport[0]);
    }

    /**
     * Hands a datagram to its transport: STUN by the USERNAME's local ufrag, the rest by the peer's
     * address, {@code key} ({@link PeerKey}) for an IPv4 peer, else {@code from} (which may be null
     * for an IPv4 peer: it is made only for STUN). Loop thread.
     */
    void route(ByteBuf data, long key, InetSocketAddress from) {
        switch (PacketClassifier.classify(data)) {
            case PacketClassifier.STUN -> {
                String ufrag = IceLiteAgent.localUfragOf(data);
                if (ufrag == null) {
                    counters.stunMalformed.increment();
                    return;
                }
                PeerTransport t = byUfrag.get(ufrag);
                if (t == null) {
                    counters.stunUnknownUfrag.increment();
                    return;
                }
                t.onStun(data, from != null ? from : PeerKey.address(key));
            }
            case PacketClassifier.DTLS -> {
                PeerTransport t = peer(key, from);
                if (t != null) {
                    t.onDtls(data);
                }
            }
            case PacketClassifier.RTP -> {
                PeerTransport t = peer(key, from);
                if (t != null) {
                    t.onSrtp(data);
                }
            }
            case PacketClassifier.RTCP -> {
                PeerTransport t = peer(key, from);
                if (t != null) {
                    t.onSrtcp(data);
                }
            }
            default -> counters.otherDatagrams.increment();
        }
    }

    /** The transport of the peer at {@code key} (IPv4) or {@code from}; null, counted, when none is. */
    private PeerTransport peer(long key, InetSocketAddress from) {
        PeerTransport t = key >= 0 ? byIpv4.get(key) : byAddress.get(from);
        if (t == null) {
            counters.unknownSource.increment();
        }
        return t;
    }
}
