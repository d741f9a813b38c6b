package dev.prism.sfu.worker;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 peer's socket address as one number, {@code ipv4 << 16 | port}: what the media loop
 * reads from the kernel's {@code sockaddr} and finds transports by, without an address object per
 * datagram; -1 stands for an IPv6 peer, which keeps its {@link InetSocketAddress}.
 */
final class PeerKey {
    /** Whether {@code Inet4Address.hashCode()} is its address, as it has been in every JDK: read without a copy. */
    private static final boolean HASH_IS_IPV4_ADDRESS = hashIsIpv4Address();

    private PeerKey() {
    }

    /** {@code address}'s key, or -1 for an IPv6 address. No allocation. */
    static long of(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        return ip instanceof Inet4Address ? (ipv4(ip) & 0xFFFFFFFFL) << 16 | address.getPort() : -1;
    }

    /** The address {@code key} names (allocates: for STUN and logs, not per media packet). */
    static InetSocketAddress address(long key) {
        int ip = (int) (key >>> 16);
        byte[] a = {(byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8), (byte) ip};
        try {
            return new InetSocketAddress(InetAddress.getByAddress(a), (int) (key & 0xFFFF));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 4 bytes are always an address
        }
    }

    /** An IPv4 address as an int, most significant byte first (its network order). */
    static int ipv4(InetAddress address) {
        if (HASH_IS_IPV4_ADDRESS) {
            return address.hashCode();
        }
        byte[] a = address.getAddress();
        return (a[0] & 0xFF) << 24 | (a[1] & 0xFF) << 16 | (a[2] & 0xFF) << 8 | (a[3] & 0xFF);
    }

    private static boolean hashIsIpv4Address() {
        int[] samples = {0x7F000001, 0xC0A801C8, 0x0A00FF07, 0xFFFFFFFF, 0};
        try {
            for (int s : samples) {
                byte[] a = {(byte) (s >>> 24), (byte) (s >>> 16), (byte) (s >>> 8), (byte) s};
                if (InetAddress.getByAddress(a).hashCode() != s) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
