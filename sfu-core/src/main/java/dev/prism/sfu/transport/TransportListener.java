package dev.prism.sfu.transport;

import io.netty.buffer.ByteBuf;

/** What a {@link PeerTransport} reports to its room. Called on the room's event loop only. */
public interface TransportListener {
    /** A decrypted RTP packet; the listener must not keep {@code packet} after returning. */
    void onRtp(PeerTransport transport, ByteBuf packet);

    /** A decrypted compound RTCP packet; not kept after returning. */
    void onRtcp(PeerTransport transport, ByteBuf packet);

    /** ICE and DTLS are done, SRTP keys installed: media may flow. */
    void onConnected(PeerTransport transport);

    /** The transport is gone (consent expired, DTLS failed or timed out, closed by the room). */
    void onClosed(PeerTransport transport, String reason);
}
