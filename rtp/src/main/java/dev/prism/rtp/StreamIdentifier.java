package dev.prism.rtp;

import io.netty.buffer.ByteBuf;

/**
 * String-valued header extensions: MID (RFC 8843 §15.2, "urn:ietf:params:rtp-hdrext:sdes:mid"),
 * RtpStreamId and RepairedRtpStreamId (RFC 8852 §3, "...:sdes:rtp-stream-id" and
 * "...:sdes:repaired-rtp-stream-id"). The value is the identifier's ASCII characters with no
 * terminator; the element length is the string length.
 *
 * <p>The per-packet path compares with {@link #equalsAscii} (no allocation); {@link #read}
 * builds a String for control paths such as learning a new simulcast layer.
 */
public final class StreamIdentifier {
    /** RFC 8852 §3.1 limits RtpStreamId to 255 characters, the two-byte element maximum. */
    public static final int MAX_LENGTH = 255;

    private StreamIdentifier() {}

    /**
     * True when the {@code length} bytes at {@code index} are exactly {@code value}'s characters.
     * Non-ASCII characters in {@code value} never match. Some senders pad the value with
     * trailing NUL bytes; those are ignored.
     */
    public static boolean equalsAscii(ByteBuf buf, int index, int length, String value) {
        int n = trimmedLength(buf, index, length);
        if (n != value.length()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if ((buf.getByte(index + i) & 0xFF) != value.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The identifier as a String (ISO-8859-1 decoded, trailing NULs dropped); allocates. */
    public static String read(ByteBuf buf, int index, int length) {
        int n = trimmedLength(buf, index, length);
        char[] chars = new char[n];
        for (int i = 0; i < n; i++) {
            chars[i] = (char) (buf.getByte(index + i) & 0xFF);
        }
        return new String(chars);
    }

    /** Writes {@code value}'s characters (ASCII expected) at {@code index}; returns the length. */
    public static int write(ByteBuf buf, int index, CharSequence value) {
        int n = value.length();
        for (int i = 0; i < n; i++) {
            buf.setByte(index + i, value.charAt(i));
        }
        return n;
    }

    /**
     * Adds or replaces element {@code id} with {@code value} in the packet
     * (see {@link RtpHeaderExtensions#add}); returns the data index or a negative ERR_ code.
     */
    public static int set(ByteBuf packet, int id, CharSequence value) {
        int index = RtpHeaderExtensions.add(packet, id, value.length());
        if (index >= 0) {
            write(packet, index, value);
        }
        return index;
    }

    private static int trimmedLength(ByteBuf buf, int index, int length) {
        int n = length;
        while (n > 0 && buf.getByte(index + n - 1) == 0) {
            n--;
        }
        return n;
    }
}
