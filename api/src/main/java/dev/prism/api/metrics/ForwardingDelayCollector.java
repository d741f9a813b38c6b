package dev.prism.api.metrics;

import dev.prism.sfu.worker.ForwardingDelay;
import dev.prism.sfu.worker.MediaWorker;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Arrays;
import java.util.List;

/**
 * {@code prism_forwarding_delay_seconds}, per media worker: a Prometheus histogram read from each
 * worker's {@link ForwardingDelay} when scraped. Micrometer's timers would do an atomic update
 * per record, on the path of every forwarded copy; the worker keeps plain buckets instead, and
 * this turns them into the exposition format.
 */
final class ForwardingDelayCollector implements Collector {
    static final String NAME = "prism_forwarding_delay_seconds";
    private static final double[] BOUNDS = withInfinity(ForwardingDelay.upperBoundsSeconds());

    private final List<MediaWorker> workers;

    ForwardingDelayCollector(List<MediaWorker> workers) {
        this.workers = List.copyOf(workers);
    }

    @Override
    public MetricSnapshot collect() {
        HistogramSnapshot.Builder h = HistogramSnapshot.builder().name(NAME).unit(Unit.SECONDS)
                .help("time from a datagram's arrival at a media worker's socket (kernel timestamp) to the send of "
                        + "what it caused (forwarded copies, replies); recorded where the worker makes its own "
                        + "system calls (Java 22+, epoll); copies the pacer holds back count until they are sent");
        for (MediaWorker w : workers) {
            ForwardingDelay.Snapshot s = w.forwardingDelay().snapshot();
            h.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                    .labels(Labels.of("worker", Integer.toString(w.index())))
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(BOUNDS, s.counts()))
                    .sum(s.sumSeconds())
                    .build());
        }
        return h.build();
    }

    @Override
    public String getPrometheusName() {
        return NAME;
    }

    private static double[] withInfinity(double[] bounds) {
        double[] b = Arrays.copyOf(bounds, bounds.length + 1);
        b[bounds.length] = Double.POSITIVE_INFINITY;
        return b;
    }
}
