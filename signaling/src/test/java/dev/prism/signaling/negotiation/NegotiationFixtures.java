package dev.prism.signaling.negotiation;

import dev.prism.sdp.Candidate;
import java.util.List;

final class NegotiationFixtures {
    static final String FINGERPRINT =
            "sha-256 0D:5A:91:C3:7E:22:B8:F4:19:6C:A0:3B:E5:48:D7:72:8F:01:C6:9E:34:AB:57:E2:10:FD:6B:83:C9:2E:74:A5";
    static final LocalTransportParams LOCAL = new LocalTransportParams("prsm", "p7Yq2LcV9xWb4Rk0Nz8Td3Jh", FINGERPRINT,
            List.of(Candidate.host("1", "192.0.2.10", 10000, 2130706431L)), true);

    private NegotiationFixtures() {}
}
