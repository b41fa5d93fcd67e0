package dev.newsline.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class EnrichServiceTest {

    @Test
    void shouldLeaveASlowArticleAMinuteBeforeItsTransactionTimesOutUnlessConfigured() {
        Properties defaults = EnrichService.streamsProperties(new EnrichConfig(Map.of()));
        Properties configured = EnrichService.streamsProperties(new EnrichConfig(Map.of("kafka.transaction.timeout.ms", "20000")));

        assertThat(defaults.get("producer.transaction.timeout.ms")).isEqualTo(60_000);
        assertThat(configured).doesNotContainKey("producer.transaction.timeout.ms");
        assertThat(configured.get("transaction.timeout.ms")).isEqualTo("20000");
    }
}
