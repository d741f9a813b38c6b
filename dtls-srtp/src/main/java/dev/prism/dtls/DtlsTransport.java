package dev.prism.dtls;

import dev.prism.srtp.SrtpProfile;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * One DTLS 1.2 association (RFC 6347) with use_srtp (RFC 5764), without sockets: datagrams
 * are pushed in with {@link #receive}, and datagrams to send come out through the listener.
 * The Bouncy Castle handshake blocks, so it runs on {@code handshakeExecutor} (virtual
 * threads); listener methods are called from that thread, never from the caller's. After the
 * handshake the same thread keeps reading application data (for SCTP data channels later)
 * until {@link #close}.
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

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final JcaTlsCrypto CRYPTO = new JcaTlsCryptoProvider().create(RANDOM);

    private final DtlsCertificate certificate;
    private final Role role;
    private final String remoteFingerprint;
    private final Listener listener;
    private final Executor executor;
    private final int timeoutMillis;
    private final QueueDatagramTransport transport;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private int[] offeredProfiles = SrtpProfiles.PREFERENCE;
    private volatile DTLSTransport association;

    /**
     * @param remoteFingerprint the peer's a=fingerprint value, e.g. "sha-256 AB:CD:..."
     * @param timeoutMillis the handshake must finish within this time
     */
    public DtlsTransport(DtlsCertificate certificate, Role role, String remoteFingerprint,
                         Listener listener, Executor handshakeExecutor, long timeoutMillis) {
        this.certificate = certificate;
        this.role = role;
        this.remoteFingerprint = remoteFingerprint;
        this.listener = listener;
        this.executor = handshakeExecutor;
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeoutMillis);
        this.transport = new QueueDatagramTransport(listener);
    }

    /**
     * The SRTP profiles a CLIENT offers, in preference order (default: every one Prism supports,
     * GCM first). The load tool offers only AES-128 ones, so every server it measures encrypts with
     * the same cipher. Call before start.
     */
    public void offerProfiles(SrtpProfile... profiles) {
        if (profiles.length == 0) {
            throw new IllegalArgumentException("offer at least one SRTP profile");
        }
        int[] ids = new int[profiles.length];
        for (int i = 0; i < profiles.length; i++) {
            ids[i] = profiles[i].id();
        }
        this.offeredProfiles = ids;
    }

    /** Starts the handshake (the client sends its ClientHello; the server waits for it). Once only. */
    public void start() {
        if (!started.compareAndSet(false, true) || closed.get()) {
            return;
        }
        try {
            executor.execute(this::run);
        } catch (RejectedExecutionException e) {
            fail("handshake executor refused the task", e);
        }
    }

    /** Feeds one received DTLS datagram; copies it, does not release it. Safe from any thread. */
    public void receive(ByteBuf datagram) {
        int n = datagram.readableBytes();
        if (n == 0 || n > 1500 || closed.get()) {
            return;
        }
        byte[] copy = new byte[n];
        datagram.getBytes(datagram.readerIndex(), copy);
        transport.offer(copy);
    }

    /** Ends the association (close_notify when established) and calls onClosed once. Any thread. */
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        DTLSTransport a = association;
        if (a != null) {
            try {
                a.close();
            } catch (IOException | RuntimeException e) {
                // the peer may be gone already
            }
        }
        transport.close();
        listener.onClosed();
    }

    public boolean isClosed() {
        return closed.get();
    }

    private void run() {
        DTLSTransport established;
        DtlsSrtpKeys keys;
        SrtpDtlsServer server = null;
        SrtpDtlsClient client = null;
        try {
            if (role == Role.SERVER) {
                server = new SrtpDtlsServer(CRYPTO, certificate, remoteFingerprint, timeoutMillis);
                DTLSServerProtocol protocol = new DTLSServerProtocol();
                // ICE already proved the peer's address, so the cookie round trip adds nothing.
                protocol.setVerifyRequests(false);
                established = protocol.accept(server, transport);
                keys = server.keys();
            } else {
                client = new SrtpDtlsClient(CRYPTO, certificate, remoteFingerprint, timeoutMillis, offeredProfiles);
                established = new DTLSClientProtocol().connect(client, transport);
                keys = client.keys();
            }
        } catch (IOException | RuntimeException e) {
            String ours = server != null ? server.failure() : client != null ? client.failure() : null;
            fail(reason(ours, e), e);
            return;
        }
        association = established;
        if (closed.get()) {
            try {
                established.close();
            } catch (IOException e) {
                // closing anyway
            }
            return;
        }
        listener.onHandshakeComplete(keys);
        readApplicationData(established);
    }

    /**
     * How long the reader of an established association waits for a record. Closing wakes it at
     * once (the queue gets a marker), so this only sets how often an idle reader wakes: at 1 s,
     * 300 viewers' readers took ~2 % of the server's core in timed wake-ups alone.
     */
    static final int IDLE_READ_WAIT_MILLIS = 60_000;

    private void readApplicationData(DTLSTransport established) {
        byte[] buffer = new byte[1500];
        while (!closed.get()) {
            try {
                int n = established.receive(buffer, 0, buffer.length, IDLE_READ_WAIT_MILLIS);
                if (n > 0) {
                    byte[] data = new byte[n];
                    System.arraycopy(buffer, 0, data, 0, n);
                    listener.onApplicationData(data);
                }
            } catch (IOException | RuntimeException e) {
                if (!closed.get()) {
                    // close_notify from the peer, or the transport closed under us
                    close();
                }
                return;
            }
        }
    }

    private static String reason(String ours, Throwable e) {
        if (ours != null) {
            return ours;
        }
        if (e instanceof TlsFatalAlertReceived r) {
            return "peer sent alert " + r.getAlertDescription() + (r.getMessage() == null ? "" : ": " + r.getMessage());
        }
        if (e instanceof TlsFatalAlert a) {
            return a.getMessage() != null ? a.getMessage() : "fatal alert " + a.getAlertDescription();
        }
        String m = e.getMessage();
        if (m != null && m.toLowerCase(java.util.Locale.ROOT).contains("timed out") || e instanceof java.net.SocketTimeoutException) {
            return "timeout: handshake not done in time (" + m + ")";
        }
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private void fail(String reason, Throwable cause) {
        if (closed.get()) {
            return;
        }
        listener.onHandshakeFailed(reason, cause);
        close();
    }
}
