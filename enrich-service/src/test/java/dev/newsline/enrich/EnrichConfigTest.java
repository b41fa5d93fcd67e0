package dev.newsline.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.newsline.model.config.LayeredConfig;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class EnrichConfigTest {

    @Test
    void shouldServeHealthAndMetricsOnLoopbackByDefaultAndNameTheKeyOfABadValue() {
        EnrichConfig defaults = new EnrichConfig(Map.of());
        EnrichConfig compose = new EnrichConfig(LayeredConfig.merge(null,
                Map.of("NEWS_ENRICH_HTTP_BIND", "0.0.0.0", "NEWS_ENRICH_HTTP_PORT", "9100"), Map.of()));

        assertThat(defaults.httpPort()).isEqualTo(EnrichConfig.DEFAULT_HTTP_PORT);
        assertThat(defaults.httpBind()).isEqualTo("127.0.0.1");
        assertThat(compose.httpPort()).isEqualTo(9100);
        assertThat(compose.httpBind()).isEqualTo("0.0.0.0");
        assertThatThrownBy(() -> new EnrichConfig(Map.of(EnrichConfig.HTTP_PORT, "-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(EnrichConfig.HTTP_PORT);
        assertThatThrownBy(() -> new EnrichConfig(Map.of(EnrichConfig.HTTP_BIND, " ")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(EnrichConfig.HTTP_BIND);
    }
}
