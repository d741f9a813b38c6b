package dev.prism.sfu.cc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A deterministic sender → bottleneck → receiver → feedback loop for the estimator, stepped in
 * 1 ms of simulated time. The bottleneck is a FIFO of {@code capacityBps} with a byte limit and
 * tail drop, then a fixed propagation delay and optional random loss (seeded). The sender paces
 * 1200-byte packets every 5 ms at the estimate (bounded by {@link #maxMediaBps}) and, when
 * {@link #padFactor} &gt; 0, pads up to padFactor × estimate. The receiver is the SFU's own
 * {@link TransportFeedbackGenerator} (real TWCC bytes from TransportLayerCcWriter), written every
 * 100 ms and delivered back after the propagation delay.
 */
final class LinkSimulator {
    static final int PACKET_BYTES = 1200;
    static final long STEP_MICROS = 1_000;
    static final long PACE_MICROS = 5_000;
    static final long FEEDBACK_MICROS = 100_000;

    record Sample(long micros, long estimateBps, long ackedBps, double lossFraction, long rttMs) {}

    private record InFlight(int seq, long arrivalMicros) {}

    private record Feedback(long deliverMicros, ByteBuf buf) {}

    private record Drop(long micros, boolean dropped) {}

    final SendSideBandwidthEstimator estimator;
    final List<Sample> samples = new ArrayList<>();
    double capacityBps;
    long queueLimitBytes;
    long propagationMicros;
    double randomLoss;
    double padFactor;
    long maxMediaBps = Long.MAX_VALUE;

    private final Random random;
    private final TransportFeedbackGenerator receiver = new TransportFeedbackGenerator(1);
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    private final ArrayDeque<Feedback> feedback = new ArrayDeque<>();
    private final List<Drop> bottleneckLog = new ArrayList<>();
    private long now;
    private long busyUntil;
    private int seq;
    private double mediaBudget;
    private double padBudget;

    LinkSimulator(SendSideBandwidthEstimator estimator, double capacityBps, long queueLimitBytes,
                  long propagationMicros, int firstSeq, long seed) {
        this.estimator = estimator;
        this.capacityBps = capacityBps;
        this.queueLimitBytes = queueLimitBytes;
        this.propagationMicros = propagationMicros;
        this.seq = firstSeq;
        this.random = new Random(seed);
    }

    long nowMicros() {
        return now;
    }

    void runFor(long micros) {
        long end = now + micros;
        while (now < end) {
            now += STEP_MICROS;
            while (!inFlight.isEmpty() && inFlight.peekFirst().arrivalMicros() <= now) {
                InFlight p = inFlight.pollFirst();
                receiver.onPacket(p.seq(), p.arrivalMicros());
            }
            if (now % FEEDBACK_MICROS == 0) {
                ByteBuf out = Unpooled.buffer(256);
                if (receiver.write(out, 2) > 0) {
                    feedback.addLast(new Feedback(now + propagationMicros, out));
                } else {
                    out.release();
                }
            }
            while (!feedback.isEmpty() && feedback.peekFirst().deliverMicros() <= now) {
                ByteBuf buf = feedback.pollFirst().buf();
                try {
                    estimator.onTransportFeedback(buf, buf.readerIndex(), now);
                } finally {
                    buf.release();
                }
            }
            if (now % PACE_MICROS == 0) {
                pace();
            }
            if (now % FEEDBACK_MICROS == 0) {
                samples.add(new Sample(now, estimator.estimateBps(), estimator.ackedBps(),
                        estimator.lossFraction(), estimator.rttMillis()));
            }
        }
    }

    private void pace() {
        long estimate = estimator.estimateBps();
        double media = Math.min(estimate, maxMediaBps);
        double pad = Math.max(0, padFactor * estimate - media);
        double interval = PACE_MICROS / 1e6;
        // Budget carries over at most two packets, so a pause does not become a burst.
        mediaBudget = Math.min(mediaBudget + media * interval / 8, 2 * PACKET_BYTES);
        padBudget = Math.min(padBudget + pad * interval / 8, 2 * PACKET_BYTES);
        while (mediaBudget >= PACKET_BYTES) {
            send();
            mediaBudget -= PACKET_BYTES;
        }
        while (padBudget >= PACKET_BYTES) {
            send();
            padBudget -= PACKET_BYTES;
        }
    }

    private void send() {
        int s = seq & 0xFFFF;
        seq++;
        estimator.onPacketSent(s, PACKET_BYTES, now);
        double backlogBytes = Math.max(0, busyUntil - now) * capacityBps / 8e6;
        if (backlogBytes + PACKET_BYTES > queueLimitBytes) {
            bottleneckLog.add(new Drop(now, true)); // tail drop
            return;
        }
        long start = Math.max(now, busyUntil);
        busyUntil = start + (long) Math.ceil(PACKET_BYTES * 8e6 / capacityBps);
        if (random.nextDouble() < randomLoss) {
            bottleneckLog.add(new Drop(now, true));
            return;
        }
        bottleneckLog.add(new Drop(now, false));
        inFlight.addLast(new InFlight(s, busyUntil + propagationMicros));
    }

    /** Fraction of packets dropped on the way (tail drop or random) among those sent in [from, to). */
    double dropFraction(long fromMicros, long toMicros) {
        long sent = 0;
        long dropped = 0;
        for (Drop d : bottleneckLog) {
            if (d.micros() >= fromMicros && d.micros() < toMicros) {
                sent++;
                if (d.dropped()) {
                    dropped++;
                }
            }
        }
        return sent == 0 ? 0 : (double) dropped / sent;
    }

    /** First sample time at or after {@code fromMicros} from which every later sample satisfies the band. */
    long settledAt(long fromMicros, long lowBps, long highBps) {
        long settled = -1;
        for (Sample s : samples) {
            if (s.micros() < fromMicros) {
                continue;
            }
            boolean in = s.estimateBps() >= lowBps && s.estimateBps() <= highBps;
            if (!in) {
                settled = -1;
            } else if (settled < 0) {
                settled = s.micros();
            }
        }
        return settled;
    }

    /** First sample time at or after {@code fromMicros} with an estimate above {@code bps}, or -1. */
    long firstAbove(long fromMicros, long bps) {
        for (Sample s : samples) {
            if (s.micros() >= fromMicros && s.estimateBps() > bps) {
                return s.micros();
            }
        }
        return -1;
    }

    long minEstimate(long fromMicros, long toMicros) {
        long min = Long.MAX_VALUE;
        for (Sample s : samples) {
            if (s.micros() >= fromMicros && s.micros() < toMicros) {
                min = Math.min(min, s.estimateBps());
            }
        }
        return min;
    }

    long maxEstimate(long fromMicros, long toMicros) {
        long max = Long.MIN_VALUE;
        for (Sample s : samples) {
            if (s.micros() >= fromMicros && s.micros() < toMicros) {
                max = Math.max(max, s.estimateBps());
            }
        }
        return max;
    }

    /** One line per second: time, estimate, acked, loss, rtt. */
    String trace(long fromMicros, long toMicros) {
        StringBuilder sb = new StringBuilder();
        for (Sample s : samples) {
            if (s.micros() >= fromMicros && s.micros() < toMicros && s.micros() % 1_000_000 == 0) {
                sb.append(String.format("  t=%5.1fs est=%5d kbps acked=%5d kbps loss=%4.1f%% rtt=%d ms%n",
                        s.micros() / 1e6, s.estimateBps() / 1000, s.ackedBps() / 1000,
                        100 * s.lossFraction(), s.rttMs()));
            }
        }
        return sb.toString();
    }

    void release() {
        for (Feedback f : feedback) {
            f.buf().release();
        }
        feedback.clear();
    }
}
