package dev.prism.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/** Totality: any text parses or throws SdpParseException; whatever parses round-trips through the writer. */
class SdpParserPropertyTest {

    @Property
    void randomTextOnlyThrowsSdpParseException(@ForAll("soup") String text) {
        check(text);
    }

    @Property
    void mutatedRealOffersOnlyThrowSdpParseException(@ForAll("mutated") String text) {
        Statistics.collect(check(text) ? "parsed" : "rejected");
        // Most single mutations keep the SDP valid: the round-trip branch must really be exercised.
        Statistics.coverage(c -> c.check("parsed").percentage(p -> p > 20.0));
    }

    private static boolean check(String text) {
        SessionDescription sd;
        try {
            sd = SdpParser.parse(text);
        } catch (SdpParseException expected) {
            return false;
        }
        assertEquals(sd, SdpParser.parse(SdpWriter.write(sd)));
        return true;
    }

    @Provide
    Arbitrary<String> soup() {
        Arbitrary<String> anyText = Arbitraries.strings().ofMaxLength(40);
        Arbitrary<String> sdpish = Arbitraries.strings().withChars("0123456789 :/;,=~*-.aAbcdefimnoprstuvxyz\r\n")
                .ofMaxLength(40);
        Arbitrary<String> attr = Combinators.combine(Arbitraries.of(ATTRIBUTES), sdpish)
                .as((a, v) -> "a=" + a + v);
        Arbitrary<String> line = Arbitraries.oneOf(attr, attr, sdpish.map(v -> "m=" + v),
                Combinators.combine(Arbitraries.of('v', 'o', 's', 't', 'c', 'b', 'i', 'k', 'z', 'q'), sdpish)
                        .as((t, v) -> t + "=" + v), anyText);
        return line.list().ofMaxSize(25).map(lines -> "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
                + String.join("\r\n", lines));
    }

    @Provide
    Arbitrary<String> mutated() {
        Arbitrary<String> fixture = Arbitraries.of(Fixtures.ALL).map(Fixtures::text);
        Arbitrary<Mutation> mutation = Combinators.combine(Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, 10_000), Arbitraries.integers().between(0, 10_000),
                Arbitraries.strings().ofMaxLength(8)).as(Mutation::new);
        return Combinators.combine(fixture, mutation.list().ofMinSize(1).ofMaxSize(4)).as((text, ms) -> {
            String t = text;
            for (Mutation m : ms) t = m.apply(t);
            return t;
        });
    }

    private record Mutation(int kind, int a, int b, String text) {
        String apply(String sdp) {
            List<String> lines = new ArrayList<>(Arrays.asList(sdp.split("\n", -1)));
            int i = a % lines.size();
            int j = b % lines.size();
            switch (kind) {
                case 0 -> lines.remove(i);
                case 1 -> lines.add(j, lines.get(i));
                case 2 -> {
                    String l = lines.get(i);
                    int at = l.isEmpty() ? 0 : b % l.length();
                    lines.set(i, l.substring(0, at) + text + l.substring(Math.min(l.length(), at + 1)));
                }
                case 3 -> {
                    String l = lines.get(i);
                    lines.set(i, l.substring(0, l.isEmpty() ? 0 : b % l.length()));
                }
                case 4 -> {
                    String l = lines.get(i);
                    lines.set(i, lines.get(j));
                    lines.set(j, l);
                }
                default -> {
                    String l = lines.get(i);
                    int colon = l.indexOf(':');
                    if (colon > 0) lines.set(i, l.substring(0, colon + 1) + text + " " + l.substring(colon + 1));
                }
            }
            return String.join("\n", lines);
        }
    }

    private static final String[] ATTRIBUTES = {"group:", "ice-lite", "ice-ufrag:", "ice-pwd:", "fingerprint:",
        "setup:", "mid:", "extmap:", "sendonly", "recvonly", "msid:", "rtcp-mux", "rtcp-rsize", "rtpmap:", "fmtp:",
        "rtcp-fb:", "rid:", "simulcast:", "ssrc:", "ssrc-group:", "candidate:", "end-of-candidates", "x:", ""};
}
