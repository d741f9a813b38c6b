package dev.prism.dtls;

import java.io.IOException;
import java.util.Hashtable;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;

/** The DTLS 1.2 client side of DTLS-SRTP, used when the peer is passive (and by tests and relays). */
final class SrtpDtlsClient extends DefaultTlsClient {
    private final JcaTlsCrypto crypto;
    private final DtlsCertificate certificate;
    private final String remoteFingerprint;
    private final int timeoutMillis;
    private final int[] offeredProfiles;
    private int chosenProfile = -1;
    private DtlsSrtpKeys keys;
    private String failure;

    SrtpDtlsClient(JcaTlsCrypto crypto, DtlsCertificate certificate, String remoteFingerprint, int timeoutMillis,
                   int[] offeredProfiles) {
        super(crypto);
        this.crypto = crypto;
        this.certificate = certificate;
        this.remoteFingerprint = remoteFingerprint;
        this.timeoutMillis = timeoutMillis;
        this.offeredProfiles = offeredProfiles.clone();
    }

    DtlsSrtpKeys keys() {
        return keys;
    }

    String failure() {
        return failure;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(crypto, SrtpDtlsServer.CIPHER_SUITES);
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return timeoutMillis;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(offeredProfiles, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        UseSRTPData chosen = serverExtensions == null ? null : TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        if (chosen == null || chosen.getProtectionProfiles().length != 1
                || SrtpProfiles.choose(chosen.getProtectionProfiles()) < 0
                || !contains(offeredProfiles, chosen.getProtectionProfiles()[0])) {
            failure = "the server did not select one of our SRTP profiles";
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, failure);
        }
        chosenProfile = chosen.getProtectionProfiles()[0];
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                try {
                    DtlsSrtpPeer.checkFingerprint(serverCertificate.getCertificate(), remoteFingerprint);
                } catch (TlsFatalAlert e) {
                    failure = e.getMessage();
                    throw e;
                }
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                return new JcaDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                        certificate.privateKey(), certificate.tlsCertificate(crypto),
                        SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        keys = DtlsSrtpPeer.export(context, chosenProfile);
    }
}
