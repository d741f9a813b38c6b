package dev.prism.dtls;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;

/**
 * A self-signed ECDSA P-256 certificate and key for DTLS, made once at start-up (WebRTC
 * checks the certificate against the SDP fingerprint, never against a CA).
 */
public final class DtlsCertificate {
    private final PrivateKey privateKey;
    private final byte[] der;
    private final String sha256Fingerprint;

    private DtlsCertificate(PrivateKey privateKey, byte[] der) {
        this.privateKey = privateKey;
        this.der = der;
        this.sha256Fingerprint = fingerprint("SHA-256", der);
    }

    public static DtlsCertificate generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            X500Name name = new X500Name("CN=prism");
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(30))), name, keys.getPublic());
            byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()))
                    .getEncoded();
            return new DtlsCertificate(keys.getPrivate(), der);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot make the DTLS certificate", e);
        }
    }

    /** The SDP form "AB:CD:..." (uppercase hex, colon separated) of the SHA-256 fingerprint. */
    public String sha256Fingerprint() {
        return sha256Fingerprint;
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    /** The certificate as Bouncy Castle's TLS layer wants it, bound to one crypto instance. */
    Certificate tlsCertificate(JcaTlsCrypto crypto) throws IOException {
        return new Certificate(new TlsCertificate[] {crypto.createCertificate(der)});
    }

    /** "AB:CD:.." of the digest of {@code der}; {@code algorithm} is a JCA name (SHA-256...). */
    static String fingerprint(String algorithm, byte[] der) {
        try {
            byte[] digest = MessageDigest.getInstance(algorithm).digest(der);
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("unsupported fingerprint hash " + algorithm, e);
        }
    }

    /**
     * Whether {@code der} matches an SDP fingerprint value "sha-256 AB:CD:.." (RFC 8122 §5);
     * hash names sha-1, sha-224, sha-256, sha-384, sha-512 are understood.
     */
    static boolean matches(String sdpFingerprint, byte[] der) {
        if (sdpFingerprint == null) {
            return false;
        }
        String[] parts = sdpFingerprint.trim().split("\\s+");
        if (parts.length != 2) {
            return false;
        }
        String algorithm = switch (parts[0].toLowerCase(Locale.ROOT)) {
            case "sha-1" -> "SHA-1";
            case "sha-224" -> "SHA-224";
            case "sha-256" -> "SHA-256";
            case "sha-384" -> "SHA-384";
            case "sha-512" -> "SHA-512";
            default -> null;
        };
        if (algorithm == null) {
            return false;
        }
        byte[] expected = fingerprint(algorithm, der).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] actual = parts[1].toUpperCase(Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, actual);
    }
}
