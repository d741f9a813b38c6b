package dev.prism.srtp;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * AEAD_AES_128_GCM and AEAD_AES_256_GCM (RFC 7714) without allocating: GCTR from {@link AesCtr}
 * (counter 1 = J0 masks the tag, counters 2… encrypt) and {@link Ghash}, both on the JDK's
 * intrinsics. The RTP header (or the first 8 octets of RTCP plus the E/index word) is the
 * associated data; the tag is 16 octets. Used when {@link Ghash#AVAILABLE}, else
 * {@link JceAesGcmTransform}.
 */
final class AesGcmTransform extends SrtpTransform {
    private static final int TAG = 16;

    private final Direction rtp;
    private final Direction rtcp;
    private final byte[] aad = new byte[12];
    private final byte[] expectedTag = new byte[TAG];
    /** E(K, J0), which masks the tag. */
    private final byte[] tagMask = new byte[TAG];
    private final byte[] receivedTag = new byte[TAG];

    /** The key, hash key and salt of one of SRTP's two key sets. */
    private static final class Direction {
        final AesCtr ctr;
        final Ghash ghash;
        final long saltHigh;
        final long saltLow;

        Direction(byte[] key, byte[] salt) {
            ctr = new AesCtr(key);
            ghash = new Ghash(ctr.encryptBlock(new byte[16]));
            saltHigh = AesCtr.getLong(salt, 0);
            // Salt octets 8-11 in the high half of the IV's second long; the counter goes below.
            saltLow = AesCtr.getLong(salt, 4) << 32;
        }
    }

    AesGcmTransform(byte[] rtpKey, byte[] rtpSalt, byte[] rtcpKey, byte[] rtcpSalt) {
        this.rtp = new Direction(rtpKey, rtpSalt);
        this.rtcp = new Direction(rtcpKey, rtcpSalt);
    }

    @Override
    int prefetchRtp() {
        return rtp.ctr.prefetch() ^ rtp.ghash.prefetch() ^ tagMask[0] ^ (int) rtp.saltHigh;
    }

    @Override
    int protectRtp(ByteBuf buf, int start, int length, int headerLength, int ssrc, int roc, int seq) {
        load(buf, start, length, TAG);
        int textLength = length - headerLength;
        seal(rtp, rtpIvHigh(ssrc, roc), rtpIvLow(roc, seq), data, 0, headerLength, headerLength, textLength);
        buf.setBytes(start + headerLength, data, headerLength, textLength + TAG);
        return length + TAG;
    }

    @Override
    int unprotectRtp(ByteBuf buf, int start, int length, int headerLength, int ssrc, int roc, int seq) {
        int textLength = length - headerLength - TAG;
        if (textLength < 0) {
            return SrtpContext.ERR_MALFORMED;
        }
        load(buf, start, length, 0);
        if (!open(rtp, rtpIvHigh(ssrc, roc), rtpIvLow(roc, seq), data, 0, headerLength, headerLength, textLength)) {
            return SrtpContext.ERR_AUTH;
        }
        buf.setBytes(start + headerLength, data, headerLength, textLength);
        return headerLength + textLength;
    }

    @Override
    int protectRtcp(ByteBuf buf, int start, int length, int ssrc, int index) {
        load(buf, start, length, TAG + 4);
        int word = 0x80000000 | index;
        // RFC 7714 §9.2 / §17: AAD = first 8 octets || E flag and SRTCP index.
        System.arraycopy(data, 0, aad, 0, 8);
        putInt(aad, 8, word);
        seal(rtcp, rtcpIvHigh(ssrc), rtcpIvLow(index), aad, 0, 12, 8, length - 8);
        buf.setBytes(start + 8, data, 8, length - 8 + TAG);
        buf.setInt(start + length + TAG, word);
        return length + TAG + 4;
    }

    @Override
    int unprotectRtcp(ByteBuf buf, int start, int length, int ssrc, int eIndexWord) {
        int index = eIndexWord & 0x7FFFFFFF;
        int end = length - 4; // ... || tag || E+index (RFC 7714 §9.2)
        if (end - TAG < 8) {
            return SrtpContext.ERR_MALFORMED;
        }
        load(buf, start, length, 0);
        if (eIndexWord < 0) {
            System.arraycopy(data, 0, aad, 0, 8);
            putInt(aad, 8, eIndexWord);
            if (!open(rtcp, rtcpIvHigh(ssrc), rtcpIvLow(index), aad, 0, 12, 8, end - TAG - 8)) {
                return SrtpContext.ERR_AUTH;
            }
            buf.setBytes(start + 8, data, 8, end - TAG - 8);
            return end - TAG;
        }
        // Unencrypted SRTCP (§9.3): the whole packet and the index word are associated data. Our
        // copy is ours to rearrange: move the tag aside and put the word right after the packet.
        int packetEnd = end - TAG;
        System.arraycopy(data, packetEnd, receivedTag, 0, TAG);
        putInt(data, packetEnd, eIndexWord);
        Direction d = rtcp;
        tagMask(d, rtcpIvHigh(ssrc), rtcpIvLow(index));
        d.ghash.reset();
        d.ghash.updatePadded(data, 0, packetEnd + 4);
        d.ghash.lengths(packetEnd + 4, 0);
        d.ghash.finish(tagMask, 0, expectedTag, 0);
        return constantTimeEquals(expectedTag, 0, receivedTag, 0, TAG) ? packetEnd : SrtpContext.ERR_AUTH;
    }

    /** Encrypts data[offset, offset+length) in place and writes the tag after it (SP 800-38D §7.1). */
    private void seal(Direction d, long ivHigh, long ivLow, byte[] aadSource, int aadOffset, int aadLength,
                      int offset, int length) {
        d.ctr.crypt(ivHigh, ivLow, 2, data, offset, length);
        hash(d, aadSource, aadOffset, aadLength, offset, length);
        tagMask(d, ivHigh, ivLow);
        d.ghash.finish(tagMask, 0, data, offset + length);
    }

    /** Checks the tag after data[offset, offset+length) and only then decrypts in place. */
    private boolean open(Direction d, long ivHigh, long ivLow, byte[] aadSource, int aadOffset, int aadLength,
                         int offset, int length) {
        hash(d, aadSource, aadOffset, aadLength, offset, length);
        tagMask(d, ivHigh, ivLow);
        d.ghash.finish(tagMask, 0, expectedTag, 0);
        if (!constantTimeEquals(expectedTag, 0, data, offset + length, TAG)) {
            return false;
        }
        d.ctr.crypt(ivHigh, ivLow, 2, data, offset, length);
        return true;
    }

    private void tagMask(Direction d, long ivHigh, long ivLow) {
        Arrays.fill(tagMask, (byte) 0);
        d.ctr.crypt(ivHigh, ivLow, 1, tagMask, 0, TAG);
    }

    private void hash(Direction d, byte[] aadSource, int aadOffset, int aadLength, int offset, int length) {
        Ghash g = d.ghash;
        g.reset();
        g.updatePadded(aadSource, aadOffset, aadLength);
        g.updatePadded(data, offset, length);
        g.lengths(aadLength, length);
    }

    // RFC 7714 §8.1: IV = (00 00 || SSRC || ROC || SEQ) XOR salt, as two longs (the second one's low
    // 32 bits are GCM's block counter).
    private long rtpIvHigh(int ssrc, int roc) {
        return rtp.saltHigh ^ ((ssrc & 0xFFFFFFFFL) << 16) ^ (roc >>> 16);
    }

    private long rtpIvLow(int roc, int seq) {
        return rtp.saltLow ^ (((long) (roc & 0xFFFF) << 48) | ((long) seq << 32));
    }

    // RFC 7714 §9.1: IV = (00 00 || SSRC || 00 00 || 0 || SRTCP index) XOR salt.
    private long rtcpIvHigh(int ssrc) {
        return rtcp.saltHigh ^ ((ssrc & 0xFFFFFFFFL) << 16);
    }

    private long rtcpIvLow(int index) {
        return rtcp.saltLow ^ ((long) index << 32);
    }
}
