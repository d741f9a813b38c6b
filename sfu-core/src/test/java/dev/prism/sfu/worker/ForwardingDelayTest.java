package dev.prism.sfu.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.prism.sfu.transport.TransportCounters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * How long datagrams spend in a media worker: timed from the kernel's arrival stamp, so the wait
 * in the socket counts, to the send of what they caused.
 */
class ForwardingDelayTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void delaysLandInTheirBucketsAndTheSum() {
        ForwardingDelay d = new ForwardingDelay();
        d.record(1_000, 1_000 + 40_000); // 40 µs: the first bucket (le 50 µs)
        d.record(0, 50_000); // on a bound: that bucket (le is inclusive)
        d.record(0, 1_200_000); // 1.2 ms: le 1.5 ms
        d.record(0, 5_000_000_000L); // 5 s: above every bound
        d.record(10, 5); // a clock step made it negative: counted as 0
        ForwardingDelay.Snapshot s = d.snapshot();
        double[] bounds = ForwardingDelay.upperBoundsSeconds();
        assertEquals(bounds.length + 1, s.counts().length);
        assertEquals(3, s.counts()[0]);
        assertEquals(1, s.counts()[indexOf(bounds, 0.0015)]);
        assertEquals(1, s.counts()[bounds.length]);
        assertEquals(5, s.count());
        assertEquals((40_000 + 50_000 + 1_200_000 + 5_000_000_000L) / 1e9, s.sumSeconds(), 1e-9);
    }

    @Test
    void aCopySentWhileHandlingADatagramIsTimedFromItsArrivalAndOthersAreNot() throws Exception {
        assumeTrue(SendmmsgBatch.available(), "sendmmsg bound");
        MediaWorker worker = new MediaWorker(0, LOOPBACK, 0, new TransportCounters());
        try (DatagramSocket receiver = new DatagramSocket(0, LOOPBACK)) {
            receiver.setSoTimeout(2_000);
            InetSocketAddress to = new InetSocketAddress(LOOPBACK, receiver.getLocalPort());
            long arrival = System.nanoTime() - 4_000_000; // arrived 4 ms ago
            long handling = worker.eventLoop().submit(() -> {
                worker.sender().handling(arrival);
                long seen = worker.handlingArrivalNanos(); // what a pacer keeps with a copy it holds
                worker.send(worker.alloc().directBuffer(16).writeLong(1), to);
                worker.sender().handling(0); // a timer's send: not timed
                worker.send(worker.alloc().directBuffer(16).writeLong(2), to);
                worker.flush();
                return seen;
            }).get(5, TimeUnit.SECONDS);
            assertEquals(arrival, handling);
            for (int i = 0; i < 2; i++) {
                receiver.receive(new DatagramPacket(new byte[64], 64));
            }
            ForwardingDelay.Snapshot s = worker.forwardingDelay().snapshot();
            assertEquals(1, s.count(), "only the copy of a handled datagram");
            // 4 ms and what the send took (a fresh worker's first sendmmsg on a shared machine: allow 96 ms more)
            double[] bounds = ForwardingDelay.upperBoundsSeconds();
            for (int i = 0; i < bounds.length && bounds[i] < 0.004; i++) {
                assertEquals(0, s.counts()[i], "nothing at or below " + bounds[i] + " s");
            }
            assertTrue(s.sumSeconds() >= 0.004 && s.sumSeconds() < 0.1, "from its arrival: " + s.sumSeconds());
        } finally {
            worker.close();
        }
    }

    @Test
    void aDatagramsArrivalIsWhenTheKernelTookItNotWhenTheLoopReadIt() throws Exception {
        assumeTrue(LinuxSyscalls.available(), "FFM system calls bound");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try (DatagramSocket peer = new DatagramSocket(0, LOOPBACK)) {
            Channel channel = new Bootstrap().group(group).channel(EpollDatagramChannel.class)
                    .option(ChannelOption.AUTO_READ, false)
                    .handler(new SimpleChannelInboundHandler<io.netty.channel.socket.DatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, io.netty.channel.socket.DatagramPacket p) {
                        }
                    })
                    .bind(new InetSocketAddress(LOOPBACK, 0)).sync().channel();
            List<Long> arrivals = new ArrayList<>();
            RecvmmsgReader reader = RecvmmsgReader.open(channel, 4, 4, PooledByteBufAllocator.DEFAULT,
                    new RecvmmsgReader.Sink() {
                        @Override
                        public void onDatagram(ByteBuf data, long sourceKey, long arrivalNanos, RecvmmsgReader r) {
                            arrivals.add(arrivalNanos);
                        }

                        @Override
                        public void onPassEnd(boolean full) {
                        }
                    });
            assertTrue(reader != null && reader.stamped(), "SO_TIMESTAMPNS accepted");
            // The kernel turns receive stamping on a moment after the first socket asks (a deferred
            // static key, net_enable_timestamp); until then it stamps at the read. So: a few tries.
            InetSocketAddress to = new InetSocketAddress(LOOPBACK, ((InetSocketAddress) channel.localAddress()).getPort());
            String seen = "";
            boolean stampedAtArrival = false;
            for (int attempt = 0; attempt < 10 && !stampedAtArrival; attempt++) {
                long sent = System.nanoTime();
                peer.send(new DatagramPacket(new byte[20], 20, to));
                Thread.sleep(80); // the datagram waits in the socket, as behind a busy loop
                long readAt = ((IoEventLoop) channel.eventLoop()).submit(() -> {
                    long now = System.nanoTime();
                    reader.handle(null, null);
                    return now;
                }).get(5, TimeUnit.SECONDS);
                assertEquals(attempt + 1, arrivals.size(), "one datagram read per try");
                long arrival = arrivals.get(attempt);
                seen += String.format(" %.1f ms after the send, %.1f ms before the read;", (arrival - sent) / 1e6,
                        (readAt - arrival) / 1e6);
                stampedAtArrival = arrival >= sent - 2_000_000 && arrival <= sent + 20_000_000
                        && readAt - arrival > 50_000_000;
            }
            assertTrue(stampedAtArrival, "stamped when it arrived, not when read:" + seen);
            reader.close();
            channel.close().sync();
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).sync();
        }
    }

    private static int indexOf(double[] bounds, double bound) {
        for (int i = 0; i < bounds.length; i++) {
            if (bounds[i] == bound) {
                return i;
            }
        }
        throw new AssertionError("no bound " + bound + " in " + java.util.Arrays.toString(bounds));
    }
}
