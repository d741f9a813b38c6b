package dev.prism.sfu.room;

import dev.prism.dtls.DtlsCertificate;
import dev.prism.dtls.DtlsSrtpKeys;
import dev.prism.rtp.codec.Vp8PayloadDescriptor;
import dev.prism.sfu.transport.PeerTransport;
import dev.prism.sfu.transport.TransportCounters;
import dev.prism.sfu.transport.TransportListener;
import dev.prism.sfu.worker.MediaWorker;
import dev.prism.srtp.SrtpProfile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * The forwarding core without the socket (DESIGN.md steps 4 to 6): one published VP8 track
 * receives a 1,200-byte packet, caches it for NACKs, checks for gaps, and fans it out to
 * {@code subscribers} down-tracks, each of which copies it into a send buffer, rewrites SSRC,
 * sequence number, timestamp, picture id and the transport-wide sequence number, records it for
 * its bandwidth estimate and NACK mapping, and SRTP-protects it for its own transport. The
 * worker's send is replaced by a release: this measures Prism's code, not the kernel or Netty's
 * outbound path. One operation is one published packet; divide by {@code subscribers} for the
 * cost per forwarded packet. Run with {@code -prof gc}: the forwarding core should allocate
 * nothing per packet (pooled buffers only).
 *
 * <p>It lives in {@code dev.prism.sfu.room} to build the room's package-private parts directly,
 * as the tests beside them do; the transports get their SRTP keys without a DTLS handshake
 * ({@link PeerTransport#connectWithoutHandshake}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// As the server runs: on a Netty FastThreadLocalThread like a media worker's (see MediaThreadExecutor),
// without Netty's sampling leak detector (api's Main turns it off unless asked).
@Fork(value = 1, jvmArgsAppend = {"-Djmh.executor=CUSTOM", "-Djmh.executor.class=dev.prism.bench.MediaThreadExecutor",
        "-Dio.netty.leakDetection.level=disabled"})
public class ForwardingBenchmark {
    private static final int PACKET_SIZE = 1200;
    private static final int PACKETS_PER_FRAME = 7;
    private static final int TWCC_ID = 3;
    private static final long PUBLISHER_SSRC = 0x11223344L;

    @Param({"1", "100"})
    public int subscribers;

    @Param({"AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"})
    public String profile;

    /**
     * Memory swept (read and written, one byte per cache line) after each published packet, as the
     * server's own work between two packets evicts the caches: its {@code sendmmsg} copies every
     * datagram into kernel buffers and walks each recipient's socket, and other peers' RTCP runs.
     * 0 measures with hot caches; {@link #evictionOnly} measures the sweep alone, to subtract.
     */
    @Param({"0"})
    public int evictKiB;

    /** Where received packets come from (a worker's read) and where subscribers' copies go (its send buffers). */
    private final ByteBufAllocator receiveAlloc = PooledByteBufAllocator.DEFAULT;
    private ByteBufAllocator sendAlloc;
    private final TransportCounters counters = new TransportCounters();
    private final List<PeerTransport> transports = new ArrayList<>();
    private PublishedTrack track;
    private ByteBuf template;
    private int seq = 1000;
    private long timestamp = 90_000;
    private int pictureId = 100;
    private int inFrame;
    /** Datagrams the fake worker was given: checked at the end so the work cannot be optimised away. */
    private long sent;
    /** Datagrams of the current packet's fan-out, released together as the worker's flush would. */
    private ByteBuf[] inFlight = new ByteBuf[64];
    private int inFlightCount;
    private byte[] evict;
    private int evictSum;

    /** The worker, minus its socket: a datagram handed to it is held until the fan-out ends, then released. */
    private final class ReleasingHost implements PeerTransport.TransportHost {
        @Override
        public void send(ByteBuf datagram, InetSocketAddress to) {
            sent++;
            if (inFlightCount == inFlight.length) {
                inFlight = Arrays.copyOf(inFlight, inFlight.length * 2);
            }
            inFlight[inFlightCount++] = datagram;
        }

        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public void bindAddress(PeerTransport transport, InetSocketAddress address) {}

        @Override
        public ByteBufAllocator alloc() {
            return sendAlloc;
        }

        @Override
        public long nowMillis() {
            return System.currentTimeMillis();
        }
    }

    private static final TransportListener IGNORING = new TransportListener() {
        @Override
        public void onRtp(PeerTransport transport, ByteBuf packet) {}

        @Override
        public void onRtcp(PeerTransport transport, ByteBuf packet) {}

        @Override
        public void onConnected(PeerTransport transport) {}

        @Override
        public void onClosed(PeerTransport transport, String reason) {}
    };

    @Setup(Level.Trial)
    public void setUp() {
        sendAlloc = MediaWorker.sendAllocatorForThisThread(); // JMH sets up on the thread that measures
        evict = new byte[evictKiB * 1024];
        SrtpProfile srtp = SrtpProfile.valueOf(profile);
        DtlsCertificate certificate = DtlsCertificate.generate();
        ReleasingHost host = new ReleasingHost();
        PeerTransport publisher = transport("publisher", certificate, host, srtp);
        track = new PublishedTrack(new PublishedTrackSpec("video", "stream", "video", PUBLISHER_SSRC, 0, 96, -1, "VP8",
                90_000, 0, "", List.of("nack", "nack pli", "transport-cc"), TWCC_ID), publisher, 1, counters);
        for (int i = 0; i < subscribers; i++) {
            PeerTransport subscriber = transport("subscriber-" + i, certificate, host, srtp);
            Downlink downlink = new Downlink(subscriber, TWCC_ID);
            track.addDownTrack(subscriber, downlink, new DownTrackSpec("video", 0x5000 + i, 96, 0x6000 + i, 97, TWCC_ID));
        }
        template = receiveAlloc.directBuffer(PACKET_SIZE);
        template.writeByte(0x90).writeByte(96).writeShort(0).writeInt(0).writeInt((int) PUBLISHER_SSRC);
        template.writeShort(0xBEDE).writeShort(1); // RFC 8285 one-byte form, one word:
        template.writeByte(TWCC_ID << 4 | 1).writeShort(0).writeByte(0); // the publisher's transport-wide number
        Vp8PayloadDescriptor.write(template, true, 0, 0, true, 0, 0, false);
        template.writeZero(PACKET_SIZE - template.writerIndex());
        forward(true); // a key frame first: the down-tracks start on it
    }

    private PeerTransport transport(String id, DtlsCertificate certificate, ReleasingHost host, SrtpProfile srtp) {
        PeerTransport t = new PeerTransport(id, id, "password-of-" + id + "-0123456789", null, certificate, host,
                IGNORING, counters, Runnable::run, 10_000);
        byte[] key = new byte[srtp.keyLength()];
        byte[] salt = new byte[srtp.saltLength()];
        key[0] = (byte) transports.size();
        t.connectWithoutHandshake(new DtlsSrtpKeys(srtp, key, salt, key.clone(), salt.clone()), true,
                new InetSocketAddress("127.0.0.1", 40_000 + transports.size()));
        transports.add(t);
        return t;
    }

    /** One published packet, received into a fresh pooled buffer as the worker's read would. */
    @Benchmark
    public int publishedPacket() {
        forward(false);
        return sweep();
    }

    /** The cache sweep alone (0 when {@code evictKiB} is 0): subtract it from {@link #publishedPacket}. */
    @Benchmark
    public int evictionOnly() {
        return sweep();
    }

    private int sweep() {
        byte[] e = evict;
        int sum = evictSum;
        for (int i = 0; i < e.length; i += 64) {
            sum += e[i];
            e[i] = (byte) sum;
        }
        evictSum = sum;
        return sum;
    }

    private void forward(boolean keyFrame) {
        ByteBuf packet = receiveAlloc.directBuffer(PACKET_SIZE + PeerTransport.SRTP_OVERHEAD);
        packet.writeBytes(template, template.readerIndex(), template.readableBytes());
        boolean start = inFrame == 0;
        packet.setShort(2, seq).setInt(4, (int) timestamp).setShort(17, seq);
        if (inFrame == PACKETS_PER_FRAME - 1) {
            packet.setByte(1, 0x80 | 96); // marker: the frame's last packet
        }
        // Descriptor: X, S on a frame's first packet; I with a 15-bit picture id; L (TL0PICIDX); T (TID 0).
        int vp8 = 20;
        packet.setByte(vp8, 0x80 | (start ? 0x10 : 0));
        packet.setShort(vp8 + 2, 0x8000 | pictureId);
        packet.setByte(vp8 + 6, keyFrame && start ? 0x00 : 0x01); // VP8 payload header: P = 0 on a key frame
        track.onPacket(packet, 0, false, System.currentTimeMillis());
        packet.release();
        for (int i = 0; i < inFlightCount; i++) {
            inFlight[i].release();
            inFlight[i] = null;
        }
        inFlightCount = 0;
        seq = (seq + 1) & 0xFFFF;
        if (++inFrame == PACKETS_PER_FRAME) {
            inFrame = 0;
            timestamp = (timestamp + 3000) & 0xFFFFFFFFL;
            pictureId = (pictureId + 1) & 0x7FFF;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        long expected = subscribers; // at least one per subscriber per operation, beyond the set-up
        if (sent < expected || counters.srtpSendRefused.sum() > 0) {
            throw new IllegalStateException("forwarding did not happen: " + sent + " datagrams, "
                    + counters.srtpSendRefused.sum() + " refused");
        }
        for (PeerTransport t : transports) {
            t.close("benchmark over");
        }
        track.release();
        template.release();
    }
}
