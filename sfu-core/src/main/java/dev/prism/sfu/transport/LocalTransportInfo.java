package dev.prism.sfu.transport;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * What signaling puts in the SDP for one transport: ICE credentials, the DTLS certificate
 * fingerprint ("sha-256 AB:CD:..") and the host candidates (the worker's port on every
 * advertised address).
 */
public record LocalTransportInfo(String transportId, String iceUfrag, String icePwd, String fingerprint,
                                 List<InetSocketAddress> candidates) {
    public LocalTransportInfo {
        candidates = List.copyOf(candidates);
    }
}
