package dev.prism.srtp;

/**
 * SRTP protection profiles negotiated through DTLS use_srtp (RFC 5764 §4.1.2, RFC 7714 §14.2).
 * Key and salt lengths are those of the master key and master salt.
 */
public enum SrtpProfile {
    AES_CM_128_HMAC_SHA1_80(0x0001, 16, 14, 10, 10),
    AES_CM_128_HMAC_SHA1_32(0x0002, 16, 14, 4, 10),
    AEAD_AES_128_GCM(0x0007, 16, 12, 16, 16),
    AEAD_AES_256_GCM(0x0008, 32, 12, 16, 16);

    private final int id;
    private final int keyLength;
    private final int saltLength;
    private final int rtpTagLength;
    private final int rtcpTagLength;

    SrtpProfile(int id, int keyLength, int saltLength, int rtpTagLength, int rtcpTagLength) {
        this.id = id;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
        this.rtpTagLength = rtpTagLength;
        this.rtcpTagLength = rtcpTagLength;
    }

    /** The DTLS-SRTP protection profile identifier. */
    public int id() { return id; }

    public int keyLength() { return keyLength; }

    public int saltLength() { return saltLength; }

    /** Bytes appended to an SRTP packet (auth tag, or GCM tag). */
    public int rtpTagLength() { return rtpTagLength; }

    /** Bytes appended to an SRTCP packet after the 4-byte index (auth tag, or GCM tag). */
    public int rtcpTagLength() { return rtcpTagLength; }

    public boolean isAead() { return this == AEAD_AES_128_GCM || this == AEAD_AES_256_GCM; }

    /** The profile with this DTLS-SRTP identifier, or null. */
    public static SrtpProfile byId(int id) {
        for (SrtpProfile p : values()) {
            if (p.id == id) {
                return p;
            }
        }
        return null;
    }
}
