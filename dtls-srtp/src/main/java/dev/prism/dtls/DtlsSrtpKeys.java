package dev.prism.dtls;

import dev.prism.srtp.SrtpProfile;

/**
 * SRTP master keys exported from a DTLS handshake (RFC 5764 §4.2). The client's key
 * protects what the DTLS client sends; the server's what the server sends.
 */
public record DtlsSrtpKeys(SrtpProfile profile, byte[] clientKey, byte[] clientSalt,
                           byte[] serverKey, byte[] serverSalt) {
}
