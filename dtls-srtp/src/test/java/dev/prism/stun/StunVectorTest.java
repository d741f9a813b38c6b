package dev.prism.stun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** RFC 5769 sample messages: parsed, verified, and (where the RFC gives every input) rebuilt byte for byte. */
class StunVectorTest {
    static final byte[] PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt".getBytes(StandardCharsets.US_ASCII);
    static final byte[] TRANSACTION = ByteBufUtil.decodeHexDump("b7e7a701bc34d686fa87dfae");

    // §2.1 sample request
    static final String REQUEST = "000100582112a442b7e7a701bc34d686fa87dfae802200105354554e207465737420636c69656e74"
            + "002400046e0001ff80290008932ff9b151263b36000600096576746a3a68367659202020000800149aeaa70cbfd8cb56781ef2b5"
            + "b2d3f249c1b571a280280004e57a3bcf";
    // §2.2 sample IPv4 response
    static final String RESPONSE_V4 = "0101003c2112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f722000200008"
            + "0001a147e112a643000800142b91f599fd9e90c38c7489f92af9ba53f06be7d780280004c07d4c96";
    // §2.3 sample IPv6 response
    static final String RESPONSE_V6 = "010100482112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f722000200014"
            + "0002a1470113a9faa5d3f179bc25f4b5bed2b9d900080014a382954e4be67bf11784c97c8292c275bfe3ed4180280004c8fb0b4c";

    static ByteBuf hex(String s) {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(s));
    }

    @Test
    void sampleRequestParsesAndVerifies() {
        ByteBuf m = hex(REQUEST);
        assertEquals(StunMessage.OK, StunMessage.validate(m));
        assertEquals(StunMessage.BINDING_REQUEST, StunMessage.type(m));
        assertEquals("evtj:h6vY", StunMessage.username(m));
        assertEquals(0x6e0001ffL, StunMessage.uint32(m, StunAttribute.PRIORITY));
        assertEquals(0x932ff9b151263b36L, StunMessage.uint64(m, StunAttribute.ICE_CONTROLLED, 0));
        assertTrue(StunMessage.verifyMessageIntegrity(m, PASSWORD));
        assertTrue(StunMessage.verifyFingerprint(m));
        assertFalse(StunMessage.verifyMessageIntegrity(m, "wrong".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void sampleRequestIsRebuiltByteForByte() {
        ByteBuf out = Unpooled.buffer();
        StunMessageWriter.start(out, StunMessage.BINDING_REQUEST, TRANSACTION, (byte) 0x20)
                .software("STUN test client")
                .priority(0x6e0001ffL)
                .iceControlled(0x932ff9b151263b36L)
                .username("evtj:h6vY")
                .messageIntegrity(PASSWORD)
                .fingerprint();
        assertEquals(REQUEST, ByteBufUtil.hexDump(out));
    }

    @Test
    void sampleIpv4ResponseParsesVerifiesAndRebuilds() throws Exception {
        ByteBuf m = hex(RESPONSE_V4);
        assertEquals(StunMessage.OK, StunMessage.validate(m));
        assertEquals(StunMessage.BINDING_SUCCESS, StunMessage.type(m));
        InetSocketAddress expected = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853);
        assertEquals(expected, StunMessage.xorMappedAddress(m));
        assertTrue(StunMessage.verifyMessageIntegrity(m, PASSWORD));
        assertTrue(StunMessage.verifyFingerprint(m));
        ByteBuf out = Unpooled.buffer();
        StunMessageWriter.start(out, StunMessage.BINDING_SUCCESS, TRANSACTION, (byte) 0x20)
                .software("test vector")
                .xorMappedAddress(expected)
                .messageIntegrity(PASSWORD)
                .fingerprint();
        assertEquals(RESPONSE_V4, ByteBufUtil.hexDump(out));
    }

    @Test
    void sampleIpv6ResponseParsesVerifiesAndRebuilds() throws Exception {
        ByteBuf m = hex(RESPONSE_V6);
        assertEquals(StunMessage.OK, StunMessage.validate(m));
        InetSocketAddress expected = new InetSocketAddress(
                InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853);
        assertEquals(expected, StunMessage.xorMappedAddress(m));
        assertTrue(StunMessage.verifyMessageIntegrity(m, PASSWORD));
        assertTrue(StunMessage.verifyFingerprint(m));
        ByteBuf out = Unpooled.buffer();
        StunMessageWriter.start(out, StunMessage.BINDING_SUCCESS, TRANSACTION, (byte) 0x20)
                .software("test vector")
                .xorMappedAddress(expected)
                .messageIntegrity(PASSWORD)
                .fingerprint();
        assertEquals(RESPONSE_V6, ByteBufUtil.hexDump(out));
    }

    @Test
    void errorResponseCarriesItsCode() {
        ByteBuf out = Unpooled.buffer();
        StunMessageWriter.start(out, StunMessage.BINDING_ERROR, TRANSACTION).errorCode(401, "Unauthorized").fingerprint();
        assertEquals(StunMessage.OK, StunMessage.validate(out));
        assertEquals(401, StunMessage.errorCode(out));
        assertTrue(StunMessage.verifyFingerprint(out));
    }

    @Test
    void malformedMessagesAreNamed() {
        assertEquals(StunMessage.ERR_TOO_SHORT, StunMessage.validate(hex(REQUEST.substring(0, 38))));
        ByteBuf badCookie = hex(REQUEST);
        badCookie.setInt(4, 0x2112A443);
        assertEquals(StunMessage.ERR_NOT_STUN, StunMessage.validate(badCookie));
        ByteBuf topBits = hex(REQUEST);
        topBits.setByte(0, 0x80);
        assertEquals(StunMessage.ERR_NOT_STUN, StunMessage.validate(topBits));
        ByteBuf truncated = hex(REQUEST.substring(0, REQUEST.length() - 8));
        assertEquals(StunMessage.ERR_BAD_LENGTH, StunMessage.validate(truncated));
        ByteBuf overrun = hex(REQUEST);
        overrun.setShort(22, 0x0100); // SOFTWARE claims 256 bytes
        assertEquals(StunMessage.ERR_ATTRIBUTE_OVERRUN, StunMessage.validate(overrun));
        ByteBuf badFingerprint = hex(REQUEST);
        badFingerprint.setByte(badFingerprint.writerIndex() - 1, 0);
        assertFalse(StunMessage.verifyFingerprint(badFingerprint));
        ByteBuf tamperedUsername = hex(REQUEST);
        tamperedUsername.setByte(64, 'X');
        assertFalse(StunMessage.verifyMessageIntegrity(tamperedUsername, PASSWORD));
    }
}
