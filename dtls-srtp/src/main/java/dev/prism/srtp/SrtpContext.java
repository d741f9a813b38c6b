package dev.prism.srtp;

import static dev.prism.srtp.SrtpKeyDerivation.LABEL_RTCP_AUTH;
import static dev.prism.srtp.SrtpKeyDerivation.LABEL_RTCP_ENCRYPTION;
import static dev.prism.srtp.SrtpKeyDerivation.LABEL_RTCP_SALT;
import static dev.prism.srtp.SrtpKeyDerivation.LABEL_RTP_AUTH;
import static dev.prism.srtp.SrtpKeyDerivation.LABEL_RTP_ENCRYPTION;
import static dev.prism.srtp.SrtpKeyDerivation.LABEL_RTP_SALT;

import io.netty.buffer.ByteBuf;

/**
 * SRTP/SRTCP (RFC 3711, RFC 7714) for one direction of one transport: every SSRC sent (or
 * received) under one master key. Protect and unprotect work in place on the readable bytes of
 * the buffer: protect appends the tag (it needs that much writable room), unprotect strips it.
 * Errors come back as negative codes, never as exceptions. Owned by one event loop; not
 * thread-safe.
 *
 * <p>Rollover counters follow RFC 3711 §3.3.1 (index estimation of Appendix A), except that a
 * stream's first packet may also authenticate at ROC 1 (its sender wrapped before we heard it,
 * see {@link #unprotectRtp}); the replay windows hold 128 indexes per SSRC for SRTP and for
 * SRTCP, and are updated only after the packet authenticated. State for a new SSRC is created
 * only by an authenticated packet, so forged packets cannot grow it.
 */
public final class SrtpContext {
    public static final int OK = 0;
    public static final int ERR_MALFORMED = -1;
    public static final int ERR_AUTH = -2;
    public static final int ERR_REPLAY = -3;
    /** The buffer cannot grow by the tag (protect only). */
    public static final int ERR_NO_ROOM = -4;

    private final SrtpProfile profile;
    private final SrtpTransform transform;
    private final SrtpStreamMap streams = new SrtpStreamMap();

    private SrtpContext(SrtpProfile profile, SrtpTransform transform) {
        this.profile = profile;
        this.transform = transform;
    }

    public static SrtpContext create(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        if (masterKey.length != profile.keyLength() || masterSalt.length != profile.saltLength()) {
            throw new IllegalArgumentException(profile + " needs a " + profile.keyLength() + "-byte key and a "
                    + profile.saltLength() + "-byte salt, got " + masterKey.length + " and " + masterSalt.length);
        }
        int keyLength = profile.keyLength();
        int saltLength = profile.saltLength();
        byte[] rtpKey = SrtpKeyDerivation.derive(masterKey, masterSalt, LABEL_RTP_ENCRYPTION, keyLength);
        byte[] rtpSalt = SrtpKeyDerivation.derive(masterKey, masterSalt, LABEL_RTP_SALT, saltLength);
        byte[] rtcpKey = SrtpKeyDerivation.derive(masterKey, masterSalt, LABEL_RTCP_ENCRYPTION, keyLength);
        byte[] rtcpSalt = SrtpKeyDerivation.derive(masterKey, masterSalt, LABEL_RTCP_SALT, saltLength);
        if (profile.isAead()) {
            return new SrtpContext(profile, gcm(rtpKey, rtpSalt, rtcpKey, rtcpSalt, Ghash.AVAILABLE));
        }
        byte[] rtpAuth = SrtpKeyDerivation.derive(masterKey, masterSalt, LABEL_RTP_AUTH, 20);
        byte[] rtcpAuth = SrtpKeyDerivation.derive(masterKey, masterSalt, LABEL_RTCP_AUTH, 20);
        return new SrtpContext(profile,
                new AesCmHmacTransform(rtpKey, rtpSalt, rtpAuth, rtcpKey, rtcpSalt, rtcpAuth, profile.rtpTagLength()));
    }

    /** A context from already derived session keys (the RFC 7714 vectors give those), on either GCM. */
    static SrtpContext withSessionKeys(SrtpProfile profile, byte[] key, byte[] salt, boolean jdkGhash) {
        if (!profile.isAead()) {
            throw new IllegalArgumentException("session-key contexts are for the AEAD profiles");
        }
        return new SrtpContext(profile, gcm(key, salt, key, salt, jdkGhash));
    }

    private static SrtpTransform gcm(byte[] rtpKey, byte[] rtpSalt, byte[] rtcpKey, byte[] rtcpSalt, boolean jdkGhash) {
        return jdkGhash ? new AesGcmTransform(rtpKey, rtpSalt, rtcpKey, rtcpSalt)
                : new JceAesGcmTransform(rtpKey, rtpSalt, rtcpKey, rtcpSalt);
    }

    /**
     * How SRTP's AES is computed in this JVM, for the startup log: counter mode and GHASH on the
     * JDK's intrinsics (allocation-free), or, when java.base does not open them, the slower
     * fallbacks, with the reason.
     */
    public static String implementation() {
        String ctr = AesCtr.JDK_ENGINE ? "AES-CTR on the JDK's intrinsic" : "AES-CTR from AES/ECB blocks (slower fallback)";
        String gcm = Ghash.AVAILABLE ? "GHASH on the JDK's intrinsic (allocation-free)"
                : "AES-GCM through the JCE cipher, about 1 KB of garbage per packet: " + Ghash.UNAVAILABLE_REASON;
        return ctr + "; " + gcm;
    }

    public SrtpProfile profile() {
        return profile;
    }

    /**
     * Reads the state {@link #protectRtp} of a packet of {@code ssrc} will read: the stream, its
     * replay window, the keys. A fan-out calls it for the next few subscribers before it protects
     * for them, so that their states' cache misses overlap instead of stalling one after another;
     * the result is meaningless, but the caller must keep it (fold it into a field), or the JIT
     * removes the reads.
     */
    public int prefetchRtp(int ssrc) {
        SrtpStream s = streams.get(ssrc);
        int x = s == null ? 0 : s.roc ^ (int) s.rtpReplay.highest();
        return x ^ transform.prefetchRtp();
    }

    /** Encrypts and appends the tag; the RTP packet is buffer[readerIndex, writerIndex). */
    public int protectRtp(ByteBuf packet) {
        int start = packet.readerIndex();
        int length = packet.readableBytes();
        int headerLength = rtpHeaderLength(packet, start, length);
        if (headerLength < 0) {
            return ERR_MALFORMED;
        }
        int tag = profile.rtpTagLength();
        if (packet.maxWritableBytes() < tag) {
            return ERR_NO_ROOM;
        }
        packet.ensureWritable(tag);
        int ssrc = packet.getInt(start + 8);
        int seq = packet.getUnsignedShort(start + 2);
        SrtpStream stream = streams.getOrAdd(ssrc);
        int roc = sendRolloverCounter(stream, seq);
        long index = ((roc & 0xFFFFFFFFL) << 16) | seq;
        // GCM under a reused IV (SSRC, ROC, SEQ) with different associated data, e.g. a retransmission
        // with a new transport-wide sequence number, would reveal the GHASH key (RFC 7714 §14.1):
        // the sender keeps a window of indexes it protected and refuses repeats, as libsrtp does.
        if (profile.isAead() && !stream.rtpReplay.check(index)) {
            return ERR_REPLAY;
        }
        int n = transform.protectRtp(packet, start, length, headerLength, ssrc, roc, seq);
        if (n < 0) {
            return n;
        }
        if (profile.isAead()) {
            stream.rtpReplay.update(index);
        }
        packet.writerIndex(start + n);
        return OK;
    }

    /** Authenticates, checks replay, decrypts and strips the tag; on error the buffer content is unspecified. */
    public int unprotectRtp(ByteBuf packet) {
        int start = packet.readerIndex();
        int length = packet.readableBytes();
        int headerLength = rtpHeaderLength(packet, start, length);
        if (headerLength < 0 || length < headerLength + profile.rtpTagLength()) {
            return ERR_MALFORMED;
        }
        int ssrc = packet.getInt(start + 8);
        int seq = packet.getUnsignedShort(start + 2);
        SrtpStream stream = streams.get(ssrc);
        long roc = stream == null || !stream.rtpStarted ? 0 : estimateRolloverCounter(stream, seq);
        if (roc < 0 || roc > 0xFFFFFFFFL) {
            return ERR_REPLAY;
        }
        long index = (roc << 16) | seq;
        if (stream != null && !stream.rtpReplay.check(index)) {
            return ERR_REPLAY;
        }
        int n = transform.unprotectRtp(packet, start, length, headerLength, ssrc, (int) roc, seq);
        if (n == ERR_AUTH && (stream == null || !stream.rtpStarted) && seq < 0x8000) {
            // RFC 3711 §3.3.1 starts a receiver's ROC at 0, yet a sender whose sequence numbers
            // began near 65535 has wrapped already when its first packets were lost (sent before
            // our keys were ready): at ROC 0 its stream would never authenticate. A stream's first
            // packet low in the sequence space is tried at ROC 1 too. The transforms leave the
            // buffer as it was when authentication fails, so the retry sees the same bytes.
            long wrapped = 1L << 16 | seq;
            if (stream != null && !stream.rtpReplay.check(wrapped)) {
                return ERR_REPLAY;
            }
            n = transform.unprotectRtp(packet, start, length, headerLength, ssrc, 1, seq);
            roc = 1;
            index = wrapped;
        }
        if (n < 0) {
            return n;
        }
        if (stream == null) {
            stream = streams.getOrAdd(ssrc);
        }
        stream.rtpReplay.update(index);
        if (!stream.rtpStarted || index > (((long) stream.roc & 0xFFFFFFFFL) << 16 | stream.highestSeq)) {
            stream.rtpStarted = true;
            stream.roc = (int) roc;
            stream.highestSeq = seq;
        }
        packet.writerIndex(start + n);
        return OK;
    }

    /** Encrypts, appends the E flag and SRTCP index, and the tag. */
    public int protectRtcp(ByteBuf packet) {
        int start = packet.readerIndex();
        int length = packet.readableBytes();
        if (length < 8 || (packet.getUnsignedByte(start) >>> 6) != 2) {
            return ERR_MALFORMED;
        }
        int trailer = 4 + profile.rtcpTagLength();
        if (packet.maxWritableBytes() < trailer) {
            return ERR_NO_ROOM;
        }
        packet.ensureWritable(trailer);
        int ssrc = packet.getInt(start + 4);
        SrtpStream stream = streams.getOrAdd(ssrc);
        int index = stream.nextRtcpIndex;
        // The index is 31 bits; a session must be rekeyed before it wraps (RFC 3711 §9.2).
        stream.nextRtcpIndex = (index + 1) & 0x7FFFFFFF;
        int n = transform.protectRtcp(packet, start, length, ssrc, index);
        if (n < 0) {
            return n;
        }
        packet.writerIndex(start + n);
        return OK;
    }

    public int unprotectRtcp(ByteBuf packet) {
        int start = packet.readerIndex();
        int length = packet.readableBytes();
        int tag = profile.rtcpTagLength();
        if (length < 8 + 4 + tag || (packet.getUnsignedByte(start) >>> 6) != 2) {
            return ERR_MALFORMED;
        }
        // CM: ... || E+index || tag (RFC 3711 §3.4); GCM: ... || tag || E+index (RFC 7714 §9.2).
        int word = profile.isAead() ? packet.getInt(start + length - 4) : packet.getInt(start + length - tag - 4);
        int index = word & 0x7FFFFFFF;
        int ssrc = packet.getInt(start + 4);
        SrtpStream stream = streams.get(ssrc);
        if (stream != null && !stream.rtcpReplay.check(index)) {
            return ERR_REPLAY;
        }
        int n = transform.unprotectRtcp(packet, start, length, ssrc, word);
        if (n < 0) {
            return n;
        }
        if (stream == null) {
            stream = streams.getOrAdd(ssrc);
        }
        stream.rtcpReplay.update(index);
        packet.writerIndex(start + n);
        return OK;
    }

    /** Sets the next SRTCP index of an SSRC (the RFC 7714 vectors start mid-session). */
    void setNextRtcpIndex(int ssrc, int index) {
        streams.getOrAdd(ssrc).nextRtcpIndex = index;
    }

    /** Sender side: the ROC for {@code seq}, advancing it when the sequence wraps. */
    private static int sendRolloverCounter(SrtpStream s, int seq) {
        if (!s.rtpStarted) {
            s.rtpStarted = true;
            s.highestSeq = seq;
            return s.roc;
        }
        int delta = seq - s.highestSeq;
        if (delta > 0 && delta < 0x8000) {
            s.highestSeq = seq;
            return s.roc;
        }
        if (delta < -0x8000) { // wrapped forward: 65535 -> 0
            s.roc++;
            s.highestSeq = seq;
            return s.roc;
        }
        if (delta > 0x8000 && s.roc != 0) { // a late packet from before the last wrap
            return s.roc - 1;
        }
        return s.roc;
    }

    /** Receiver side: RFC 3711 Appendix A index guessing; may return -1 (before the first cycle). */
    private static long estimateRolloverCounter(SrtpStream s, int seq) {
        long roc = s.roc & 0xFFFFFFFFL;
        int highest = s.highestSeq;
        if (highest < 0x8000) {
            return seq - highest > 0x8000 ? roc - 1 : roc;
        }
        return highest - 0x8000 > seq ? roc + 1 : roc;
    }

    /** Length of the RTP header (fixed part, CSRCs, extension) or -1 when it does not fit. */
    static int rtpHeaderLength(ByteBuf buf, int start, int length) {
        if (length < 12) {
            return -1;
        }
        int b0 = buf.getUnsignedByte(start);
        if ((b0 >>> 6) != 2) {
            return -1;
        }
        int headerLength = 12 + 4 * (b0 & 0x0F);
        if ((b0 & 0x10) != 0) {
            if (headerLength + 4 > length) {
                return -1;
            }
            headerLength += 4 + 4 * buf.getUnsignedShort(start + headerLength + 2);
        }
        return headerLength <= length ? headerLength : -1;
    }
}
