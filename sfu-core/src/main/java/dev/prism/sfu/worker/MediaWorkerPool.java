package dev.prism.sfu.worker;

import dev.prism.sfu.transport.TransportCounters;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The media workers of one server: {@code count} event loops on consecutive UDP ports from
 * {@code firstPort}, and the addresses their candidates advertise.
 */
public final class MediaWorkerPool implements AutoCloseable {
    private final List<MediaWorker> workers = new ArrayList<>();
    private final List<InetAddress> advertised;
    private final TransportCounters counters = new TransportCounters();

    /**
     * @param bindAddress  bind (and advertise) this address only; null binds all interfaces
     * @param publicAddress advertise this instead (1:1 NAT), or null
     */
    public MediaWorkerPool(int count, int firstPort, InetAddress bindAddress, InetAddress publicAddress)
            throws InterruptedException {
        if (count < 1) {
            throw new IllegalArgumentException("need at least one media worker");
        }
        try {
            for (int i = 0; i < count; i++) {
                workers.add(new MediaWorker(i, bindAddress, firstPort == 0 ? 0 : firstPort + i, counters));
            }
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
        if (publicAddress != null) {
            advertised = List.of(publicAddress);
        } else if (bindAddress != null && !bindAddress.isAnyLocalAddress()) {
            advertised = List.of(bindAddress);
        } else {
            advertised = interfaceAddresses();
        }
    }

    public List<MediaWorker> workers() {
        return Collections.unmodifiableList(workers);
    }

    public TransportCounters counters() {
        return counters;
    }

    public List<InetAddress> advertisedAddresses() {
        return advertised;
    }

    /** The host candidates of a transport on {@code worker}. */
    public List<InetSocketAddress> candidates(MediaWorker worker) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (InetAddress a : advertised) {
            out.add(new InetSocketAddress(a, worker.port()));
        }
        return out;
    }

    /** The worker with the fewest rooms; the caller adds the room to it. */
    public synchronized MediaWorker place() {
        MediaWorker best = next();
        best.addRoom(1);
        return best;
    }

    /** The worker {@link #place} would choose now. */
    public synchronized MediaWorker next() {
        MediaWorker best = workers.get(0);
        for (MediaWorker w : workers) {
            if (w.rooms() < best.rooms()) {
                best = w;
            }
        }
        return best;
    }

    public synchronized void release(MediaWorker worker) {
        worker.addRoom(-1);
    }

    /** Every up, non-loopback interface address (IPv4 first); loopback only when there is nothing else. */
    static List<InetAddress> interfaceAddresses() {
        List<InetAddress> v4 = new ArrayList<>();
        List<InetAddress> v6 = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp() || nif.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (a.isLinkLocalAddress() || a.isLoopbackAddress()) {
                        continue;
                    }
                    (a instanceof Inet6Address ? v6 : v4).add(a);
                }
            }
        } catch (SocketException e) {
            // fall through to loopback
        }
        v4.addAll(v6);
        if (v4.isEmpty()) {
            v4.add(InetAddress.getLoopbackAddress());
        }
        return List.copyOf(v4);
    }

    @Override
    public void close() {
        for (MediaWorker w : workers) {
            w.close();
        }
    }
}
