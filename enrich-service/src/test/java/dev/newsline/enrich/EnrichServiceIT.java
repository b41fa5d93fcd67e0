package dev.newsline.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.newsline.embedded.EmbeddedKafka;
import dev.newsline.model.DeadLetter;
import dev.newsline.model.EnrichedArticle;
import dev.newsline.model.topic.Topic;
import dev.newsline.model.topic.Topics;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrichServiceIT {

    @TempDir
    Path stateDir;

    @Test
    void shouldEnrichExactlyOnceDeadLetterUnreadableRecordsAndShowBothOnTheOpsEndpoints() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
            EnrichConfig config = prepare(kafka, Map.of(EnrichConfig.APPLICATION_ID, "enrich-it"));

            try (var producer = new KafkaProducer<String, byte[]>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < 5; i++) {
                    Instant published = Instant.parse("2026-11-24T09:00:00Z").plusSeconds(i * 60L);
                    producer.send(new ProducerRecord<>(Topics.ARTICLES_RAW.name(), null, published.toEpochMilli(), "a" + i,
                            Topics.RAW_ARTICLE_SERDE.serialize("t", Articles.raw("a" + i, Articles.BUDGET_TITLE,
                                    Articles.BUDGET_BODY, published))));
                }
                producer.send(new ProducerRecord<>(Topics.ARTICLES_RAW.name(), "junk", "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8)));
                byte[] truncated = Topics.RAW_ARTICLE_SERDE.serialize("t", Articles.raw("t1", "", "x", null));
                producer.send(new ProducerRecord<>(Topics.ARTICLES_RAW.name(), "truncated", java.util.Arrays.copyOf(truncated, 6)));
            }

            try (EnrichProcess process = new EnrichProcess(config, InetSocketAddress.createUnresolved("127.0.0.1", 0), Enricher::load)) {
                process.start();
                EnrichService service = process.service().orElseThrow();
                URI ops = process.opsUri().orElseThrow();
                List<ConsumerRecord<String, EnrichedArticle>> enriched = new CopyOnWriteArrayList<>();
                List<ConsumerRecord<String, DeadLetter>> dead = new CopyOnWriteArrayList<>();
                try (var out = consumer(kafka, Topics.ARTICLES_ENRICHED); var dlq = consumer(kafka, Topics.ENRICH_DLQ)) {
                    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                        out.poll(Duration.ofMillis(200)).forEach(enriched::add);
                        dlq.poll(Duration.ofMillis(200)).forEach(dead::add);
                        assertThat(enriched).hasSize(5);
                        assertThat(dead).hasSize(2);
                    });
                }
                assertThat(service.state()).isEqualTo(KafkaStreams.State.RUNNING);
                assertThat(enriched).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("a0", "a1", "a2", "a3", "a4");
                assertThat(enriched).allSatisfy(r -> assertThat(r.timestamp()).isEqualTo(r.value().getPublished().toEpochMilli()));
                assertThat(dead).extracting(r -> r.value().getReason()).containsExactlyInAnyOrder("invalid-record", "invalid-record");
                assertThat(dead).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("junk", "truncated");

                // the health and metrics endpoints of the process, on a free port
                assertThat(get(ops, "health/ready").statusCode()).isEqualTo(200);
                assertThat(get(ops, "metrics").body())
                        .contains("newsline_enrich_articles_total{service=\"enrich\"} 5.0")
                        .contains("newsline_enrich_dead_letters_total{reason=\"invalid-record\",service=\"enrich\"} 2.0")
                        .contains("newsline_enrich_article_entities_count{service=\"enrich\"} 5")
                        .contains("newsline_enrich_duration_seconds_bucket{", "newsline_enrich_end_to_end_latency_seconds_bucket{")
                        .contains("kafka_consumer_", "kafka_producer_", "jvm_threads_live_threads{");
                process.close();
                assertThat(process.notReady()).hasValue("stopping");
            }
        }
    }

    @Test
    void shouldStopAndReportTheCauseWhenStreamThreadsKeepDying() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
            EnrichConfig config = prepare(kafka, Map.of(
                    EnrichConfig.APPLICATION_ID, "enrich-it-dying",
                    EnrichConfig.THREAD_REPLACEMENTS_MAX, "1",
                    // the dead thread's consumer does not leave the group (Streams' choice), so its
                    // partitions reach the replacement only when its session times out: 45 s by default
                    "kafka.session.timeout.ms", "6000"));
            try (var producer = new KafkaProducer<String, byte[]>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(Topics.ARTICLES_RAW.name(), "a0",
                        Topics.RAW_ARTICLE_SERDE.serialize("t", Articles.raw("a0", Articles.BUDGET_TITLE, Articles.BUDGET_BODY, null))));
            }
            // an Error, not an exception, so it is no record's failure: what a broken deployment throws
            AtomicInteger attempts = new AtomicInteger();
            try (EnrichProcess process = new EnrichProcess(config, null, () -> article -> {
                attempts.incrementAndGet();
                throw new NoClassDefFoundError("dev/newsline/enrich/Missing");
            })) {
                process.start();

                Throwable fatal = process.failed().toCompletableFuture().get(2, TimeUnit.MINUTES);

                assertThat(Stream.iterate(fatal, Objects::nonNull, Throwable::getCause))
                        .anyMatch(t -> t instanceof NoClassDefFoundError);
                assertThat(process.service().orElseThrow().state()).isEqualTo(KafkaStreams.State.ERROR);
                assertThat(process.notReady()).hasValue("Kafka Streams is ERROR");
                assertThat(attempts).as("the first stream thread and its one replacement").hasValue(2);
            }
        }
    }

    /** Creates every topic, waits for the raw topic's leaders and returns the service's settings plus {@code own}. */
    private EnrichConfig prepare(EmbeddedKafka kafka, Map<String, String> own) {
        kafka.createTopics(Topics.ALL.stream().map(t -> new NewTopic(t.name(), t.partitions(), (short) 1)).toList());
        // producing before every partition has its leader can leave an idempotent batch retrying
        // forever (NOT_LEADER_OR_FOLLOWER, then OUT_OF_ORDER_SEQUENCE_NUMBER) on a busy machine
        awaitLeaders(kafka, Topics.ARTICLES_RAW.name());
        Map<String, String> settings = new HashMap<>(own);
        settings.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        settings.put(EnrichConfig.STATE_DIR, stateDir.toString());
        return new EnrichConfig(settings);
    }

    private static HttpResponse<String> get(URI base, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitLeaders(EmbeddedKafka kafka, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> admin.describeTopics(List.of(topic)).allTopicNames().get()
                    .get(topic).partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
        }
    }

    private static <V> KafkaConsumer<String, V> consumer(EmbeddedKafka kafka, Topic<String, V> topic) {
        KafkaConsumer<String, V> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-read-" + topic.name(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        c.subscribe(List.of(topic.name()));
        return c;
    }
}
