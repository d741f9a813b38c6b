package dev.prism.dtls;

import dev.prism.srtp.SrtpProfile;
import java.io.IOException;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsFatalAlert;

/** What the DTLS server and client share: the fingerprint check and the RFC 5764 key export. */
final class DtlsSrtpPeer {
    private DtlsSrtpPeer() {}

    /** The peer's leaf certificate must match the a=fingerprint of its SDP (RFC 8122 §5, RFC 8827 §6.5). */
    static void checkFingerprint(Certificate peer, String expected) throws IOException {
        if (peer == null || peer.isEmpty()) {
            throw new TlsFatalAlert(AlertDescription.certificate_required, "peer sent no certificate");
        }
        if (!DtlsCertificate.matches(expected, peer.getCertificateAt(0).getEncoded())) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate,
                    "fingerprint mismatch: the peer's certificate does not match its SDP a=fingerprint");
        }
    }

    /** RFC 5764 §4.2: client key, server key, client salt, server salt from the exporter. */
    static DtlsSrtpKeys export(TlsContext context, int profileId) {
        SrtpProfile profile = SrtpProfiles.toProfile(profileId);
        int k = profile.keyLength();
        int s = profile.saltLength();
        byte[] material = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, 2 * (k + s));
        byte[] clientKey = new byte[k];
        byte[] serverKey = new byte[k];
        byte[] clientSalt = new byte[s];
        byte[] serverSalt = new byte[s];
        System.arraycopy(material, 0, clientKey, 0, k);
        System.arraycopy(material, k, serverKey, 0, k);
        System.arraycopy(material, 2 * k, clientSalt, 0, s);
        System.arraycopy(material, 2 * k + s, serverSalt, 0, s);
        return new DtlsSrtpKeys(profile, clientKey, clientSalt, serverKey, serverSalt);
    }
}
