package dev.newsline.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.newsline.model.config.LayeredConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SinkConfigTest {

    @Test
    void shouldDefaultToTheEmbeddedStoreAndALocalBroker() {
        SinkConfig config = SinkConfig.from(Map.of());

        assertThat(config.jdbcUrl()).isEqualTo(
                "jdbc:h2:file:.newsline/store/newsline;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                        + "DEFAULT_NULL_ORDERING=HIGH");
        assertThat(config.jdbcUser()).isNull();
        assertThat(config.jdbcPassword()).isNull();
        assertThat(config.groupId()).isEqualTo("newsline-sink");
        assertThat(config.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(config.maxPollRecords()).isEqualTo(500);
        assertThat(config.pollTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.retryBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.retryBackoffMax()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.poolSize()).isEqualTo(4);
        assertThat(config.connectionTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.httpPort()).isEqualTo(8085);
        assertThat(config.httpBind()).isEqualTo("127.0.0.1");
    }

    @Test
    void shouldTurnTheHttpApiOffWithPortZeroAndNameABadPort() {
        SinkConfig off = SinkConfig.from(Map.of("sink.http.port", "0"));

        assertThat(off.httpPort()).isZero();
        assertThat(off.toString()).contains("http=off");
        assertThat(SinkConfig.from(Map.of("sink.http.bind", "0.0.0.0", "sink.http.port", "9000")).toString())
                .contains("http=0.0.0.0:9000");
        assertThatThrownBy(() -> SinkConfig.from(Map.of("sink.http.port", "70000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sink.http.port");
        assertThatThrownBy(() -> SinkConfig.from(Map.of("sink.http.bind", " ")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sink.http.bind");
    }

    @Test
    void shouldReadLayeredValuesAndIgnoreOtherServicesKeys(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("newsline.properties");
        Files.writeString(file, "sink.group.id=from-file\nenrich.threads=4\nkafka.bootstrap.servers=file:9092\n");
        Map<String, String> merged = LayeredConfig.merge(file, Map.of(
                "NEWS_SINK_JDBC_URL", "jdbc:postgresql://db:5432/news",
                "NEWS_SINK_JDBC_USER", "newsline",
                "NEWS_SINK_JDBC_PASSWORD", "s3cret",
                "NEWS_KAFKA_SECURITY_PROTOCOL", "SASL_SSL"), Map.of("sink.max.poll.records", "50"));

        SinkConfig config = SinkConfig.from(merged);

        assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/news");
        assertThat(config.jdbcUser()).isEqualTo("newsline");
        assertThat(config.jdbcPassword()).isEqualTo("s3cret");
        assertThat(config.groupId()).isEqualTo("from-file");
        assertThat(config.maxPollRecords()).isEqualTo(50);
        assertThat(config.toString()).doesNotContain("s3cret");
        assertThat(config.consumerConfig()).containsEntry("bootstrap.servers", "file:9092")
                .containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void shouldGiveTheConsumerTheSettingsTheOffsetRuleNeeds() {
        SinkConfig config = SinkConfig.from(Map.of("sink.group.id", "g", "sink.max.poll.records", "7",
                "kafka.fetch.max.wait.ms", "100", "kafka.linger.ms", "5"));

        assertThat(config.consumerConfig())
                .containsEntry("group.id", "g")
                .containsEntry("enable.auto.commit", false)
                .containsEntry("isolation.level", "read_committed")
                .containsEntry("auto.offset.reset", "earliest")
                .containsEntry("max.poll.records", 7)
                .containsEntry("fetch.max.wait.ms", "100")
                .doesNotContainKey("linger.ms");
        assertThat(config.producerConfig())
                .containsEntry("enable.idempotence", true)
                .containsEntry("acks", "all")
                .containsEntry("linger.ms", "5")
                .doesNotContainKey("fetch.max.wait.ms");
    }

    @Test
    void shouldNameTheKeyOfAnInconsistentBackoff() {
        assertThatThrownBy(() -> SinkConfig.from(Map.of("sink.retry.backoff.ms", "5000",
                "sink.retry.backoff.max.ms", "1000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sink.retry.backoff.max.ms");
    }

    @Test
    void shouldNameTheKeyOfAnUnsupportedOrMisconfiguredDatabase() {
        assertThatThrownBy(() -> SinkConfig.from(Map.of("sink.jdbc.url", "jdbc:mysql://db/news")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sink.jdbc.url");
        assertThatThrownBy(() -> SinkConfig.from(Map.of("sink.jdbc.url", "jdbc:h2:file:./x")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sink.jdbc.url")
                .hasMessageContaining("MODE=PostgreSQL");
    }

    @Test
    void shouldRejectKafkaSettingsTheSinkOwns() {
        assertThatThrownBy(() -> SinkConfig.from(Map.of("kafka.enable.auto.commit", "true")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("kafka.enable.auto.commit");
        assertThatThrownBy(() -> SinkConfig.from(Map.of("kafka.group.id", "other")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("kafka.group.id")
                .hasMessageContaining("sink.group.id");
    }

    @Test
    void shouldRequireBlockingWaitsShorterThanTheMaxPollInterval() {
        assertThatThrownBy(() -> SinkConfig.from(Map.of("kafka.max.poll.interval.ms", "2000",
                "sink.jdbc.connection.timeout.ms", "3000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sink.jdbc.connection.timeout.ms")
                .hasMessageContaining("kafka.max.poll.interval.ms");
        assertThatThrownBy(() -> SinkConfig.from(Map.of("kafka.max.poll.interval.ms", "1000",
                "sink.poll.timeout.ms", "1000", "sink.jdbc.connection.timeout.ms", "500")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sink.poll.timeout.ms");
    }

    @Test
    void shouldNameAMistypedOrOutOfRangeKey() {
        assertThatThrownBy(() -> SinkConfig.from(Map.of("sink.group.idd", "x")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sink.group.idd");
        assertThatThrownBy(() -> SinkConfig.from(Map.of("sink.pool.size", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sink.pool.size");
    }

    @Test
    void shouldDeclareEveryKeyWithADocumentation() {
        assertThat(SinkConfig.configDef().configKeys().values())
                .hasSize(12)
                .allSatisfy(key -> {
                    assertThat(key.name).startsWith("sink.");
                    assertThat(key.documentation).isNotBlank();
                    assertThat(key.hasDefault()).as(key.name).isTrue();
                });
    }
}
