package dev.prism.srtp;

import io.netty.buffer.ByteBuf;

/**
 * AES-128 counter mode with HMAC-SHA1 authentication (RFC 3711 §4.1.1, §4.2.1) for the
 * AES_CM_128_HMAC_SHA1_80/_32 profiles. The keystream comes from {@link AesCtr} (no cipher
 * initialised per packet); HMAC runs on a reused
 * digest without allocating ({@link HmacSha1}).
 */
final class AesCmHmacTransform extends SrtpTransform {
    private static final int SRTCP_TAG = 10;

    private final AesCtr rtpAes;
    private final AesCtr rtcpAes;
    private final HmacSha1 rtpMac;
    private final HmacSha1 rtcpMac;
    private final byte[] rtpSalt;
    private final byte[] rtcpSalt;
    private final int rtpTag;
    private final byte[] macOut = new byte[20];
    private final byte[] rocBytes = new byte[4];

    AesCmHmacTransform(byte[] rtpKey, byte[] rtpSalt, byte[] rtpAuth, byte[] rtcpKey, byte[] rtcpSalt,
                       byte[] rtcpAuth, int rtpTag) {
        this.rtpAes = new AesCtr(rtpKey);
        this.rtcpAes = new AesCtr(rtcpKey);
        this.rtpMac = new HmacSha1(rtpAuth);
        this.rtcpMac = new HmacSha1(rtcpAuth);
        this.rtpSalt = rtpSalt.clone();
        this.rtcpSalt = rtcpSalt.clone();
        this.rtpTag = rtpTag;
    }

    @Override
    int protectRtp(ByteBuf buf, int start, int length, int headerLength, int ssrc, int roc, int seq) {
        load(buf, start, length, rtpTag);
        if (!xorKeystream(rtpAes, rtpSalt, ssrc, ((long) roc << 16) | seq, data, headerLength, length - headerLength)) {
            return SrtpContext.ERR_MALFORMED;
        }
        rtpTag(length, roc);
        buf.setBytes(start + headerLength, data, headerLength, length - headerLength);
        buf.setBytes(start + length, macOut, 0, rtpTag);
        return length + rtpTag;
    }

    @Override
    int unprotectRtp(ByteBuf buf, int start, int length, int headerLength, int ssrc, int roc, int seq) {
        int end = length - rtpTag;
        load(buf, start, length, 0);
        rtpTag(end, roc);
        if (!constantTimeEquals(macOut, 0, data, end, rtpTag)) {
            return SrtpContext.ERR_AUTH;
        }
        if (!xorKeystream(rtpAes, rtpSalt, ssrc, ((long) roc << 16) | seq, data, headerLength, end - headerLength)) {
            return SrtpContext.ERR_MALFORMED;
        }
        buf.setBytes(start + headerLength, data, headerLength, end - headerLength);
        return end;
    }

    @Override
    int protectRtcp(ByteBuf buf, int start, int length, int ssrc, int index) {
        load(buf, start, length, 4 + SRTCP_TAG);
        if (!xorKeystream(rtcpAes, rtcpSalt, ssrc, index, data, 8, length - 8)) {
            return SrtpContext.ERR_MALFORMED;
        }
        putInt(data, length, 0x80000000 | index);
        rtcpTag(length + 4);
        buf.setBytes(start + 8, data, 8, length - 8 + 4);
        buf.setBytes(start + length + 4, macOut, 0, SRTCP_TAG);
        return length + 4 + SRTCP_TAG;
    }

    @Override
    int unprotectRtcp(ByteBuf buf, int start, int length, int ssrc, int eIndexWord) {
        int authEnd = length - SRTCP_TAG;
        load(buf, start, length, 0);
        rtcpTag(authEnd);
        if (!constantTimeEquals(macOut, 0, data, authEnd, SRTCP_TAG)) {
            return SrtpContext.ERR_AUTH;
        }
        int end = authEnd - 4;
        if (eIndexWord < 0) { // E flag: the payload is encrypted
            if (!xorKeystream(rtcpAes, rtcpSalt, ssrc, eIndexWord & 0x7FFFFFFF, data, 8, end - 8)) {
                return SrtpContext.ERR_MALFORMED;
            }
            buf.setBytes(start + 8, data, 8, end - 8);
        }
        return end;
    }

    private void rtpTag(int authenticatedLength, int roc) {
        rtpMac.update(data, 0, authenticatedLength);
        putInt(rocBytes, 0, roc);
        rtpMac.update(rocBytes, 0, 4);
        doFinal(rtpMac);
    }

    private void rtcpTag(int authenticatedLength) {
        rtcpMac.update(data, 0, authenticatedLength);
        doFinal(rtcpMac);
    }

    private void doFinal(HmacSha1 mac) {
        mac.doFinal(macOut, 0);
    }

    /**
     * XORs data[offset, offset+length) with the AES-CM keystream of RFC 3711 §4.1.1:
     * IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16), then the 16-bit block counter.
     */
    private static boolean xorKeystream(AesCtr aes, byte[] salt, int ssrc, long index, byte[] d, int offset,
                                        int length) {
        if (length <= 0) {
            return true;
        }
        int blocks = (length + 15) >>> 4;
        if (blocks > 0xFFFF) {
            return false;
        }
        // Octets 0-7: salt 0-7 with the SSRC under octets 4-7. Octets 8-15: salt 8-13 with the
        // 48-bit index under them, then the 16-bit block counter.
        long ivHigh = AesCtr.getLong(salt, 0) ^ (ssrc & 0xFFFFFFFFL);
        long ivLow = (AesCtr.getLong(salt, 6) << 16) ^ (index << 16);
        aes.crypt(ivHigh, ivLow, 0, d, offset, length);
        return true;
    }

    /** The keystream for SSRC 0 and index 0 as RFC 3711 B.2 tabulates it (tests only). */
    byte[] keystreamForTest(int length) {
        load(io.netty.buffer.Unpooled.EMPTY_BUFFER, 0, 0, length);
        java.util.Arrays.fill(data, 0, length, (byte) 0);
        xorKeystream(rtpAes, rtpSalt, 0, 0, data, 0, length);
        return java.util.Arrays.copyOf(data, length);
    }
}
