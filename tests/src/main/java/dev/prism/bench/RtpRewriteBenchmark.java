package dev.prism.bench;

import dev.prism.rtp.RtpPacket;
import dev.prism.rtp.TransportSequenceNumber;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-subscriber rewrite of the forwarding path (DESIGN.md, step 6): validate, then rewrite
 * SSRC, sequence number, timestamp and the transport-wide sequence number extension of a
 * 1,200-byte RTP packet held in a pooled direct buffer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RtpRewriteBenchmark {
    private static final int TWCC_ID = 3;
    private ByteBuf packet;
    private int seq;
    private long timestamp;

    @Setup
    public void setUp() {
        packet = PooledByteBufAllocator.DEFAULT.directBuffer(1500);
        packet.writeByte(0x90);            // V=2, X=1
        packet.writeByte(96);              // PT 96
        packet.writeShort(1000);           // sequence number
        packet.writeInt(90_000);           // timestamp
        packet.writeInt(0x11223344);       // SSRC
        packet.writeShort(0xBEDE);         // RFC 8285 one-byte form
        packet.writeShort(3);              // 3 words
        packet.writeByte(0x22);            // id 2, abs-send-time, 3 bytes
        packet.writeMedium(0x123456);
        packet.writeByte(0x10);            // id 1, audio level... (any 1-byte element)
        packet.writeByte(0x7f);
        packet.writeByte(TWCC_ID << 4 | 1); // transport-wide seq, 2 bytes
        packet.writeShort(0);
        packet.writeZero(3);               // padding to the word
        packet.writeZero(1200 - packet.writerIndex());
        if (RtpPacket.validate(packet) < 0) {
            throw new IllegalStateException("benchmark packet invalid");
        }
    }

    @TearDown
    public void tearDown() {
        packet.release();
    }

    @Benchmark
    public int rewriteHeaderAndTransportSequence() {
        ByteBuf buf = packet;
        if (RtpPacket.validate(buf) < 0) {
            return -1;
        }
        int s = seq = (seq + 1) & 0xFFFF;
        timestamp += 3000;
        RtpPacket.setSsrc(buf, 0x55667788);
        RtpPacket.setSequenceNumber(buf, s);
        RtpPacket.setTimestamp(buf, timestamp);
        return TransportSequenceNumber.rewrite(buf, TWCC_ID, s) ? s : -2;
    }
}
