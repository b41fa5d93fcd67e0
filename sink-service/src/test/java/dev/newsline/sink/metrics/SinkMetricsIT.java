package dev.newsline.sink.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.newsline.embedded.EmbeddedKafka;
import dev.newsline.model.EnrichedArticle;
import dev.newsline.model.topic.Topics;
import dev.newsline.ops.ServiceMeters;
import dev.newsline.sink.SinkConfig;
import dev.newsline.sink.SinkService;
import dev.newsline.sink.store.ArticleStore;
import dev.newsline.sink.testing.TestArticle;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The running sink reports to Micrometer and serves the figures on /metrics beside its API. */
class SinkMetricsIT {

    @TempDir
    Path dir;

    @Test
    void shouldServeWrittenArticlesAndEndToEndLatencyOnMetrics() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
             ServiceMeters meters = ServiceMeters.create("sink")) {
            kafka.createTopics(List.of(new NewTopic(Topics.ARTICLES_ENRICHED.name(), 2, (short) 1),
                    new NewTopic(Topics.ENTITY_TRENDS.name(), 1, (short) 1), new NewTopic(Topics.SINK_DLQ.name(), 1, (short) 1)));
            // port 0 turns the API off, so ask for a free port explicitly
            int port;
            try (var socket = new java.net.ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            SinkConfig config = SinkConfig.from(Map.of(
                    "kafka.bootstrap.servers", kafka.bootstrapServers(),
                    SinkConfig.JDBC_URL, SinkConfig.h2Url(dir.resolve("store").resolve("newsline")),
                    SinkConfig.HTTP_PORT, String.valueOf(port),
                    SinkConfig.GROUP_ID, "sink-metrics-it"));
            try (var producer = new KafkaProducer<String, EnrichedArticle>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                    Topics.ARTICLES_ENRICHED.keySerde().serializer(), Topics.ARTICLES_ENRICHED.valueSerde().serializer())) {
                for (int i = 0; i < 3; i++) {
                    EnrichedArticle a = EnrichedArticle.newBuilder(TestArticle.typical("m" + i, TestArticle.BASE_TIME))
                            .setFetchedAt(Instant.now()).build();
                    producer.send(new ProducerRecord<>(Topics.ARTICLES_ENRICHED.name(), a.getId(), a)).get();
                }
            }
            try (ArticleStore store = ArticleStore.open(config.jdbcUrl(), config.jdbcUser(), config.jdbcPassword(), 2);
                 SinkService sink = new SinkService(config, store, new MicrometerSinkMetrics(meters.registry()), meters.registry())) {
                sink.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> store.articleCount() == 3);
                URI metrics = sink.httpApi().orElseThrow().resolve("/metrics");
                HttpClient client = HttpClient.newHttpClient();
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    String body = client.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
                    assertThat(body).containsPattern("newsline_sink_written_total\\{[^}]*topic=\"news.articles.enriched\"[^}]*\\} 3.0")
                            .containsPattern("newsline_sink_end_to_end_latency_seconds_count\\{[^}]*\\} 3")
                            .contains("newsline_sink_batches_total")
                            .contains("jvm_memory_used_bytes")
                            // the sink's own Kafka clients: its consumer and its dead-letter producer
                            .containsPattern("kafka_consumer_fetch_manager_records_consumed_total\\{[^}]*service=\"sink\"")
                            .contains("kafka_producer_");
                });
            }
        }
    }
}
