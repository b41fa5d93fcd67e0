package dev.newsline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.newsline.cli.local.LocalStack;
import dev.newsline.ingest.produce.ArticleProducer;
import dev.newsline.ingest.replay.ArchiveReplayer;
import dev.newsline.ingest.replay.ReplayOptions;
import dev.newsline.ingest.replay.ReplaySummary;
import dev.newsline.model.StancePolarity;
import dev.newsline.model.topic.Topics;
import dev.newsline.sink.store.ArticleSummary;
import dev.newsline.sink.store.StanceView;
import dev.newsline.sink.store.TopEntity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Raw articles produced -> enrich -> sink -> rows, on the embedded broker and the embedded store. */
class PipelineIT {

    private static final String[] CITIES = {"Lisbon", "Warsaw", "Dublin", "Vienna", "Madrid", "Prague"};

    @TempDir
    Path dir;

    @Test
    void shouldCarryEveryArticleFromRawTopicToStoredRowsWithEntitiesAndStances() throws Exception {
        Path archive = dir.resolve("archive.jsonl");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String city = CITIES[i % CITIES.length];
            lines.add(String.format("""
                    {"url":"https://wire.example/story/%d?utm_source=feed","title":"Clara Hoff backs transit plan in %s",\
                    "body":"Mayor Clara Hoff backed the transit plan in %s on Monday.\\n\\nCouncillor Piet Maas rejected the plan, \
                    calling it a waste of money. Hoff said the European Union would fund half of the cost.",\
                    "published":"2019-03-1%dT0%d:30:00Z","source":"Wire Example"}""", i, city, city, i % 7, i % 10));
        }
        lines.add("{\"title\":\"no url here\",\"body\":\"x\"}");
        lines.add(lines.get(0));
        Files.write(archive, lines);

        try (LocalStack stack = LocalStack.start(dir.resolve("data"), 0, Map.of())) {
            ReplaySummary summary;
            try (ArticleProducer producer = new ArticleProducer(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
                summary = new ArchiveReplayer(producer, ReplayOptions.defaults(), n -> { }).replay(List.of(archive));
            }
            assertThat(summary.produced()).isEqualTo(12);
            assertThat(summary.duplicates()).isEqualTo(1);
            assertThat(summary.rejected()).containsExactly(Map.entry("missing-url", 1L));

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                    .until(() -> stack.store().articleCount() == 12);

            List<ArticleSummary> latest = stack.store().latestArticles(null, 50);
            assertThat(latest).hasSize(12);
            assertThat(latest.get(0).url()).doesNotContain("utm_source");
            assertThat(latest).extracting(ArticleSummary::title).contains("Clara Hoff backs transit plan in Lisbon");

            List<TopEntity> top = stack.store().topEntities(Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"), 5);
            assertThat(top).extracting(TopEntity::id).contains("per:clara-hoff", "per:piet-maas", "org:european-union");
            assertThat(top).filteredOn(e -> e.id().equals("per:clara-hoff")).singleElement()
                    .satisfies(e -> assertThat(e.articleCount()).isEqualTo(12));

            List<StanceView> stances = stack.store().stances("per:piet-maas", 100);
            assertThat(stances).hasSize(12).allSatisfy(s -> {
                assertThat(s.polarity()).isEqualTo(StancePolarity.OPPOSE);
                assertThat(s.targetText()).isEqualTo("the plan");
                assertThat(s.evidence()).startsWith("Councillor Piet Maas rejected the plan");
            });

            // a replay of the same archive changes nothing downstream
            Map<String, Long> before = stack.store().counts();
            try (ArticleProducer producer = new ArticleProducer(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
                new ArchiveReplayer(producer, ReplayOptions.defaults(), n -> { }).replay(List.of(archive));
            }
            awaitSinkCaughtUp(stack, 24);
            Map<String, Long> after = new HashMap<>(stack.store().counts());
            Map<String, Long> expected = new HashMap<>(before);
            // trend windows and offsets move on with the replay; the article rows must not
            for (String table : List.of("articles", "entities", "mentions", "stances")) {
                assertThat(after.get(table)).as(table).isEqualTo(expected.get(table));
            }
        }
    }

    /**
     * Waits until the enriched topic holds {@code records} committed records and the sink has
     * applied every one of them (it stores last offset + 1 per partition; transaction markers
     * take offsets too, so the topic's end offset is not the target).
     */
    private static void awaitSinkCaughtUp(LocalStack stack, int records) {
        try (var consumer = new KafkaConsumer<byte[], byte[]>(Map.of(
                "bootstrap.servers", stack.bootstrapServers(), "isolation.level", "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ARTICLES_ENRICHED.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> lastOffset = new HashMap<>();
            int[] seen = {0};
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    seen[0]++;
                    lastOffset.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::max);
                }
                return seen[0] >= records;
            });
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Map<TopicPartition, Long> applied = stack.store().appliedOffsets("newsline-sink");
                lastOffset.forEach((tp, offset) -> assertThat(applied.getOrDefault(tp, 0L)).as(tp.toString())
                        .isGreaterThan(offset));
            });
        }
    }
}
