package dev.prism.dtls;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.Executor;

/**
 * CONTRACT STUB — replaced by the dtls work.
 *
 * One DTLS 1.2 association (RFC 6347) with use_srtp (RFC 5764), without sockets: datagrams
 * are pushed in with {@link #receive}, and datagrams to send come out through the listener.
 * The Bouncy Castle handshake blocks, so it runs on {@code handshakeExecutor} (virtual
 * threads); listener methods are called from that thread, never from the caller's.
 */
public final class DtlsTransport {
    public enum Role { CLIENT, SERVER }

    public interface Listener {
        /** A datagram to send to the peer; the listener takes ownership of (and releases) it. */
        void sendDatagram(ByteBuf datagram);

        void onHandshakeComplete(DtlsSrtpKeys keys);

        /** Handshake failed, timed out, or the peer's certificate does not match its fingerprint. */
        void onHandshakeFailed(String reason, Throwable cause);

        /** Application data after the handshake (for SCTP data channels later). */
        default void onApplicationData(byte[] data) {}

        default void onClosed() {}
    }

    /**
     * @param remoteFingerprint the peer's a=fingerprint value, e.g. "sha-256 AB:CD:..."
     * @param timeoutMillis the handshake must finish within this time
     */
    public DtlsTransport(DtlsCertificate certificate, Role role, String remoteFingerprint,
                         Listener listener, Executor handshakeExecutor, long timeoutMillis) {
        throw new UnsupportedOperationException("DTLS not built yet");
    }

    /** Starts the handshake (the client sends its ClientHello). */
    public void start() { throw new UnsupportedOperationException("DTLS not built yet"); }

    /** Feeds one received DTLS datagram; copies it, does not release it. Safe from any thread. */
    public void receive(ByteBuf datagram) { throw new UnsupportedOperationException("DTLS not built yet"); }

    public void close() { throw new UnsupportedOperationException("DTLS not built yet"); }
}
