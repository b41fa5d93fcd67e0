package dev.newsline.ingest.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.newsline.embedded.EmbeddedKafka;
import dev.newsline.ingest.produce.ArticleProducer;
import dev.newsline.model.DeadLetter;
import dev.newsline.model.RawArticle;
import dev.newsline.model.topic.DeadLetters;
import dev.newsline.model.topic.Topic;
import dev.newsline.model.topic.Topics;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveReplayerIT {

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.startTemporary();
        kafka.createTopics(List.of(new NewTopic(Topics.ARTICLES_RAW.name(), 3, (short) 1),
                new NewTopic(Topics.INGEST_DLQ.name(), 1, (short) 1)));
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void shouldProduceArticlesInEventTimeAndDeadLetterBadLines(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.jsonl"), String.join("\n",
                "{\"url\":\"https://n.example/1\",\"title\":\"One\",\"body\":\"First.\",\"published\":\"2026-11-20T08:00:00Z\"}",
                "{\"url\":\"https://n.example/1?utm_source=x\",\"title\":\"One\",\"body\":\"First.\",\"published\":\"2026-11-20T08:00:00Z\"}",
                "{broken",
                "",
                "{\"url\":\"https://n.example/2\",\"title\":\"Two\",\"body\":\"Second.\",\"published\":\"2026-11-21T09:30:00Z\"}"));
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("b.jsonl.gz")))) {
            out.write("{\"url\":\"https://n.example/3\",\"body\":\"Third.\",\"published\":\"2026-11-22T10:00:00Z\"}\n"
                    .getBytes(StandardCharsets.UTF_8));
        }

        ReplaySummary summary;
        try (ArticleProducer producer = new ArticleProducer(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            summary = new ArchiveReplayer(producer, ReplayOptions.defaults(), n -> { }).replay(List.of(dir));
        }

        assertThat(summary.read()).isEqualTo(5);
        assertThat(summary.produced()).isEqualTo(3);
        assertThat(summary.duplicates()).isEqualTo(1);
        assertThat(summary.rejected()).containsExactly(Map.entry("invalid-json", 1L));

        List<ConsumerRecord<String, RawArticle>> raw = readAll(Topics.ARTICLES_RAW, 3);
        assertThat(raw).extracting(r -> r.value().getTitle()).containsExactlyInAnyOrder("One", "Two", "");
        ConsumerRecord<String, RawArticle> two = raw.stream().filter(r -> r.value().getTitle().equals("Two")).findFirst().orElseThrow();
        assertThat(two.timestamp()).isEqualTo(Instant.parse("2026-11-21T09:30:00Z").toEpochMilli());
        assertThat(two.key()).isEqualTo(two.value().getId());

        ConsumerRecord<String, DeadLetter> dead = readAll(Topics.INGEST_DLQ, 1).get(0);
        assertThat(dead.value().getReason()).isEqualTo("invalid-json");
        assertThat(dead.value().getOffset()).isEqualTo(3L);
        assertThat(new String(dead.headers().lastHeader(DeadLetters.HEADER_REASON).value(), StandardCharsets.UTF_8))
                .isEqualTo("invalid-json");
    }

    private static <V> List<ConsumerRecord<String, V>> readAll(Topic<String, V> topic, int expected) {
        List<ConsumerRecord<String, V>> out = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + topic.name(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            // one more poll proves nothing beyond the expected records arrived
            consumer.poll(Duration.ofMillis(500)).forEach(out::add);
        }
        return out;
    }
}
