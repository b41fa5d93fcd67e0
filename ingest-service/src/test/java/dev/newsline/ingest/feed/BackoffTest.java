package dev.newsline.ingest.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void shouldDoubleWithJitterUpToTheMaximum() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), new Random(7));

        for (int i = 0; i < 50; i++) {
            assertThat(backoff.delay(1)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
            assertThat(backoff.delay(3)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
            assertThat(backoff.delay(6)).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(30));
            assertThat(backoff.delay(500)).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(30));
        }
    }

    @Test
    void shouldSpreadFeedsThatFailTogether() {
        Backoff backoff = new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(10), new Random(11));

        assertThat(java.util.stream.IntStream.range(0, 20).mapToObj(i -> backoff.delay(2)).distinct().count())
                .isGreaterThan(10);
    }
}
