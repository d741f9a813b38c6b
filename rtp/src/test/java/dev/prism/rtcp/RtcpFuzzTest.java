package dev.prism.rtcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The reader and every accessor it guards are total: random bytes and mutated valid compounds
 * never throw (RtcpBytes.exercise touches every accessor of every yielded packet).
 */
class RtcpFuzzTest {

    @Property
    void randomBytesNeverThrow(@ForAll @Size(max = 300) byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            RtcpBytes.exercise(buf);
        } finally {
            buf.release();
        }
    }

    /** Random bytes behind a valid first header, so the walk reaches the type-specific checks. */
    @Property
    void randomBodiesNeverThrow(@ForAll @IntRange(min = 200, max = 206) int type, @ForAll @IntRange(max = 31) int count,
                                @ForAll boolean padding, @ForAll @Size(max = 120) byte[] body) {
        ByteBuf buf = Unpooled.buffer();
        try {
            int length = (body.length + 4 + 3) & ~3;
            RtcpHeader.write(buf, padding, count, type, length);
            buf.writeBytes(body);
            buf.writeZero(length - 4 - body.length);
            RtcpBytes.exercise(buf);
        } finally {
            buf.release();
        }
    }

    @Property
    void mutatedCompoundsNeverThrow(@ForAll @Size(min = 1, max = 8) List<@IntRange(max = 100_000) Integer> positions,
                                    @ForAll @Size(min = 8, max = 8) byte[] values,
                                    @ForAll @IntRange(max = 64) int cut) {
        ByteBuf buf = validCompound();
        try {
            int size = buf.readableBytes();
            for (int i = 0; i < positions.size(); i++) {
                buf.setByte(positions.get(i) % size, values[i]);
            }
            if (cut > 0) {
                buf.writerIndex(size - cut); // also truncated compounds
            }
            RtcpBytes.exercise(buf);
        } finally {
            buf.release();
        }
    }

    /** One of each type, as an SFU might receive them. */
    static ByteBuf validCompound() {
        ByteBuf buf = Unpooled.buffer(512);
        SenderReport.write(buf, 1, 2, 3, 4, 5, 1);
        ReportBlock.write(buf, 6, 7, -8, 9, 10, 11, 12);
        ReceiverReport.write(buf, 1, 1);
        ReportBlock.write(buf, 6, 7, 8, 9, 10, 11, 12);
        SourceDescription.writeCname(buf, 1, "fuzz@prism");
        TransportLayerNack.write(buf, 1, 2, new int[] {5, 7, 30, 65535, 2}, 5);
        PictureLossIndication.write(buf, 1, 2);
        FullIntraRequest.write(buf, 1, 2, 3);
        ReceiverEstimatedMaximumBitrate.write(buf, 1, 2_000_000, new int[] {2, 3}, 2);
        TransportLayerCcWriter twcc = new TransportLayerCcWriter(64);
        twcc.reset(1, 2, 65530, 100, 0);
        long t = 100 * 64_000L;
        for (int i = 0; i < 40; i++) {
            t += (i % 5 == 0) ? 90_000 : 1_000;
            if (i % 7 != 3) {
                twcc.add(65530 + i, t);
            }
        }
        twcc.write(buf);
        Goodbye.write(buf, new int[] {1}, 1, "bye");
        return buf;
    }
}
