package dev.newsline.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.metrics.JmxReporter;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** Kafka client meters; a consumer that never polls opens no connection, so no broker is needed. */
class ServiceMetersTest {

    private static final String BOOTSTRAP = "127.0.0.1:9";

    @Test
    void shouldKeepKafkasDefaultJmxReporterOrTheConfiguredOnesWhenAddingTheMeterReporter() {
        try (ServiceMeters meters = ServiceMeters.create("test")) {
            Map<String, Object> plain = meters.kafkaSettings(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP));
            Map<String, Object> custom = meters.kafkaSettings(Map.of(CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG,
                    List.of(JmxReporter.class, "com.example.Reporter")));

            assertThat(plain).containsEntry(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP)
                    .containsEntry(CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG,
                            JmxReporter.class.getName() + "," + KafkaClientMeterReporter.class.getName())
                    .containsEntry(KafkaClientMeterReporter.REGISTRY_CONFIG, meters.registry());
            assertThat(custom).containsEntry(CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG,
                    JmxReporter.class.getName() + ",com.example.Reporter," + KafkaClientMeterReporter.class.getName());
        }
    }

    @Test
    void shouldMeterAClientCreatedFromTheSettingsUntilItCloses() {
        try (ServiceMeters meters = ServiceMeters.create("test")) {
            Map<String, Object> settings = meters.kafkaSettings(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP, ConsumerConfig.CLIENT_ID_CONFIG, "reported"));
            KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer());
            try {
                assertThat(kafkaMetersOf(meters, "reported")).isNotEmpty()
                        .anySatisfy(m -> assertThat(m.getId().getName()).startsWith("kafka.consumer."))
                        .allSatisfy(m -> assertThat(m.getId().getTag(ServiceMeters.SERVICE_TAG)).isEqualTo("test"));
                assertThat(meters.registry().scrape()).contains("kafka_consumer_").contains("client_id=\"reported\"");
            } finally {
                consumer.close();
            }
            assertThat(kafkaMetersOf(meters, "reported")).isEmpty();
        }
    }

    @Test
    void shouldMeterAClientBoundDirectlyUntilTheMetersClose() {
        ServiceMeters meters = ServiceMeters.create("test");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                BOOTSTRAP, ConsumerConfig.CLIENT_ID_CONFIG, "bound"), new StringDeserializer(), new StringDeserializer())) {
            meters.bindKafkaClient(consumer);

            assertThat(kafkaMetersOf(meters, "bound")).isNotEmpty();
            meters.close();
            assertThat(kafkaMetersOf(meters, "bound")).isEmpty();
        }
    }

    private static List<Meter> kafkaMetersOf(ServiceMeters meters, String clientId) {
        return meters.registry().getMeters().stream()
                .filter(m -> m.getId().getName().startsWith("kafka.") && clientId.equals(m.getId().getTag("client.id")))
                .toList();
    }
}
