package dev.prism.sfu.transport;

import io.netty.buffer.ByteBuf;

/** A {@link TransportListener} for tests that ignores every event; override what a test watches. */
public class IgnoringListener implements TransportListener {
    @Override
    public void onRtp(PeerTransport transport, ByteBuf packet) {}

    @Override
    public void onRtcp(PeerTransport transport, ByteBuf packet) {}

    @Override
    public void onConnected(PeerTransport transport) {}

    @Override
    public void onClosed(PeerTransport transport, String reason) {}
}
