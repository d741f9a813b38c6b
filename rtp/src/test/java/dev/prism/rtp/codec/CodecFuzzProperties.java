package dev.prism.rtp.codec;

import dev.prism.rtp.Hex;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Random and mutated payloads never make the codec parsers throw. */
class CodecFuzzProperties {
    static final List<byte[]> VALID = List.of(
            Hex.bytes(CodecPayloadTest.VP8_FULL),
            Hex.bytes(CodecPayloadTest.VP8_SHORT_PID),
            Hex.bytes(CodecPayloadTest.VP9_KEY),
            Hex.bytes("78 0002 6742 0002 68ce 0002 6588"),
            Hex.bytes("08 02 0a 00 32"));

    @Provide
    static Arbitrary<byte[]> payloads() {
        Arbitrary<byte[]> mutated = Arbitraries.of(VALID).flatMap(base -> Combinators.combine(
                Arbitraries.integers().between(0, base.length - 1).list().ofMaxSize(3),
                Arbitraries.bytes().list().ofSize(3),
                Arbitraries.integers().between(0, base.length))
                .as((positions, values, keep) -> {
                    byte[] copy = base.clone();
                    for (int i = 0; i < positions.size(); i++) {
                        copy[positions.get(i)] = values.get(i);
                    }
                    return java.util.Arrays.copyOf(copy, keep);
                }));
        return Arbitraries.oneOf(mutated, Arbitraries.bytes().array(byte[].class).ofMaxSize(40));
    }

    @Property
    void vp8NeverThrows(@ForAll("payloads") byte[] bytes, @ForAll int pictureId) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            int n = bytes.length;
            new Vp8PayloadDescriptor().parse(buf, 0, n);
            Vp8PayloadDescriptor.isKeyFrame(buf, 0, n);
            Vp8PayloadDescriptor.setPictureId(buf, 0, n, pictureId);
            Vp8PayloadDescriptor.setTl0PicIdx(buf, 0, n, pictureId);
        } finally {
            buf.release();
        }
    }

    @Property
    void vp9NeverThrows(@ForAll("payloads") byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            Vp9PayloadDescriptor d = new Vp9PayloadDescriptor();
            int len = d.parse(buf, 0, bytes.length);
            if (len >= 0 && Vp9PayloadDescriptor.isKeyFrame(buf, 0, bytes.length) != d.keyFrame()) {
                throw new AssertionError("static and parsed key frame flags differ");
            }
        } finally {
            buf.release();
        }
    }

    @Property
    void h264NeverThrows(@ForAll("payloads") byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            H264Payload.isKeyFrame(buf, 0, bytes.length);
            H264Payload.nalType(buf, 0, bytes.length);
        } finally {
            buf.release();
        }
    }

    @Property
    void av1NeverThrows(@ForAll("payloads") byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            Av1Payload.isKeyFrame(buf, 0, bytes.length);
        } finally {
            buf.release();
        }
    }

    @Property
    void vp8ParseAgreesWithStaticHelpers(@ForAll("payloads") @Size(min = 1) byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            Vp8PayloadDescriptor d = new Vp8PayloadDescriptor();
            int n = d.parse(buf, 0, bytes.length);
            int m = Vp8PayloadDescriptor.descriptorLength(buf, 0, bytes.length);
            if (n != m || (n >= 0 && d.keyFrame() != Vp8PayloadDescriptor.isKeyFrame(buf, 0, bytes.length))) {
                throw new AssertionError("parse " + n + " vs descriptorLength " + m);
            }
        } finally {
            buf.release();
        }
    }
}
