package dev.prism.stun;

import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reads a STUN message (RFC 8489 §5, §14) in place from a buffer's readable bytes, without
 * moving its indexes. {@link #validate} must succeed before the other readers are used; after
 * that every reader stays inside the message. Malformed input yields a negative code, never an
 * exception.
 */
public final class StunMessage {
    public static final int HEADER_LENGTH = 20;
    public static final int MAGIC_COOKIE = 0x2112A442;
    public static final int BINDING_REQUEST = 0x0001;
    public static final int BINDING_SUCCESS = 0x0101;
    public static final int BINDING_ERROR = 0x0111;
    /** §14.7: the FINGERPRINT value is the CRC-32 of the message XOR this. */
    static final int FINGERPRINT_XOR = 0x5354554E;

    public static final int OK = 0;
    public static final int ERR_TOO_SHORT = -1;
    public static final int ERR_NOT_STUN = -2;        // top bits set or wrong magic cookie
    public static final int ERR_BAD_LENGTH = -3;      // length not a multiple of 4 or past the datagram
    public static final int ERR_ATTRIBUTE_OVERRUN = -4;

    private StunMessage() {}

    /** Checks header and attribute framing; OK or a negative code. */
    public static int validate(ByteBuf buf) {
        int start = buf.readerIndex();
        int readable = buf.readableBytes();
        if (readable < HEADER_LENGTH) {
            return ERR_TOO_SHORT;
        }
        if ((buf.getUnsignedByte(start) & 0xC0) != 0 || buf.getInt(start + 4) != MAGIC_COOKIE) {
            return ERR_NOT_STUN;
        }
        int length = buf.getUnsignedShort(start + 2);
        if ((length & 3) != 0 || HEADER_LENGTH + length > readable) {
            return ERR_BAD_LENGTH;
        }
        int p = start + HEADER_LENGTH;
        int end = p + length;
        while (p < end) {
            if (p + 4 > end) {
                return ERR_ATTRIBUTE_OVERRUN;
            }
            int valueLength = buf.getUnsignedShort(p + 2);
            p += 4 + ((valueLength + 3) & ~3);
            if (p > end) {
                return ERR_ATTRIBUTE_OVERRUN;
            }
        }
        return OK;
    }

    public static int type(ByteBuf buf) {
        return buf.getUnsignedShort(buf.readerIndex());
    }

    /** Message length field: bytes of attributes after the header. */
    public static int length(ByteBuf buf) {
        return buf.getUnsignedShort(buf.readerIndex() + 2);
    }

    /** Copies the 96-bit transaction id into {@code out[offset, offset+12)}. */
    public static void transactionId(ByteBuf buf, byte[] out, int offset) {
        buf.getBytes(buf.readerIndex() + 8, out, offset, 12);
    }

    /**
     * Absolute index of the first attribute of {@code type}'s value, or -1. Attributes after
     * MESSAGE-INTEGRITY other than FINGERPRINT are ignored (§14.5), as are those after FINGERPRINT.
     */
    public static int find(ByteBuf buf, int type) {
        int p = buf.readerIndex() + HEADER_LENGTH;
        int end = p + length(buf);
        boolean afterIntegrity = false;
        while (p + 4 <= end) {
            int t = buf.getUnsignedShort(p);
            int valueLength = buf.getUnsignedShort(p + 2);
            if (t == type && (!afterIntegrity || t == StunAttribute.FINGERPRINT)) {
                return p + 4;
            }
            if (t == StunAttribute.FINGERPRINT) {
                return -1;
            }
            if (t == StunAttribute.MESSAGE_INTEGRITY) {
                afterIntegrity = true;
            }
            p += 4 + ((valueLength + 3) & ~3);
        }
        return -1;
    }

    /** Length of the attribute whose value starts at {@code valueIndex} (from {@link #find}). */
    public static int valueLength(ByteBuf buf, int valueIndex) {
        return buf.getUnsignedShort(valueIndex - 2);
    }

    public static boolean has(ByteBuf buf, int type) {
        return find(buf, type) >= 0;
    }

    /** USERNAME as UTF-8, or null when absent. */
    public static String username(ByteBuf buf) {
        int at = find(buf, StunAttribute.USERNAME);
        return at < 0 ? null : buf.toString(at, valueLength(buf, at), StandardCharsets.UTF_8);
    }

    /** A 32-bit attribute (PRIORITY), or -1 when absent or not 4 bytes long. */
    public static long uint32(ByteBuf buf, int type) {
        int at = find(buf, type);
        return at < 0 || valueLength(buf, at) != 4 ? -1 : buf.getUnsignedInt(at);
    }

    /** A 64-bit attribute (ICE-CONTROLLING/-CONTROLLED tie-breaker); {@code absent} when missing or malformed. */
    public static long uint64(ByteBuf buf, int type, long absent) {
        int at = find(buf, type);
        return at < 0 || valueLength(buf, at) != 8 ? absent : buf.getLong(at);
    }

    /** ERROR-CODE as class*100+number (§14.8), or -1. */
    public static int errorCode(ByteBuf buf) {
        int at = find(buf, StunAttribute.ERROR_CODE);
        if (at < 0 || valueLength(buf, at) < 4) {
            return -1;
        }
        return (buf.getByte(at + 2) & 0x07) * 100 + buf.getUnsignedByte(at + 3);
    }

    /** XOR-MAPPED-ADDRESS (§14.2) for IPv4 or IPv6, or null when absent or malformed. */
    public static InetSocketAddress xorMappedAddress(ByteBuf buf) {
        int at = find(buf, StunAttribute.XOR_MAPPED_ADDRESS);
        if (at < 0) {
            return null;
        }
        int length = valueLength(buf, at);
        int family = buf.getUnsignedByte(at + 1);
        int port = buf.getUnsignedShort(at + 2) ^ (MAGIC_COOKIE >>> 16);
        byte[] address;
        if (family == 0x01 && length == 8) {
            address = new byte[4];
        } else if (family == 0x02 && length == 20) {
            address = new byte[16];
        } else {
            return null;
        }
        int start = buf.readerIndex();
        for (int i = 0; i < address.length; i++) {
            // XORed with the cookie, then (IPv6) the transaction id: bytes 4..19 of the header.
            address[i] = (byte) (buf.getByte(at + 4 + i) ^ buf.getByte(start + 4 + i));
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), port);
        } catch (UnknownHostException e) {
            return null; // cannot happen for 4- or 16-byte arrays
        }
    }

    /**
     * Whether MESSAGE-INTEGRITY is present and is the HMAC-SHA1, keyed with {@code key}, of the
     * message up to it, with the header length counting up to its end (§14.5).
     */
    public static boolean verifyMessageIntegrity(ByteBuf buf, byte[] key) {
        int at = find(buf, StunAttribute.MESSAGE_INTEGRITY);
        if (at < 0 || valueLength(buf, at) != 20) {
            return false;
        }
        int start = buf.readerIndex();
        int attributeStart = at - 4;
        int adjustedLength = attributeStart + 24 - start - HEADER_LENGTH;
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA1"));
            byte[] header = new byte[4];
            buf.getBytes(start, header, 0, 2);
            header[2] = (byte) (adjustedLength >>> 8);
            header[3] = (byte) adjustedLength;
            mac.update(header);
            byte[] rest = new byte[attributeStart - start - 4];
            buf.getBytes(start + 4, rest);
            mac.update(rest);
            byte[] expected = mac.doFinal();
            byte[] actual = new byte[20];
            buf.getBytes(at, actual);
            return MessageDigest.isEqual(expected, actual);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Whether FINGERPRINT is present, last, and matches the CRC-32 of everything before it (§14.7). */
    public static boolean verifyFingerprint(ByteBuf buf) {
        int at = find(buf, StunAttribute.FINGERPRINT);
        int start = buf.readerIndex();
        if (at < 0 || valueLength(buf, at) != 4 || at + 4 != start + HEADER_LENGTH + length(buf)) {
            return false;
        }
        return buf.getInt(at) == fingerprint(buf, start, at - 4 - start);
    }

    /** CRC-32 XOR 0x5354554E of buf[start, start+length). */
    static int fingerprint(ByteBuf buf, int start, int length) {
        CRC32 crc = new CRC32();
        byte[] bytes = new byte[length];
        buf.getBytes(start, bytes);
        crc.update(bytes);
        return (int) crc.getValue() ^ FINGERPRINT_XOR;
    }
}
