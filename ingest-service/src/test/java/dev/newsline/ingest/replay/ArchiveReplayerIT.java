package dev.newsline.ingest.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.newsline.embedded.EmbeddedKafka;
import dev.newsline.ingest.dedup.KafkaSeenStore;
import dev.newsline.ingest.dedup.SeenTopic;
import dev.newsline.ingest.produce.ArticleProducer;
import dev.newsline.ingest.support.TopicReader;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archive replays on a real broker; each test reads back only its own hosts and archive paths. */
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

        List<ConsumerRecord<String, RawArticle>> raw = articlesOf("https://n.example/");
        assertThat(raw).extracting(r -> r.value().getTitle()).containsExactlyInAnyOrder("One", "Two", "");
        ConsumerRecord<String, RawArticle> two = raw.stream().filter(r -> r.value().getTitle().equals("Two")).findFirst().orElseThrow();
        assertThat(two.timestamp()).isEqualTo(Instant.parse("2026-11-21T09:30:00Z").toEpochMilli());
        assertThat(two.key()).isEqualTo(two.value().getId());

        ConsumerRecord<String, DeadLetter> dead = deadLettersUnder(dir).get(0);
        assertThat(dead.value().getReason()).isEqualTo("invalid-json");
        assertThat(dead.value().getOffset()).isEqualTo(3L);
        assertThat(new String(dead.headers().lastHeader(DeadLetters.HEADER_REASON).value(), StandardCharsets.UTF_8))
                .isEqualTo("invalid-json");
    }

    @Test
    void shouldReplaySavedFeedDocumentsOfEveryFormat(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("outlet.rss"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <rss version="2.0"><channel><title>Saved Outlet</title><link>https://saved.fictional.example/</link><description>d</description>
                  <item><title>Saved RSS item</title><link>https://saved.fictional.example/rss/1</link><pubDate>Sun, 29 Nov 2026 10:00:00 GMT</pubDate></item>
                  <item><title>No link at all</title><description>rejected</description></item>
                </channel></rss>""");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("other.atom.gz")))) {
            out.write("""
                    <feed xmlns="http://www.w3.org/2005/Atom"><title>Saved Atom</title><id>urn:saved</id><updated>2026-11-29T11:00:00Z</updated>
                      <entry><title>Saved Atom entry</title><id>urn:saved:1</id><link href="https://saved.fictional.example/atom/1"/>
                        <updated>2026-11-29T11:00:00Z</updated><content type="html">&lt;p&gt;Atom body&lt;/p&gt;</content></entry>
                    </feed>""".getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(dir.resolve("feed.json"), """
                {
                  "version": "https://jsonfeed.org/version/1.1",
                  "title": "Saved JSON",
                  "items": [{"id": "sj-1", "url": "https://saved.fictional.example/json/1", "title": "Saved JSON item",
                             "content_text": "JSON body", "date_published": "2026-11-29T12:00:00Z"}]
                }""");
        Files.writeString(dir.resolve("lines.json"),
                "{\"url\":\"https://saved.fictional.example/line/1\",\"title\":\"Saved line\",\"body\":\"Line body\"}\n");
        Files.writeString(dir.resolve("hostile.xml"), "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY x \"y\">]>"
                + "<rss version=\"2.0\"><channel><title>&x;</title></channel></rss>");

        ReplaySummary summary;
        try (ArticleProducer producer = new ArticleProducer(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            summary = new ArchiveReplayer(producer, ReplayOptions.defaults(), n -> { }).replay(List.of(dir));
        }

        assertThat(summary.produced()).isEqualTo(4);
        assertThat(summary.rejected()).containsOnly(Map.entry("missing-link", 1L), Map.entry("doctype-forbidden", 1L));
        List<ConsumerRecord<String, RawArticle>> raw = articlesOf("https://saved.fictional.example/");
        assertThat(raw).extracting(r -> r.value().getTitle()).containsExactlyInAnyOrder(
                "Saved RSS item", "Saved Atom entry", "Saved JSON item", "Saved line");
        assertThat(raw).filteredOn(r -> r.value().getTitle().equals("Saved Atom entry")).singleElement().satisfies(r -> {
            assertThat(r.value().getBody()).isEqualTo("<p>Atom body</p>");
            assertThat(r.value().getSource()).isEqualTo("Saved Atom");
            assertThat(r.value().getFeedUrl()).isNull();
            assertThat(r.timestamp()).isEqualTo(Instant.parse("2026-11-29T11:00:00Z").toEpochMilli());
        });
        assertThat(deadLettersUnder(dir)).extracting(r -> r.value().getReason(), r -> r.value().getOrigin())
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("missing-link", dir.resolve("outlet.rss").toString()),
                        org.assertj.core.groups.Tuple.tuple("doctype-forbidden", dir.resolve("hostile.xml").toString()));
    }

    @Test
    void shouldProduceNothingWhenTheSameArchiveIsReplayedAgainWithTheSeenStore(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("day.jsonl"), String.join("\n",
                "{\"url\":\"https://again.fictional.example/1\",\"title\":\"A\",\"body\":\"Alpha\"}",
                "{\"url\":\"https://again.fictional.example/2\",\"title\":\"B\",\"body\":\"Beta\"}"));
        Files.writeString(dir.resolve("day.rss"), "<rss version=\"2.0\"><channel><title>Again</title>"
                + "<item><title>C</title><link>https://again.fictional.example/3</link></item></channel></rss>");
        Topic<String, String> seenTopic = SeenTopic.named("seen.replay-twice", 1);

        ReplaySummary first = replayWithSeenStore(dir, seenTopic, ReplayOptions.defaults());
        ReplaySummary dryRun = replayWithSeenStore(dir, seenTopic, new ReplayOptions(null, null, 0, true));
        Files.writeString(dir.resolve("day.jsonl"), "\n{\"url\":\"https://again.fictional.example/2\",\"title\":\"B\",\"body\":\"Beta, corrected\"}\n",
                java.nio.file.StandardOpenOption.APPEND);
        ReplaySummary second = replayWithSeenStore(dir, seenTopic, ReplayOptions.defaults());

        assertThat(first.produced()).isEqualTo(3);
        assertThat(dryRun.produced()).isZero();
        assertThat(dryRun.duplicates()).isEqualTo(3);
        assertThat(second.produced()).as("only the corrected article").isEqualTo(1);
        assertThat(second.duplicates()).isEqualTo(3);
        assertThat(second.rejected()).isEmpty();
        assertThat(articlesOf("https://again.fictional.example/")).extracting(r -> r.value().getBody())
                .containsExactlyInAnyOrder("Alpha", "Beta", "Beta, corrected", "");
    }

    private static ReplaySummary replayWithSeenStore(Path dir, Topic<String, String> seenTopic, ReplayOptions options) {
        Map<String, Object> settings = Map.of("bootstrap.servers", kafka.bootstrapServers());
        try (KafkaSeenStore seen = KafkaSeenStore.open(settings, seenTopic, Duration.ofSeconds(30));
             ArticleProducer producer = new ArticleProducer(settings)) {
            return new ArchiveReplayer(producer, options, n -> { }, seen).replay(List.of(dir));
        }
    }

    private static List<ConsumerRecord<String, RawArticle>> articlesOf(String urlPrefix) {
        return TopicReader.readAll(kafka.bootstrapServers(), Topics.ARTICLES_RAW,
                r -> r.value().getCanonicalUrl().startsWith(urlPrefix));
    }

    private static List<ConsumerRecord<String, DeadLetter>> deadLettersUnder(Path dir) {
        List<ConsumerRecord<String, DeadLetter>> out = new ArrayList<>(TopicReader.readAll(kafka.bootstrapServers(),
                Topics.INGEST_DLQ, r -> r.value().getOrigin() != null && r.value().getOrigin().startsWith(dir.toString())));
        return out;
    }
}
