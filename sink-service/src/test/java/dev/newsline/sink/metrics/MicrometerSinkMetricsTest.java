package dev.newsline.sink.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MicrometerSinkMetricsTest {

    @Test
    void shouldCountWritesByTopicDeadLettersByReasonAndTimeBatchesAndLatency() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MicrometerSinkMetrics metrics = new MicrometerSinkMetrics(registry);

        metrics.written("news.articles.enriched", 3);
        metrics.written("news.articles.enriched", 2);
        metrics.written("news.entity.trends", 7);
        metrics.deadLettered("unknown-schema");
        metrics.batch(12, Duration.ofMillis(40));
        metrics.retried();
        metrics.endToEndLatency(Duration.ofMillis(1500));

        assertThat(registry.get(MicrometerSinkMetrics.WRITTEN).tag("topic", "news.articles.enriched").counter().count()).isEqualTo(5);
        assertThat(registry.get(MicrometerSinkMetrics.WRITTEN).tag("topic", "news.entity.trends").counter().count()).isEqualTo(7);
        assertThat(registry.get(MicrometerSinkMetrics.DEAD_LETTERS).tag("reason", "unknown-schema").counter().count()).isEqualTo(1);
        assertThat(registry.get(MicrometerSinkMetrics.BATCHES).counter().count()).isEqualTo(1);
        assertThat(registry.get(MicrometerSinkMetrics.RETRIES).counter().count()).isEqualTo(1);
        assertThat(registry.get(MicrometerSinkMetrics.BATCH_DURATION).timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(40);
        assertThat(registry.get(MicrometerSinkMetrics.END_TO_END).timer().max(TimeUnit.MILLISECONDS)).isEqualTo(1500);
    }
}
