package dev.prism.sfu.worker;

import dev.prism.srtp.SrtpContext;
import dev.prism.srtp.SrtpProfile;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledUnsafeDirectByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The kernel's share of a forwarded packet on this machine, measured as a media worker sends: an
 * event loop on one CPU hands fan-outs of datagrams to N loopback sockets, with the worker's own
 * {@code sendmmsg} batches ({@link SendmmsgBatch}, {@link DatagramSender#FLUSH_BATCH} at a time),
 * at the rate a server forwards to N viewers of the benchmark's publisher; another event loop,
 * on another CPU, reads the N sockets as the load tool's viewers do. The sending loop's CPU time
 * per datagram is what no SFU on this machine pays less than for the same packets: no RTP, no
 * crypto, no copy, only the system call and, on loopback, the receive the kernel runs on the
 * sender's core. {@code bench/run.sh} measures it beside the servers, so that a slower or busier
 * host's figures are read against that host's own floor (the "about 4 µs per packet" was
 * one day's host; sessions 17 to 22 saw the same build's cost per packet vary by 1.6 ×).
 *
 * <p>It lives in the worker's package to send exactly as the worker does. Linux, Java 22+ (the
 * FFM downcall {@link SendmmsgBatch} makes), epoll. Bounded: one run of {@code --seconds}.
 */
@Command(name = "send-floor", mixinStandardHelpOptions = true,
        description = "CPU per datagram of the worker's sendmmsg fan-out to loopback sockets, with nothing else to do")
public final class SendFloor implements Callable<Integer> {

    /** Published packets a second the benchmark's viewers receive (top layer ~212, Opus 50). */
    static final int BENCHMARK_PACKETS_PER_SECOND = 262;

    @Option(names = "--receivers", defaultValue = "100", description = "receiving sockets (viewers) (default ${DEFAULT-VALUE})")
    int receivers;

    @Option(names = "--fanouts", defaultValue = "" + BENCHMARK_PACKETS_PER_SECOND,
            description = "fan-outs a second, each one datagram to every receiver (default ${DEFAULT-VALUE})")
    int fanoutsPerSecond;

    @Option(names = "--size", defaultValue = "1200", description = "datagram bytes (default ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--seconds", defaultValue = "10", description = "measured seconds (default ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--warmup", defaultValue = "3", description = "seconds sent before the measured window (default ${DEFAULT-VALUE})")
    double warmup;

    @Option(names = "--sender-cpu", defaultValue = "-1", description = "CPU to pin the sending loop to (-1: not pinned)")
    int senderCpu;

    @Option(names = "--receiver-cpu", defaultValue = "-1", description = "CPU to pin the receiving loop to (-1: not pinned)")
    int receiverCpu;

    @Option(names = "--json", description = "print the result as one JSON line too")
    boolean json;

    @Option(names = "--srtp", description = "also do an SFU's per-subscriber data work: copy the shared packet into the "
            + "slot's buffer, give it the receiver's SSRC and sequence number, SRTP-protect it (AES-128-GCM) under the "
            + "receiver's own key; the floor plus what that work costs in the fan-out")
    boolean srtp;

    @Option(names = "--prefetch", description = "with --srtp: before each batch, read the next batch's SRTP state "
            + "(SrtpContext.prefetchRtp), so that its cache misses overlap")
    boolean prefetch;

    @Option(names = "--srtp-contexts", defaultValue = "0", description = "with --srtp: distinct SRTP contexts (keys) the "
            + "receivers take in turn (0: one each, as an SFU's subscribers have)")
    int srtpContexts;

    /** One run's figures over the measured window. */
    record Result(int receivers, int fanoutsPerSecond, int size, double seconds, long sent, long received,
                  long receivedBytes, long refused, double senderCpuSeconds, long sendCalls) {
        double datagramsPerSecond() {
            return sent / seconds;
        }

        double cpuMicrosPerDatagram() {
            return sent == 0 ? Double.NaN : senderCpuSeconds * 1e6 / sent;
        }

        double datagramsPerCpuSecond() {
            return senderCpuSeconds == 0 ? Double.NaN : sent / senderCpuSeconds;
        }

        double lossPercent() {
            return sent == 0 ? 0 : 100.0 * Math.max(0, sent - received) / sent;
        }

        String text() {
            return String.format(Locale.ROOT, "send floor: %d receivers x %d fan-outs/s of %d B: %.0f datagrams/s for %.1f s, "
                            + "sender CPU %.3f s (%.2f cores), %.2f us per datagram = %.0f datagrams per CPU-second; "
                            + "received %d of %d (loss %.3f %%), refused by the kernel %d, %d sendmmsg calls",
                    receivers, fanoutsPerSecond, size, datagramsPerSecond(), seconds, senderCpuSeconds,
                    senderCpuSeconds / seconds, cpuMicrosPerDatagram(), datagramsPerCpuSecond(), received, sent,
                    lossPercent(), refused, sendCalls);
        }

        String json() {
            return String.format(Locale.ROOT, "{\"receivers\":%d,\"fanoutsPerSecond\":%d,\"size\":%d,\"seconds\":%.3f,"
                            + "\"sent\":%d,\"received\":%d,\"refused\":%d,\"senderCpuSeconds\":%.6f,\"sendCalls\":%d,"
                            + "\"cpuMicrosPerDatagram\":%.4f,\"datagramsPerCpuSecond\":%.1f,\"lossPercent\":%.4f}",
                    receivers, fanoutsPerSecond, size, seconds, sent, received, refused, senderCpuSeconds, sendCalls,
                    cpuMicrosPerDatagram(), datagramsPerCpuSecond(), lossPercent());
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new SendFloor()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Result r = run(receivers, fanoutsPerSecond, size, seconds, warmup, senderCpu, receiverCpu,
                srtp ? (srtpContexts > 0 ? Math.min(srtpContexts, receivers) : receivers) : 0, srtp && prefetch);
        System.out.println(r.text());
        if (json) {
            System.out.println(r.json());
        }
        return 0;
    }

    static Result run(int receivers, int fanoutsPerSecond, int size, double seconds, double warmup, int senderCpu,
                      int receiverCpu, int srtpContexts, boolean prefetch) throws Exception {
        if (receivers < 1 || receivers > 10_000 || fanoutsPerSecond < 1 || fanoutsPerSecond > 10_000
                || size < 12 || size > 1472 || !(seconds > 0 && seconds <= 600) || !(warmup >= 0 && warmup <= 600)) {
            throw new IllegalArgumentException("receivers 1..10000, fan-outs 1..10000/s, size 12..1472 B, "
                    + "seconds (0, 600], warm-up [0, 600]");
        }
        if (!Epoll.isAvailable() || !SendmmsgBatch.available()) {
            throw new IllegalStateException("the send floor needs Linux epoll and Java 22+ (the FFM sendmmsg the media "
                    + "worker uses); epoll: " + Epoll.isAvailable() + ", sendmmsg: " + SendmmsgBatch.available());
        }
        EventLoopGroup receiving = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("floor-receive"),
                EpollIoHandler.newFactory());
        EventLoopGroup sending = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("floor-send"),
                EpollIoHandler.newFactory());
        try {
            EventLoop rx = receiving.next();
            EventLoop tx = sending.next();
            if (receiverCpu >= 0) {
                rx.submit(() -> pinCurrentThread(receiverCpu)).get();
            }
            if (senderCpu >= 0) {
                tx.submit(() -> pinCurrentThread(senderCpu)).get();
            }
            Counter counter = new Counter();
            List<InetSocketAddress> targets = new ArrayList<>(receivers);
            Bootstrap rb = new Bootstrap().group(rx).channel(EpollDatagramChannel.class).handler(counter);
            for (int i = 0; i < receivers; i++) {
                Channel c = rb.bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
                targets.add((InetSocketAddress) c.localAddress());
            }
            Channel out = new Bootstrap().group(tx).channel(EpollDatagramChannel.class)
                    .handler(new ChannelInboundHandlerAdapter()).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            Fanout fanout = tx.submit(() -> new Fanout(out, targets, size, srtpContexts, prefetch)).get();
            long periodNanos = 1_000_000_000L / fanoutsPerSecond;
            ScheduledFuture<?> ticks = tx.scheduleAtFixedRate(fanout::send, 0, periodNanos, TimeUnit.NANOSECONDS);
            Thread.sleep((long) (warmup * 1000));
            // From this fan-out on, the receiver counts what arrives (each datagram carries its
            // fan-out's number): the window's loss is exact whatever is in flight at its edges.
            long[] start = tx.submit(() -> {
                counter.from = fanout.fanouts;
                return fanout.snapshot();
            }).get();
            long t0 = System.nanoTime();
            Thread.sleep((long) (seconds * 1000));
            ticks.cancel(false);
            // Tasks run in order on the loop: a fan-out under way ends before the snapshot.
            long[] end = tx.submit(fanout::snapshot).get();
            double elapsed = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(200); // what is in flight reaches the receivers
            long[] received = rx.submit(() -> new long[] {counter.count, counter.bytes}).get();
            tx.submit(fanout::close).get();
            return new Result(receivers, fanoutsPerSecond, size, elapsed, end[0] - start[0], received[0], received[1],
                    end[1] - start[1], (end[2] - start[2]) / 1e9, end[3] - start[3]);
        } finally {
            sending.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            receiving.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** Pins the calling thread to {@code cpu} ({@code taskset -p} on its own thread id). */
    static Void pinCurrentThread(int cpu) throws IOException, InterruptedException {
        String tid = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
        Process p = new ProcessBuilder("taskset", "-p", "-c", Integer.toString(cpu), tid).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("taskset -p -c " + cpu + " " + tid + " failed: " + output.strip());
        }
        return null;
    }

    /** Counts the datagrams of the measured fan-outs the receiving loop reads; {@link #count} loop thread only. */
    @io.netty.channel.ChannelHandler.Sharable
    static final class Counter extends ChannelInboundHandlerAdapter {
        long count;
        long bytes;
        /** The first measured fan-out's number; set by the sending loop before it sends that fan-out. */
        volatile long from = Long.MAX_VALUE;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof DatagramPacket d && d.content().readableBytes() >= Fanout.NUMBER_OFFSET + 4
                    && d.content().getUnsignedInt(d.content().readerIndex() + Fanout.NUMBER_OFFSET) >= from) {
                count++;
                bytes += d.content().readableBytes();
            }
            ReferenceCountUtil.release(msg);
        }
    }

    /** The sending loop's fan-out: one datagram to every receiver, FLUSH_BATCH per sendmmsg. Loop thread only. */
    static final class Fanout {
        /** Where a datagram carries its fan-out's number: an RTP header's timestamp, which SRTP leaves in the clear. */
        static final int NUMBER_OFFSET = 4;
        private final SendmmsgBatch batch;
        private final List<InetSocketAddress> targets;
        /** One buffer per batch slot, as the worker's send buffers are reused last in, first out. */
        private final ByteBuf[] buffers = new ByteBuf[DatagramSender.FLUSH_BATCH];
        private long sent;
        private long refused;
        /** Fan-outs begun; the next one's number. */
        long fanouts;
        /** With --prefetch: each batch's SRTP state is read first ({@link SrtpContext#prefetchRtp}), into {@link #sink}. */
        private final boolean prefetch;
        int sink;
        /** With --srtp: the packet every receiver gets a copy of, and each receiver's sending context. */
        private final ByteBuf shared;
        private final SrtpContext[] contexts;
        private final int[] sequences;

        /** {@code srtpContexts} 0: no SRTP; else that many contexts, receiver i protecting with context i mod it. */
        Fanout(Channel channel, List<InetSocketAddress> targets, int size, int srtpContexts, boolean prefetch) {
            this.prefetch = prefetch;
            boolean srtp = srtpContexts > 0;
            this.batch = SendmmsgBatch.open(channel, DatagramSender.FLUSH_BATCH);
            if (batch == null) {
                throw new IllegalStateException("sendmmsg unavailable on " + channel);
            }
            this.targets = targets;
            int capacity = size + (srtp ? SrtpProfile.AEAD_AES_128_GCM.rtpTagLength() : 0);
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = new UnpooledUnsafeDirectByteBuf(UnpooledByteBufAllocator.DEFAULT, capacity, capacity);
                buffers[i].writeZero(size);
                buffers[i].setByte(0, 0x80); // an RTP version 2 first octet, as on the wire
            }
            if (srtp) {
                shared = new UnpooledUnsafeDirectByteBuf(UnpooledByteBufAllocator.DEFAULT, size, size);
                shared.writeBytes(buffers[0], 0, size);
                contexts = new SrtpContext[srtpContexts];
                sequences = new int[targets.size()];
                java.util.Random random = new java.util.Random(7);
                SrtpProfile profile = SrtpProfile.AEAD_AES_128_GCM;
                for (int i = 0; i < contexts.length; i++) {
                    byte[] key = new byte[profile.keyLength()];
                    byte[] salt = new byte[profile.saltLength()];
                    random.nextBytes(key);
                    random.nextBytes(salt);
                    contexts[i] = SrtpContext.create(profile, key, salt);
                }
            } else {
                shared = null;
                contexts = null;
                sequences = null;
            }
        }

        void send() {
            long number = fanouts++;
            if (shared != null) {
                shared.setInt(NUMBER_OFFSET, (int) number);
            }
            for (ByteBuf b : buffers) {
                b.setInt(NUMBER_OFFSET, (int) number); // the kernel copied the last fan-out's: nothing holds them
            }
            for (int i = 0; i < targets.size(); i++) {
                ByteBuf b = buffers[batch.size()];
                if (prefetch && contexts != null && i % DatagramSender.FLUSH_BATCH == 0) {
                    int x = 0;
                    for (int j = i, end = Math.min(targets.size(), i + DatagramSender.FLUSH_BATCH); j < end; j++) {
                        x ^= contexts[j % contexts.length].prefetchRtp(j + 1);
                    }
                    sink ^= x;
                }
                if (shared != null) {
                    // The receiver's sequence number and SSRC (RFC 3550 §5.1, octets 2-3 and 8-11).
                    b.clear().writeBytes(shared, 0, shared.readableBytes());
                    b.setShort(2, sequences[i]++);
                    b.setInt(8, i + 1);
                    if (contexts[i % contexts.length].protectRtp(b) != SrtpContext.OK) {
                        throw new IllegalStateException("SRTP protect failed");
                    }
                }
                b.retain(); // the batch releases what the kernel took
                batch.add(b, targets.get(i));
                if (batch.full()) {
                    flush();
                }
            }
            flush();
        }

        private void flush() {
            int size = batch.size();
            int taken = batch.send();
            sent += taken;
            for (int i = taken; i < size; i++) {
                batch.datagram(i).release(); // refused (a full send buffer): counted, not retried
            }
            refused += size - taken;
            batch.clear();
        }

        /** Sent, refused, this thread's CPU nanoseconds, sendmmsg calls. */
        long[] snapshot() {
            return new long[] {sent, refused, ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime(), batch.calls()};
        }

        void close() {
            batch.close();
            for (ByteBuf b : buffers) {
                b.release();
            }
            if (shared != null) {
                shared.release();
            }
        }
    }
}
