package dev.prism.srtp;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AEAD_AES_128_GCM and AEAD_AES_256_GCM (RFC 7714) through the JCE's {@code AES/GCM} cipher: the
 * fallback when {@link Ghash} cannot reach the JDK's GHASH routine. Correct, but the cipher must
 * be re-initialised for every packet (the IV changes) and each {@code Cipher.init} builds a new
 * GCM engine inside the JDK: about 1 KB of garbage per packet.
 */
final class JceAesGcmTransform extends SrtpTransform {
    private static final int TAG = 16;

    private final Cipher gcm;
    private final SecretKeySpec rtpKey;
    private final SecretKeySpec rtcpKey;
    private final byte[] rtpSalt;
    private final byte[] rtcpSalt;
    private final byte[] iv = new byte[12];
    private final byte[] aad = new byte[12];
    private byte[] out = new byte[2048];
    private ByteBuffer dataView;
    private ByteBuffer outView;

    JceAesGcmTransform(byte[] rtpKey, byte[] rtpSalt, byte[] rtcpKey, byte[] rtcpSalt) {
        try {
            this.gcm = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM unavailable", e);
        }
        this.rtpKey = new SecretKeySpec(rtpKey, "AES");
        this.rtcpKey = new SecretKeySpec(rtcpKey, "AES");
        this.rtpSalt = rtpSalt.clone();
        this.rtcpSalt = rtcpSalt.clone();
    }

    @Override
    int protectRtp(ByteBuf buf, int start, int length, int headerLength, int ssrc, int roc, int seq) {
        return rtp(Cipher.ENCRYPT_MODE, TAG, buf, start, length, headerLength, ssrc, roc, seq);
    }

    @Override
    int unprotectRtp(ByteBuf buf, int start, int length, int headerLength, int ssrc, int roc, int seq) {
        return rtp(Cipher.DECRYPT_MODE, 0, buf, start, length, headerLength, ssrc, roc, seq);
    }

    /** RFC 7714 §8: the header is the AAD, the payload is sealed or opened in place; {@code room} for the tag. */
    private int rtp(int mode, int room, ByteBuf buf, int start, int length, int headerLength, int ssrc, int roc, int seq) {
        load(buf, start, length, room);
        rtpIv(ssrc, roc, seq);
        int n = seal(mode, rtpKey, data, 0, headerLength, headerLength, length - headerLength);
        if (n < 0) {
            return n;
        }
        buf.setBytes(start + headerLength, out, 0, n);
        return headerLength + n;
    }

    @Override
    int protectRtcp(ByteBuf buf, int start, int length, int ssrc, int index) {
        load(buf, start, length, TAG + 4);
        int word = 0x80000000 | index;
        rtcpIv(ssrc, index);
        // RFC 7714 §9.2 / §17: AAD = first 8 octets || E flag and SRTCP index.
        System.arraycopy(data, 0, aad, 0, 8);
        putInt(aad, 8, word);
        int n = seal(Cipher.ENCRYPT_MODE, rtcpKey, aad, 0, 12, 8, length - 8);
        if (n < 0) {
            return n;
        }
        buf.setBytes(start + 8, out, 0, n);
        buf.setInt(start + 8 + n, word);
        return 8 + n + 4;
    }

    @Override
    int unprotectRtcp(ByteBuf buf, int start, int length, int ssrc, int eIndexWord) {
        load(buf, start, length, 0);
        rtcpIv(ssrc, eIndexWord & 0x7FFFFFFF);
        int end = length - 4;
        if (eIndexWord < 0) {
            System.arraycopy(data, 0, aad, 0, 8);
            putInt(aad, 8, eIndexWord);
            int n = seal(Cipher.DECRYPT_MODE, rtcpKey, aad, 0, 12, 8, end - 8);
            if (n < 0) {
                return n;
            }
            buf.setBytes(start + 8, out, 0, n);
            return 8 + n;
        }
        // Unencrypted SRTCP (§9.3): the whole packet and the index word are associated data.
        try {
            gcm.init(Cipher.DECRYPT_MODE, rtcpKey, new GCMParameterSpec(TAG * 8, iv));
            gcm.updateAAD(data, 0, end - TAG);
            gcm.updateAAD(data, end, 4);
            gcm.doFinal(data, end - TAG, TAG, out, 0);
        } catch (AEADBadTagException e) {
            return SrtpContext.ERR_AUTH;
        } catch (GeneralSecurityException | IllegalStateException e) {
            return SrtpContext.ERR_MALFORMED;
        }
        return end - TAG;
    }

    /** Runs GCM over data[offset, offset+length) with aadSource[aadOffset, +aadLength) as AAD into {@link #out}. */
    private int seal(int mode, SecretKeySpec key, byte[] aadSource, int aadOffset, int aadLength, int offset,
                     int length) {
        if (out.length < length + TAG) {
            out = new byte[Integer.highestOneBit(length + TAG) << 1];
        }
        if (dataView == null || dataView.array() != data) {
            dataView = ByteBuffer.wrap(data);
        }
        if (outView == null || outView.array() != out) {
            outView = ByteBuffer.wrap(out);
        }
        try {
            gcm.init(mode, key, new GCMParameterSpec(TAG * 8, iv));
            gcm.updateAAD(aadSource, aadOffset, aadLength);
            // The ByteBuffer form lets the JDK decrypt straight into the output instead of
            // buffering the whole ciphertext until the tag is checked (as the byte[] form does).
            dataView.limit(offset + length).position(offset);
            outView.clear();
            return gcm.doFinal(dataView, outView);
        } catch (AEADBadTagException e) {
            return SrtpContext.ERR_AUTH;
        } catch (InvalidAlgorithmParameterException e) {
            // The JDK refuses to encrypt twice under one key and IV, i.e. the same SSRC and index
            // protected twice; that would leak the GHASH key (RFC 7714 §14.1), so libsrtp refuses too.
            return SrtpContext.ERR_REPLAY;
        } catch (GeneralSecurityException | IllegalStateException e) {
            return SrtpContext.ERR_MALFORMED;
        }
    }

    /** RFC 7714 §8.1: IV = (00 00 || SSRC || ROC || SEQ) XOR salt. */
    private void rtpIv(int ssrc, int roc, int seq) {
        iv[0] = rtpSalt[0];
        iv[1] = rtpSalt[1];
        iv[2] = (byte) (rtpSalt[2] ^ (ssrc >>> 24));
        iv[3] = (byte) (rtpSalt[3] ^ (ssrc >>> 16));
        iv[4] = (byte) (rtpSalt[4] ^ (ssrc >>> 8));
        iv[5] = (byte) (rtpSalt[5] ^ ssrc);
        iv[6] = (byte) (rtpSalt[6] ^ (roc >>> 24));
        iv[7] = (byte) (rtpSalt[7] ^ (roc >>> 16));
        iv[8] = (byte) (rtpSalt[8] ^ (roc >>> 8));
        iv[9] = (byte) (rtpSalt[9] ^ roc);
        iv[10] = (byte) (rtpSalt[10] ^ (seq >>> 8));
        iv[11] = (byte) (rtpSalt[11] ^ seq);
    }

    /** RFC 7714 §9.1: IV = (00 00 || SSRC || 00 00 || 0 || SRTCP index) XOR salt. */
    private void rtcpIv(int ssrc, int index) {
        iv[0] = rtcpSalt[0];
        iv[1] = rtcpSalt[1];
        iv[2] = (byte) (rtcpSalt[2] ^ (ssrc >>> 24));
        iv[3] = (byte) (rtcpSalt[3] ^ (ssrc >>> 16));
        iv[4] = (byte) (rtcpSalt[4] ^ (ssrc >>> 8));
        iv[5] = (byte) (rtcpSalt[5] ^ ssrc);
        iv[6] = rtcpSalt[6];
        iv[7] = rtcpSalt[7];
        iv[8] = (byte) (rtcpSalt[8] ^ (index >>> 24));
        iv[9] = (byte) (rtcpSalt[9] ^ (index >>> 16));
        iv[10] = (byte) (rtcpSalt[10] ^ (index >>> 8));
        iv[11] = (byte) (rtcpSalt[11] ^ index);
    }
}
