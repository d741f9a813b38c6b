package dev.prism.stun;

import io.netty.buffer.ByteBuf;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Writes one STUN message (RFC 8489) into a buffer, attribute by attribute, keeping the header's
 * length field current so MESSAGE-INTEGRITY and FINGERPRINT can be computed over what is already
 * written. Call {@link #messageIntegrity} and then {@link #fingerprint} last.
 */
public final class StunMessageWriter {
    private final ByteBuf out;
    private final int start;
    private final byte padding;

    private StunMessageWriter(ByteBuf out, byte padding) {
        this.out = out;
        this.start = out.writerIndex();
        this.padding = padding;
    }

    /** Starts a message of {@code type} with the 12-byte {@code transactionId}. */
    public static StunMessageWriter start(ByteBuf out, int type, byte[] transactionId) {
        return start(out, type, transactionId, (byte) 0);
    }

    /** As {@link #start(ByteBuf, int, byte[])} with a chosen padding byte (RFC 5769 pads with spaces). */
    public static StunMessageWriter start(ByteBuf out, int type, byte[] transactionId, byte padding) {
        if (transactionId.length != 12) {
            throw new IllegalArgumentException("transaction id must be 12 bytes");
        }
        StunMessageWriter w = new StunMessageWriter(out, padding);
        out.writeShort(type).writeShort(0).writeInt(StunMessage.MAGIC_COOKIE).writeBytes(transactionId);
        return w;
    }

    /** Starts a response to {@code request}, reusing its transaction id. */
    public static StunMessageWriter response(ByteBuf out, int type, ByteBuf request) {
        byte[] id = new byte[12];
        StunMessage.transactionId(request, id, 0);
        return start(out, type, id);
    }

    public StunMessageWriter attribute(int type, byte[] value) {
        out.writeShort(type).writeShort(value.length).writeBytes(value);
        for (int i = value.length; (i & 3) != 0; i++) {
            out.writeByte(padding);
        }
        updateLength();
        return this;
    }

    public StunMessageWriter username(String username) {
        return attribute(StunAttribute.USERNAME, username.getBytes(StandardCharsets.UTF_8));
    }

    public StunMessageWriter software(String software) {
        return attribute(StunAttribute.SOFTWARE, software.getBytes(StandardCharsets.UTF_8));
    }

    public StunMessageWriter priority(long priority) {
        out.writeShort(StunAttribute.PRIORITY).writeShort(4).writeInt((int) priority);
        updateLength();
        return this;
    }

    public StunMessageWriter useCandidate() {
        out.writeShort(StunAttribute.USE_CANDIDATE).writeShort(0);
        updateLength();
        return this;
    }

    public StunMessageWriter iceControlling(long tieBreaker) {
        out.writeShort(StunAttribute.ICE_CONTROLLING).writeShort(8).writeLong(tieBreaker);
        updateLength();
        return this;
    }

    public StunMessageWriter iceControlled(long tieBreaker) {
        out.writeShort(StunAttribute.ICE_CONTROLLED).writeShort(8).writeLong(tieBreaker);
        updateLength();
        return this;
    }

    /** ERROR-CODE (§14.8): e.g. 401 "Unauthorized", 400 "Bad Request". */
    public StunMessageWriter errorCode(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[4 + text.length];
        value[2] = (byte) (code / 100);
        value[3] = (byte) (code % 100);
        System.arraycopy(text, 0, value, 4, text.length);
        return attribute(StunAttribute.ERROR_CODE, value);
    }

    /** XOR-MAPPED-ADDRESS (§14.2) of an IPv4 or IPv6 address. */
    public StunMessageWriter xorMappedAddress(InetSocketAddress address) {
        byte[] ip = address.getAddress().getAddress();
        boolean v4 = address.getAddress() instanceof Inet4Address;
        out.writeShort(StunAttribute.XOR_MAPPED_ADDRESS).writeShort(v4 ? 8 : 20);
        out.writeByte(0).writeByte(v4 ? 0x01 : 0x02);
        out.writeShort(address.getPort() ^ (StunMessage.MAGIC_COOKIE >>> 16));
        for (int i = 0; i < ip.length; i++) {
            out.writeByte(ip[i] ^ out.getByte(start + 4 + i)); // cookie, then transaction id
        }
        updateLength();
        return this;
    }

    /** MESSAGE-INTEGRITY (§14.5): HMAC-SHA1 keyed with the short-term password. */
    public StunMessageWriter messageIntegrity(byte[] key) {
        int attributeStart = out.writerIndex();
        out.setShort(start + 2, attributeStart + 24 - start - StunMessage.HEADER_LENGTH);
        byte[] message = new byte[attributeStart - start];
        out.getBytes(start, message);
        byte[] hmac;
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA1"));
            hmac = mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
        out.writeShort(StunAttribute.MESSAGE_INTEGRITY).writeShort(20).writeBytes(hmac);
        return this;
    }

    /** FINGERPRINT (§14.7); must be the last attribute. */
    public StunMessageWriter fingerprint() {
        int attributeStart = out.writerIndex();
        out.setShort(start + 2, attributeStart + 8 - start - StunMessage.HEADER_LENGTH);
        int crc = StunMessage.fingerprint(out, start, attributeStart - start);
        out.writeShort(StunAttribute.FINGERPRINT).writeShort(4).writeInt(crc);
        return this;
    }

    private void updateLength() {
        out.setShort(start + 2, out.writerIndex() - start - StunMessage.HEADER_LENGTH);
    }
}
