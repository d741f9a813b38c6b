package dev.prism.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.stun.StunMessage;
import dev.prism.stun.StunMessageWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class IceLiteAgentTest {
    private static final String LOCAL_UFRAG = "srv1";
    private static final String LOCAL_PWD = "0123456789abcdefghijklmn";
    private static final String REMOTE_UFRAG = "cli9";
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 50000);
    private static final InetSocketAddress PEER_V6 = new InetSocketAddress("::1", 50001);

    /** A connectivity check as Chromium sends it. */
    static ByteBuf check(String username, String pwd, boolean useCandidate, boolean fingerprint) {
        byte[] id = new byte[12];
        ThreadLocalRandom.current().nextBytes(id);
        ByteBuf out = Unpooled.buffer();
        StunMessageWriter w = StunMessageWriter.start(out, StunMessage.BINDING_REQUEST, id)
                .username(username).priority(1853824767).iceControlling(0x1234567890L);
        if (useCandidate) {
            w.useCandidate();
        }
        w.messageIntegrity(pwd.getBytes(StandardCharsets.UTF_8));
        if (fingerprint) {
            w.fingerprint();
        }
        return out;
    }

    private static IceLiteAgent agent() {
        return new IceLiteAgent(LOCAL_UFRAG, LOCAL_PWD, REMOTE_UFRAG, "remote-password-unused-by-lite");
    }

    @Test
    void validCheckIsAnsweredWithAnAuthenticatedResponse() {
        IceLiteAgent agent = agent();
        ByteBuf request = check("srv1:cli9", LOCAL_PWD, false, true);
        assertEquals(LOCAL_UFRAG, IceLiteAgent.localUfragOf(request));
        ByteBuf response = Unpooled.buffer();
        assertEquals(IceLiteAgent.RESPONDED, agent.handleBindingRequest(request, PEER, response, 1000));
        assertEquals(StunMessage.OK, StunMessage.validate(response));
        assertEquals(StunMessage.BINDING_SUCCESS, StunMessage.type(response));
        assertEquals(PEER, StunMessage.xorMappedAddress(response));
        assertTrue(StunMessage.verifyMessageIntegrity(response, LOCAL_PWD.getBytes(StandardCharsets.UTF_8)));
        assertTrue(StunMessage.verifyFingerprint(response));
        byte[] a = new byte[12];
        byte[] b = new byte[12];
        StunMessage.transactionId(request, a, 0);
        StunMessage.transactionId(response, b, 0);
        assertEquals(new String(a, StandardCharsets.ISO_8859_1), new String(b, StandardCharsets.ISO_8859_1));
        assertEquals(PEER, agent.selectedAddress());
        assertFalse(agent.nominated());
        assertEquals(1000, agent.lastConsentMillis());
    }

    @Test
    void useCandidateNominatesAndPinsTheAddress() {
        IceLiteAgent agent = agent();
        assertEquals(IceLiteAgent.RESPONDED_NOMINATED,
                agent.handleBindingRequest(check("srv1:cli9", LOCAL_PWD, true, true), PEER_V6, Unpooled.buffer(), 5));
        assertTrue(agent.nominated());
        assertEquals(PEER_V6, agent.selectedAddress());
        ByteBuf response = Unpooled.buffer();
        agent.handleBindingRequest(check("srv1:cli9", LOCAL_PWD, false, true), PEER, response, 6);
        assertEquals(PEER_V6, agent.selectedAddress(), "an unnominated check does not move a nominated pair");
        assertEquals(PEER, StunMessage.xorMappedAddress(response), "but it is answered with its own address");
        agent.handleBindingRequest(check("srv1:cli9", LOCAL_PWD, true, true), PEER, Unpooled.buffer(), 7);
        assertEquals(PEER, agent.selectedAddress(), "a new nomination moves it");
    }

    @Test
    void badCredentialsAreDroppedWithoutAResponse() {
        IceLiteAgent agent = agent();
        ByteBuf response = Unpooled.buffer();
        assertEquals(IceLiteAgent.DROPPED_BAD_CREDENTIALS,
                agent.handleBindingRequest(check("srv1:cli9", "not-the-password", true, true), PEER, response, 1));
        assertEquals(IceLiteAgent.DROPPED_BAD_CREDENTIALS,
                agent.handleBindingRequest(check("srv2:cli9", LOCAL_PWD, true, true), PEER, response, 1));
        assertEquals(IceLiteAgent.DROPPED_BAD_CREDENTIALS,
                agent.handleBindingRequest(check("srv1:other", LOCAL_PWD, true, true), PEER, response, 1));
        assertEquals(IceLiteAgent.DROPPED_BAD_CREDENTIALS,
                agent.handleBindingRequest(check("srv1", LOCAL_PWD, true, true), PEER, response, 1));
        assertEquals(IceLiteAgent.DROPPED_MALFORMED,
                agent.handleBindingRequest(check("srv1:cli9", LOCAL_PWD, true, false), PEER, response, 1),
                "FINGERPRINT is mandatory");
        assertEquals(0, response.readableBytes());
        assertNull(agent.selectedAddress());
        assertEquals(0, agent.lastConsentMillis());
    }

    @Test
    void unknownRemoteUfragAcceptsAnyRemotePart() {
        IceLiteAgent agent = new IceLiteAgent(LOCAL_UFRAG, LOCAL_PWD, null, null);
        assertEquals(IceLiteAgent.RESPONDED,
                agent.handleBindingRequest(check("srv1:whatever", LOCAL_PWD, false, true), PEER, Unpooled.buffer(), 1));
    }

    @Test
    void responsesAndGarbageAreNotRequests() {
        IceLiteAgent agent = agent();
        ByteBuf response = Unpooled.buffer();
        agent.handleBindingRequest(check("srv1:cli9", LOCAL_PWD, false, true), PEER, response, 1);
        assertEquals(IceLiteAgent.DROPPED_NOT_REQUEST, agent.handleBindingRequest(response, PEER, Unpooled.buffer(), 2));
        assertNull(IceLiteAgent.localUfragOf(response));
        assertEquals(IceLiteAgent.DROPPED_MALFORMED,
                agent.handleBindingRequest(Unpooled.wrappedBuffer(new byte[] {0, 1, 0, 0}), PEER, Unpooled.buffer(), 2));
    }

    @Test
    void consentExpiresThirtySecondsAfterTheLastValidCheck() {
        IceLiteAgent agent = agent();
        assertFalse(agent.consentExpired(100_000), "no check yet: the transport's own deadline applies");
        agent.handleBindingRequest(check("srv1:cli9", LOCAL_PWD, false, true), PEER, Unpooled.buffer(), 10_000);
        assertFalse(agent.consentExpired(40_000));
        assertTrue(agent.consentExpired(40_001));
    }
}
