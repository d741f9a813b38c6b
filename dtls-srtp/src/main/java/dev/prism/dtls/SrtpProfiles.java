package dev.prism.dtls;

import dev.prism.srtp.SrtpProfile;
import org.bouncycastle.tls.SRTPProtectionProfile;

/** DTLS-SRTP profile ids (RFC 5764 §4.1.2, RFC 7714 §14.2) Prism supports, in preference order. */
final class SrtpProfiles {
    /** GCM first: authenticated encryption in one pass, and cheaper than HMAC-SHA1 here. */
    static final int[] PREFERENCE = {
        SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM,
        SRTPProtectionProfile.SRTP_AEAD_AES_256_GCM,
        SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80,
        SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_32,
    };

    private SrtpProfiles() {}

    /** Our most preferred profile among {@code offered}, or -1. */
    static int choose(int[] offered) {
        for (int ours : PREFERENCE) {
            for (int theirs : offered) {
                if (ours == theirs) {
                    return ours;
                }
            }
        }
        return -1;
    }

    static SrtpProfile toProfile(int id) {
        SrtpProfile p = SrtpProfile.byId(id);
        if (p == null) {
            throw new IllegalArgumentException("unsupported SRTP profile " + id);
        }
        return p;
    }
}
