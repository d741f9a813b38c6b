package dev.prism.stun;

import dev.prism.demux.PacketClassifier;
import dev.prism.ice.IceLiteAgent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Assertions;

/** The STUN reader, classifier and ICE agent are total over random and mutated bytes. */
class StunFuzzProperties {
    private final IceLiteAgent agent = new IceLiteAgent("evtj", "VOkJxbRl1RmTxUk/WvJxBt", null, null);

    @Property
    void randomBytesNeverThrow(@ForAll @Size(max = 600) byte[] bytes) {
        exercise(Unpooled.wrappedBuffer(bytes));
    }

    @Property
    void mutatedSampleNeverThrows(@ForAll @Size(min = 1, max = 6) int[] positions, @ForAll byte value,
                                  @ForAll @IntRange(min = 0, max = 120) int cut) {
        ByteBuf m = StunVectorTest.hex(StunVectorTest.REQUEST);
        for (int p : positions) {
            m.setByte(Math.floorMod(p, m.readableBytes()), value);
        }
        m.writerIndex(Math.max(0, m.writerIndex() - cut));
        exercise(m);
    }

    private void exercise(ByteBuf m) {
        PacketClassifier.classify(m);
        IceLiteAgent.localUfragOf(m);
        ByteBuf response = Unpooled.buffer();
        int result = agent.handleBindingRequest(m, new InetSocketAddress("127.0.0.1", 5000), response, 1);
        Assertions.assertTrue(result != 0);
        if (StunMessage.validate(m) == StunMessage.OK) {
            StunMessage.username(m);
            StunMessage.xorMappedAddress(m);
            StunMessage.errorCode(m);
            StunMessage.verifyFingerprint(m);
            StunMessage.verifyMessageIntegrity(m, new byte[] {1});
            StunMessage.uint64(m, StunAttribute.ICE_CONTROLLING, 0);
        }
    }
}
