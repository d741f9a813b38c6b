package dev.prism.bench;

import dev.prism.srtp.SrtpContext;
import dev.prism.srtp.SrtpProfile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SRTP protect and unprotect of a 1,200-byte RTP packet in a pooled direct buffer, as the
 * forwarding path does it (DESIGN.md steps 3 and 6). Both include copying the packet into the
 * working buffer (the forwarding path copies per subscriber too): protect needs a fresh
 * sequence number each time (GCM refuses to reuse an IV), unprotect a packet not yet seen.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SrtpBenchmark {
    private static final int PACKET = 1200;
    private static final int PREPARED = 4096;

    @Param({"AES_CM_128_HMAC_SHA1_80", "AEAD_AES_128_GCM"})
    public SrtpProfile profile;

    /**
     * Senders {@link #protect} takes turns with, each under its own key into its own buffer, as a
     * fan-out to that many subscribers does: 1 keeps one context's state in the L1 cache, more do
     * not (session 21: 430 ns at 1, 440 at 64, 465 at 512). Unprotect ignores it.
     */
    @Param({"1", "64"})
    public int contexts;

    private byte[] key;
    private byte[] salt;
    private SrtpContext[] senders;
    private ByteBuf[] sendBuffers;
    private int turn;
    private SrtpContext receiver;
    private ByteBuf plain;
    private ByteBuf work;
    private ByteBuf[] prepared;
    private int seq;
    private int next;

    @Setup
    public void setUp() {
        Random random = new Random(1);
        key = new byte[profile.keyLength()];
        salt = new byte[profile.saltLength()];
        random.nextBytes(key);
        random.nextBytes(salt);
        senders = new SrtpContext[contexts];
        sendBuffers = new ByteBuf[contexts];
        for (int i = 0; i < contexts; i++) {
            byte[] own = key.clone();
            own[0] ^= (byte) i;
            own[1] ^= (byte) (i >>> 8);
            senders[i] = SrtpContext.create(profile, own, salt);
            sendBuffers[i] = PooledByteBufAllocator.DEFAULT.directBuffer(1500);
        }
        receiver = SrtpContext.create(profile, key, salt);
        plain = PooledByteBufAllocator.DEFAULT.directBuffer(PACKET);
        plain.writeByte(0x90).writeByte(96).writeShort(0).writeInt(90_000).writeInt(0x11223344);
        plain.writeShort(0xBEDE).writeShort(1).writeByte(0x31).writeShort(0).writeByte(0);
        while (plain.writerIndex() < PACKET) {
            plain.writeByte(random.nextInt());
        }
        work = PooledByteBufAllocator.DEFAULT.directBuffer(1500);
        SrtpContext preparer = SrtpContext.create(profile, key, salt);
        prepared = new ByteBuf[PREPARED];
        for (int i = 0; i < PREPARED; i++) {
            prepared[i] = PooledByteBufAllocator.DEFAULT.directBuffer(1500);
            prepared[i].writeBytes(plain, 0, PACKET);
            prepared[i].setShort(2, i);
            if (preparer.protectRtp(prepared[i]) != SrtpContext.OK) {
                throw new IllegalStateException("protect failed");
            }
        }
    }

    @TearDown
    public void tearDown() {
        plain.release();
        work.release();
        for (ByteBuf b : sendBuffers) {
            b.release();
        }
        for (ByteBuf b : prepared) {
            b.release();
        }
    }

    @Benchmark
    public int protect() {
        int t = turn;
        turn = t + 1 == contexts ? 0 : t + 1;
        if (t == 0) {
            seq = (seq + 1) & 0xFFFF; // each sender sees every sequence number once, in order
        }
        ByteBuf w = sendBuffers[t];
        w.clear().writeBytes(plain, 0, PACKET);
        w.setShort(2, seq);
        return check(senders[t].protectRtp(w));
    }

    @Benchmark
    public int unprotect() {
        if (next == PREPARED) {
            // Every prepared index has been seen: start a new receiver (1 in 4096 calls).
            next = 0;
            receiver = SrtpContext.create(profile, key, salt);
        }
        ByteBuf src = prepared[next++];
        ByteBuf w = work;
        w.clear().writeBytes(src, 0, src.writerIndex());
        return check(receiver.unprotectRtp(w));
    }

    private static int check(int result) {
        if (result != SrtpContext.OK) {
            throw new IllegalStateException("SRTP failed: " + result);
        }
        return result;
    }
}
