package dev.newsline.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayeredConfigTest {

    private static final ConfigDef DEF = new ConfigDef()
            .define("sink.batch.size", ConfigDef.Type.INT, 500, ConfigDef.Range.atLeast(1),
                    ConfigDef.Importance.MEDIUM, "rows per batch")
            .define("sink.name", ConfigDef.Type.STRING, "default", ConfigDef.Importance.LOW, "name");

    @Test
    void shouldLetEnvironmentOverrideFileAndFlagsOverrideEnvironment(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("news.properties");
        Files.writeString(file, "sink.batch.size=10\nsink.name=file\nkafka.bootstrap.servers=file:9092\n");
        Map<String, String> merged = LayeredConfig.merge(file,
                Map.of("NEWS_SINK_BATCH_SIZE", "20", "NEWS_KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "HOME", "/root"),
                Map.of("sink.name", "flag"));

        Map<String, Object> parsed = LayeredConfig.parse(DEF, merged);

        assertThat(parsed).containsEntry("sink.batch.size", 20).containsEntry("sink.name", "flag");
        assertThat(LayeredConfig.kafkaSettings(merged))
                .containsEntry("bootstrap.servers", "file:9092")
                .containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void shouldNameTheKeyOfABadValue() {
        assertThatThrownBy(() -> LayeredConfig.parse(DEF, Map.of("sink.batch.size", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sink.batch.size");
        assertThatThrownBy(() -> LayeredConfig.parse(DEF, Map.of("sink.batch.sise", "3")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sink.batch.sise");
    }
}
