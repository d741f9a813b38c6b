package dev.prism.sfu.transport;

import dev.prism.dtls.DtlsCertificate;
import dev.prism.dtls.DtlsSrtpKeys;
import dev.prism.dtls.DtlsTransport;
import dev.prism.ice.IceLiteAgent;
import dev.prism.srtp.SrtpContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One peer connection's secure transport on a media worker: ICE-lite, then DTLS, then SRTP in
 * both directions (DESIGN.md steps 2, 3 and 6). Everything but the DTLS handshake runs on the
 * worker's event loop; the handshake runs on a virtual thread and hands its keys back to the loop.
 */
public final class PeerTransport {
    private static final Logger LOG = Logger.getLogger(PeerTransport.class.getName());
    /**
     * A peer silent this long is gone: RFC 7675 §5.1's 30 s, counted from the later of its last valid
     * binding request and its last authenticated SRTP/SRTCP packet.
     */
    public static final long CONSENT_TIMEOUT_MILLIS = 30_000;
    /** Headroom for the SRTP(C) trailer: index word and the longest tag. */
    public static final int SRTP_OVERHEAD = 4 + 16;

    public enum State { NEW, CONNECTING, CONNECTED, CLOSED }

    private final String id;
    private final TransportHost host;
    private final IceLiteAgent ice;
    private final DtlsCertificate certificate;
    private final Executor handshakeExecutor;
    private final long dtlsTimeoutMillis;
    private DtlsTransport dtls;
    private boolean dtlsServer;
    private final TransportListener listener;
    private final TransportCounters counters;
    private final long createdMillis;
    private volatile InetSocketAddress remote;
    private State state = State.NEW;
    private long connectingSinceNanos;
    private SrtpContext inbound;
    private SrtpContext outbound;
    /**
     * When SRTP or SRTCP from the peer last passed authentication. As ICE-lite we send no consent
     * checks and only see the peer's; authenticated media proves as well that the peer is alive and
     * holds this session's keys (Pion's agent counts any traffic from the selected pair likewise), and
     * it keeps arriving when an overloaded receive queue drops the one check in five seconds.
     */
    private long lastAuthenticatedMillis;

    /** The parts of a media worker a transport uses. */
    public interface TransportHost {
        /** Sends a datagram (takes ownership); on the loop it is flushed at the end of the read batch. */
        void send(ByteBuf datagram, InetSocketAddress to);

        /**
         * As {@link #send(ByteBuf, InetSocketAddress)}, for a datagram caused by one that arrived at
         * {@code arrivalNanos} (System.nanoTime; 0: none) rather than by the one being handled: a
         * copy held back and sent later. A host that times nothing ignores it.
         */
        default void send(ByteBuf datagram, InetSocketAddress to, long arrivalNanos) {
            send(datagram, to);
        }

        /** When the datagram the loop is handling arrived (System.nanoTime), or 0 (none, or not timed). Loop thread. */
        default long handlingArrivalNanos() {
            return 0;
        }

        /**
         * How many whole milliseconds ago the datagram the loop is handling arrived: what it waited
         * in the socket's queue behind others, and has been handled since. 0 when not timed. Loop thread.
         */
        default long handlingAgeMillis() {
            long arrival = handlingArrivalNanos();
            return arrival == 0 ? 0 : Math.max(0, (System.nanoTime() - arrival) / 1_000_000);
        }

        /** Runs {@code task} on the transport's event loop. */
        void execute(Runnable task);

        /** Called once ICE learnt (or changed) the peer's address, so RTP/DTLS from it is routed here. */
        void bindAddress(PeerTransport transport, InetSocketAddress address);

        ByteBufAllocator alloc();

        long nowMillis();
    }

    /**
     * @param remoteInfo the peer's parameters, or null when Prism offers first and learns them
     *                   from the answer ({@link #setRemote})
     */
    public PeerTransport(String id, String localUfrag, String localPwd, RemoteTransportInfo remoteInfo,
                         DtlsCertificate certificate, TransportHost host, TransportListener listener,
                         TransportCounters counters, Executor handshakeExecutor, long dtlsTimeoutMillis) {
        this.id = id;
        this.host = host;
        this.listener = listener;
        this.counters = counters;
        this.certificate = certificate;
        this.handshakeExecutor = handshakeExecutor;
        this.dtlsTimeoutMillis = dtlsTimeoutMillis;
        this.createdMillis = host.nowMillis();
        // ICE-lite answers checks with the local password only; the remote ufrag, when known,
        // is checked in USERNAME.
        this.ice = new IceLiteAgent(localUfrag, localPwd, remoteInfo == null ? null : remoteInfo.iceUfrag(),
                remoteInfo == null ? null : remoteInfo.icePwd());
        if (remoteInfo != null) {
            setRemote(remoteInfo);
        }
    }

    /** The peer's fingerprint and DTLS role, from its SDP; once only. Loop thread. */
    public void setRemote(RemoteTransportInfo remoteInfo) {
        if (dtls != null) {
            throw new IllegalStateException("transport " + id + " already has its remote parameters");
        }
        dtlsServer = remoteInfo.dtlsClient();
        DtlsTransport.Role role = dtlsServer ? DtlsTransport.Role.SERVER : DtlsTransport.Role.CLIENT;
        dtls = new DtlsTransport(certificate, role, remoteInfo.fingerprint(), new DtlsEvents(),
                handshakeExecutor, dtlsTimeoutMillis);
        if (state == State.NEW && remote != null) {
            beginConnecting();
            dtls.start();
        }
    }

    public String id() {
        return id;
    }

    public String localUfrag() {
        return ice.localUfrag();
    }

    public ByteBufAllocator alloc() {
        return host.alloc();
    }

    public State state() {
        return state;
    }

    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /** A STUN datagram whose USERNAME names this transport. Loop thread. */
    public void onStun(ByteBuf datagram, InetSocketAddress from) {
        if (state == State.CLOSED) {
            return;
        }
        ByteBuf response = host.alloc().buffer(128);
        int result = ice.handleBindingRequest(datagram, from, response, host.nowMillis());
        if (result < 0) {
            response.release();
            if (result == IceLiteAgent.DROPPED_BAD_CREDENTIALS) {
                counters.stunBadCredentials.increment();
            } else {
                counters.stunMalformed.increment();
            }
            return;
        }
        host.send(response, from);
        InetSocketAddress selected = ice.selectedAddress();
        if (selected != null && !selected.equals(remote)) {
            remote = selected;
            host.bindAddress(this, selected);
        }
        if (state == State.NEW && dtls != null) {
            // The peer's address is known now: start DTLS (as server it waits for the ClientHello).
            beginConnecting();
            dtls.start();
        }
    }

    /** A DTLS record from the peer's address. Loop thread. */
    public void onDtls(ByteBuf datagram) {
        if (state != State.CLOSED && dtls != null) {
            dtls.receive(datagram);
        }
    }

    /** An SRTP packet from the peer's address: unprotect in place and hand it to the room. */
    public void onSrtp(ByteBuf datagram) {
        SrtpContext in = inbound;
        if (in == null) {
            counters.mediaBeforeKeys.increment();
            return;
        }
        int result = in.unprotectRtp(datagram);
        if (result != SrtpContext.OK) {
            countSrtpError(result);
            return;
        }
        lastAuthenticatedMillis = host.nowMillis();
        listener.onRtp(this, datagram);
    }

    public void onSrtcp(ByteBuf datagram) {
        SrtpContext in = inbound;
        if (in == null) {
            counters.mediaBeforeKeys.increment();
            return;
        }
        int result = in.unprotectRtcp(datagram);
        if (result != SrtpContext.OK) {
            countSrtpError(result);
            return;
        }
        lastAuthenticatedMillis = host.nowMillis();
        listener.onRtcp(this, datagram);
    }

    private void countSrtpError(int result) {
        switch (result) {
            case SrtpContext.ERR_AUTH -> counters.srtpAuthFailures.increment();
            case SrtpContext.ERR_REPLAY -> counters.srtpReplays.increment();
            default -> counters.srtpMalformed.increment();
        }
    }

    /**
     * Protects and sends an RTP packet (takes ownership). The buffer needs {@link #SRTP_OVERHEAD}
     * bytes of writable room. Returns false when the transport cannot send yet. Loop thread.
     */
    /**
     * Reads what sending an RTP packet of {@code ssrc} reads: the state, the SRTP context's stream
     * and keys ({@link SrtpContext#prefetchRtp}), the peer's address (see DownTrack.prefetch in
     * the room package). Loop thread.
     */
    public int prefetchSend(int ssrc) {
        SrtpContext out = outbound;
        InetSocketAddress to = remote;
        if (out == null || to == null) {
            return 0;
        }
        return state.ordinal() ^ out.prefetchRtp(ssrc) ^ to.getPort() ^ to.getAddress().hashCode();
    }

    public boolean sendRtp(ByteBuf packet) {
        return send(packet, false, host.handlingArrivalNanos());
    }

    /**
     * As {@link #sendRtp(ByteBuf)}, for a packet caused by a datagram that arrived at
     * {@code arrivalNanos} ({@link #handlingArrivalNanos()} then; 0: none) and held back since.
     */
    public boolean sendRtp(ByteBuf packet, long arrivalNanos) {
        return send(packet, false, arrivalNanos);
    }

    /** Protects and sends a compound RTCP packet (takes ownership). Loop thread. */
    public boolean sendRtcp(ByteBuf packet) {
        return send(packet, true, host.handlingArrivalNanos());
    }

    /** When the datagram the worker's loop is handling arrived (System.nanoTime), or 0. Loop thread. */
    public long handlingArrivalNanos() {
        return host.handlingArrivalNanos();
    }

    /** How many whole milliseconds ago the datagram being handled arrived, or 0. Loop thread. */
    public long handlingAgeMillis() {
        return host.handlingAgeMillis();
    }

    private boolean send(ByteBuf packet, boolean rtcp, long arrivalNanos) {
        SrtpContext out = outbound;
        InetSocketAddress to = remote;
        if (out == null || to == null || state != State.CONNECTED) {
            packet.release();
            return false;
        }
        int result = rtcp ? out.protectRtcp(packet) : out.protectRtp(packet);
        if (result != SrtpContext.OK) {
            counters.srtpSendRefused.increment();
            packet.release();
            return false;
        }
        host.send(packet, to, arrivalNanos);
        return true;
    }

    /** Consent freshness and connection deadline; called by the worker's periodic check. */
    public void checkTimers(long nowMillis) {
        if (state == State.CLOSED) {
            return;
        }
        long last = Math.max(ice.lastConsentMillis(), lastAuthenticatedMillis);
        long reference = last > 0 ? last : createdMillis;
        if (nowMillis - reference > CONSENT_TIMEOUT_MILLIS) {
            counters.consentExpired.increment();
            String reason = last > 0
                    ? "ICE consent expired (RFC 7675: no valid binding request and no authenticated SRTP/SRTCP for 30 s)"
                    : "no ICE connectivity check within 30 s";
            // An operator sees why a peer's media stopped (a publisher's close ends its tracks for every viewer).
            LOG.warning(() -> "transport " + id + ": " + reason);
            close(reason);
        }
    }

    public boolean isConnected() {
        return state == State.CONNECTED;
    }

    /** Closes the transport and tells the listener once. Loop thread. */
    public void close(String reason) {
        if (state == State.CLOSED) {
            return;
        }
        if (state == State.CONNECTING) {
            counters.handshakesInProgress.decrementAndGet();
        }
        state = State.CLOSED;
        inbound = null;
        outbound = null;
        if (dtls != null) {
            dtls.close();
        }
        listener.onClosed(this, reason);
    }

    /**
     * Connects with SRTP keys agreed elsewhere, without ICE or DTLS, to {@code peer}: for
     * benchmarks and tests of the media path alone (ForwardingBenchmark). Nothing on the network
     * reaches it; a transport that has its peer's DTLS parameters refuses. Loop thread.
     */
    public void connectWithoutHandshake(DtlsSrtpKeys keys, boolean asDtlsServer, InetSocketAddress peer) {
        if (dtls != null || state != State.NEW) {
            throw new IllegalStateException("transport " + id + " negotiates DTLS or is already " + state);
        }
        remote = peer;
        dtlsServer = asDtlsServer;
        beginConnecting();
        onKeys(keys);
    }

    /** NEW to CONNECTING: the handshake clock starts and counts as in progress until keys or close. */
    private void beginConnecting() {
        state = State.CONNECTING;
        connectingSinceNanos = System.nanoTime();
        counters.handshakesInProgress.incrementAndGet();
    }

    private void onKeys(DtlsSrtpKeys keys) {
        if (state == State.CLOSED) {
            return;
        }
        boolean server = dtlsServer;
        // RFC 5764 §4.2: the client's key protects what the client sends.
        byte[] inKey = server ? keys.clientKey() : keys.serverKey();
        byte[] inSalt = server ? keys.clientSalt() : keys.serverSalt();
        byte[] outKey = server ? keys.serverKey() : keys.clientKey();
        byte[] outSalt = server ? keys.serverSalt() : keys.clientSalt();
        inbound = SrtpContext.create(keys.profile(), inKey, inSalt);
        outbound = SrtpContext.create(keys.profile(), outKey, outSalt);
        state = State.CONNECTED;
        counters.handshakesInProgress.decrementAndGet();
        counters.dtlsHandshakes.increment();
        counters.dtlsHandshakeNanos.add(System.nanoTime() - connectingSinceNanos);
        LOG.fine(() -> "transport " + id + " connected with " + keys.profile());
        listener.onConnected(this);
    }

    /** DTLS events arrive on the handshake thread; state changes go back to the loop. */
    private final class DtlsEvents implements DtlsTransport.Listener {
        @Override
        public void sendDatagram(ByteBuf datagram) {
            InetSocketAddress to = remote;
            if (to == null) {
                datagram.release();
                return;
            }
            host.send(datagram, to);
        }

        @Override
        public void onHandshakeComplete(DtlsSrtpKeys keys) {
            host.execute(() -> onKeys(keys));
        }

        @Override
        public void onHandshakeFailed(String reason, Throwable cause) {
            counters.dtlsFailures.increment();
            LOG.log(Level.WARNING, "transport " + id + ": DTLS failed: " + reason, cause);
            host.execute(() -> close("DTLS handshake failed: " + reason));
        }
    }
}
