package dev.prism.srtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Assertions;

/** Unprotect is total: random and mutated bytes give an error code, never an exception or success. */
class SrtpFuzzProperties {
    private final SrtpContext[] gcm = SrtpContextTest.pair(SrtpProfile.AEAD_AES_128_GCM);
    private final SrtpContext[] cm = SrtpContextTest.pair(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
    private int seq;

    @Property
    void randomBytesNeverThrowNorAuthenticate(@ForAll @Size(max = 1500) byte[] bytes) {
        for (SrtpContext ctx : new SrtpContext[] {gcm[1], cm[1]}) {
            Assertions.assertTrue(ctx.unprotectRtp(Unpooled.wrappedBuffer(bytes.clone())) < 0);
            Assertions.assertTrue(ctx.unprotectRtcp(Unpooled.wrappedBuffer(bytes.clone())) < 0);
        }
    }

    @Property
    void mutatedPacketsAreRejected(@ForAll @Size(min = 1, max = 8) int[] positions, @ForAll byte xor) {
        if (xor == 0) {
            return;
        }
        for (SrtpContext[] p : new SrtpContext[][] {gcm, cm}) {
            ByteBuf wire = SrtpContextTest.protect(p[0], SrtpContextTest.rtp(seq++ & 0xFFFF, 0, 64), false);
            byte[] original = io.netty.buffer.ByteBufUtil.getBytes(wire);
            for (int position : positions) {
                int at = Math.floorMod(position, wire.readableBytes());
                wire.setByte(at, wire.getByte(at) ^ xor);
            }
            boolean changed = !java.util.Arrays.equals(original, io.netty.buffer.ByteBufUtil.getBytes(wire));
            int result = p[1].unprotectRtp(wire);
            // Flips of the same byte may cancel out; any real change must fail authentication or parsing.
            if (changed) {
                Assertions.assertTrue(result < 0, "mutated packet accepted");
            } else {
                Assertions.assertEquals(SrtpContext.OK, result);
            }
        }
    }
}
