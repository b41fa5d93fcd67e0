package dev.newsline.ingest.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.newsline.ingest.config.FeedSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MicrometerIngestMetricsTest {

    private static final FeedSpec ONE = new FeedSpec(URI.create("https://one.fictional.example/rss?token=secret"), "One Daily",
            Duration.ofMinutes(5));
    private static final FeedSpec TWO = new FeedSpec(URI.create("https://two.fictional.example/atom.xml"), "Two Weekly",
            Duration.ofMinutes(5));

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MicrometerIngestMetrics metrics = new MicrometerIngestMetrics(registry);

    @Test
    void shouldCountArticlesByFeedAndOutcome() {
        metrics.produced(ONE, false);
        metrics.produced(ONE, false);
        metrics.produced(ONE, true);
        metrics.duplicate(ONE);
        metrics.produced(TWO, false);

        assertThat(count(MicrometerIngestMetrics.ARTICLES, "feed", "One Daily", "outcome", "new")).isEqualTo(2);
        assertThat(count(MicrometerIngestMetrics.ARTICLES, "feed", "One Daily", "outcome", "updated")).isEqualTo(1);
        assertThat(count(MicrometerIngestMetrics.ARTICLES, "feed", "One Daily", "outcome", "duplicate")).isEqualTo(1);
        assertThat(count(MicrometerIngestMetrics.ARTICLES, "feed", "Two Weekly", "outcome", "new")).isEqualTo(1);
    }

    @Test
    void shouldCountPollsErrorsAndDeadLettersByFeedAndReasonWithoutTheFeedUrl() {
        metrics.polled(ONE);
        metrics.notModified(ONE);
        metrics.polled(ONE);
        metrics.pollFailed(ONE, "http-status");
        metrics.polled(ONE);
        metrics.pollFailed(TWO, "timeout");
        metrics.deadLettered(ONE, "missing-url");
        metrics.deadLettered(ONE, "missing-url");
        metrics.deadLettered(ONE, "invalid-date");

        assertThat(count(MicrometerIngestMetrics.POLLS, "feed", "One Daily")).isEqualTo(3);
        assertThat(count(MicrometerIngestMetrics.NOT_MODIFIED, "feed", "One Daily")).isEqualTo(1);
        assertThat(count(MicrometerIngestMetrics.FEED_ERRORS, "feed", "One Daily", "reason", "http-status")).isEqualTo(1);
        assertThat(count(MicrometerIngestMetrics.FEED_ERRORS, "feed", "Two Weekly", "reason", "timeout")).isEqualTo(1);
        assertThat(count(MicrometerIngestMetrics.DEAD_LETTERS, "feed", "One Daily", "reason", "missing-url")).isEqualTo(2);
        assertThat(count(MicrometerIngestMetrics.DEAD_LETTERS, "feed", "One Daily", "reason", "invalid-date")).isEqualTo(1);
        assertThat(registry.getMeters()).allSatisfy(m -> assertThat(m.getId().getTags().toString()).doesNotContain("token"));
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }
}
