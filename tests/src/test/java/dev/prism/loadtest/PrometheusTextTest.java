package dev.prism.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
    /** In the style of Prism's /metrics (Micrometer), with a few lines no exposition should hold. */
    static final String EXPOSITION = """
            # HELP prism_packets_forwarded_total Packets forwarded to subscribers
            # TYPE prism_packets_forwarded_total counter
            prism_packets_forwarded_total 1234567.0
            prism_media_allocated_bytes_total{worker="0"} 2.5E7
            prism_media_allocated_bytes_total{worker="1"} 5000000
            prism_room_info{name="say \\"hi\\"",path="C:\\\\x",note="a,b}c"} 1
            # TYPE prism_forwarding_delay_seconds histogram
            prism_forwarding_delay_seconds_bucket{worker="0",le="1.0E-4"} 10
            prism_forwarding_delay_seconds_bucket{worker="0",le="0.001"} 30
            prism_forwarding_delay_seconds_bucket{worker="0",le="+Inf"} 40
            prism_forwarding_delay_seconds_bucket{worker="1",le="1.0E-4"} 5
            prism_forwarding_delay_seconds_bucket{worker="1",le="0.001"} 5
            prism_forwarding_delay_seconds_bucket{worker="1",le="+Inf"} 10
            prism_forwarding_delay_seconds_count{worker="0"} 40
            prism_forwarding_delay_seconds_count{worker="1"} 10
            prism_forwarding_delay_seconds_sum{worker="0"} 0.0123
            prism_gauge_nan NaN
            prism_gauge_inf{x="y"} +Inf 1712345678000
            prism_gauge_neg -Inf
            this is not a metric
            broken{le="0.1" 3
            unterminated{a="b} 4
            no_value
            no_value_after_labels{a="b"}
            bad_value 12abc
            bad-name 3
            {a="b"} 3
            """;

    @Test
    void readsNamesLabelsAndValuesAndSkipsTheRest() {
        PrometheusText.Scrape s = PrometheusText.parse(EXPOSITION);
        assertEquals(16, s.samples().size(), s.samples().toString());
        assertEquals(1234567.0, s.sum("prism_packets_forwarded_total"));
        assertEquals(3.0e7, s.sum("prism_media_allocated_bytes_total"), "summed over workers");
        PrometheusText.Sample info = s.samples().stream().filter(x -> x.name().equals("prism_room_info")).findFirst().orElseThrow();
        assertEquals(Map.of("name", "say \"hi\"", "path", "C:\\x", "note", "a,b}c"), info.labels());
        assertTrue(Double.isNaN(s.sum("prism_gauge_nan")));
        assertEquals(Double.POSITIVE_INFINITY, s.sum("prism_gauge_inf"), "the timestamp after it is ignored");
        assertEquals(Double.NEGATIVE_INFINITY, s.sum("prism_gauge_neg"));
        assertTrue(Double.isNaN(s.sum("absent_total")), "absent, not 0");
    }

    @Test
    void sumsHistogramBucketsWithTheSameBoundOverOtherLabels() {
        PrometheusHistogram h = PrometheusText.parse(EXPOSITION).histogram("prism_forwarding_delay_seconds");
        assertEquals(new PrometheusHistogram(new double[] {1e-4, 1e-3, Double.POSITIVE_INFINITY}, new double[] {15, 35, 50}), h);
        assertNull(PrometheusText.parse(EXPOSITION).histogram("prism_other_seconds"));
    }

    @Test
    void valuesInEveryFormTheExpositionAllows() {
        assertEquals(1e-4, PrometheusText.value("1.0E-4"));
        assertEquals(-2.5, PrometheusText.value("-2.5"));
        assertEquals(0.5, PrometheusText.value(".5"));
        assertEquals(Double.POSITIVE_INFINITY, PrometheusText.value("+Inf"));
        assertTrue(Double.isNaN(PrometheusText.value("NaN")));
        assertTrue(Double.isNaN(PrometheusText.value("1d")), "Java's suffixes are not the format's");
        assertTrue(Double.isNaN(PrometheusText.value("")));
    }

    @Test
    void neverThrows() {
        for (String s : new String[] {null, "", "\n\n", "{", "a{", "a{b", "a{b=", "a{b=\"", "a{b=\"\\", "a{,} 1", "a 1 2 3", "\u0000"}) {
            PrometheusText.parse(s);
        }
        assertEquals(1, PrometheusText.parse("a{} 1\r\n").sum("a"), "an empty label set, a CRLF line end");
    }
}
