package dev.newsline.enrich.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MicrometerEnrichMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MicrometerEnrichMetrics metrics = new MicrometerEnrichMetrics(registry);

    @Test
    void shouldCountArticlesAndRecordEntitiesStancesAndTimeIntoBuckets() {
        metrics.enriched(3, 0, Duration.ofMillis(40));
        metrics.enriched(12, 2, Duration.ofMillis(700));

        assertThat(registry.get(MicrometerEnrichMetrics.ARTICLES).counter().count()).isEqualTo(2);
        DistributionSummary entities = registry.get(MicrometerEnrichMetrics.ENTITIES).summary();
        assertThat(entities.count()).isEqualTo(2);
        assertThat(entities.totalAmount()).isEqualTo(15);
        assertThat(cumulative(entities.takeSnapshot().histogramCounts(), 5)).isEqualTo(1);
        assertThat(cumulative(entities.takeSnapshot().histogramCounts(), 20)).isEqualTo(2);
        assertThat(registry.get(MicrometerEnrichMetrics.STANCES).summary().totalAmount()).isEqualTo(2);
        Timer took = registry.get(MicrometerEnrichMetrics.DURATION).timer();
        assertThat(took.count()).isEqualTo(2);
        assertThat(took.max(TimeUnit.MILLISECONDS)).isEqualTo(700);
        assertThat(cumulative(took.takeSnapshot().histogramCounts(), TimeUnit.MILLISECONDS.toNanos(50))).isEqualTo(1);
    }

    @Test
    void shouldRecordEndToEndLatencyAndCountDeadLettersByReason() {
        metrics.endToEndLatency(Duration.ofSeconds(4));
        metrics.endToEndLatency(Duration.ofMinutes(20));
        metrics.deadLettered("invalid-record");
        metrics.deadLettered("invalid-record");
        metrics.deadLettered("enrichment-failed");

        Timer latency = registry.get(MicrometerEnrichMetrics.END_TO_END).timer();
        assertThat(latency.count()).isEqualTo(2);
        assertThat(cumulative(latency.takeSnapshot().histogramCounts(), TimeUnit.SECONDS.toNanos(5))).isEqualTo(1);
        assertThat(cumulative(latency.takeSnapshot().histogramCounts(), TimeUnit.HOURS.toNanos(1))).isEqualTo(2);
        assertThat(registry.get(MicrometerEnrichMetrics.DEAD_LETTERS).tag("reason", "invalid-record").counter().count()).isEqualTo(2);
        assertThat(registry.get(MicrometerEnrichMetrics.DEAD_LETTERS).tag("reason", "enrichment-failed").counter().count()).isEqualTo(1);
    }

    /** The cumulative count of the bucket whose upper bound is {@code bound}. */
    private static double cumulative(CountAtBucket[] buckets, double bound) {
        return Arrays.stream(buckets).filter(b -> b.bucket() == bound).findFirst().orElseThrow().count();
    }
}
