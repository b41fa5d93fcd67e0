package dev.newsline.enrich.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.newsline.enrich.Articles;
import dev.newsline.enrich.EnrichConfig;
import dev.newsline.enrich.EnrichMetrics;
import dev.newsline.enrich.Enricher;
import dev.newsline.model.DeadLetter;
import dev.newsline.model.EnrichedArticle;
import dev.newsline.model.EntityMention;
import dev.newsline.model.EntityTrend;
import dev.newsline.model.RawArticle;
import dev.newsline.model.topic.DeadLetters;
import dev.newsline.model.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EnrichTopologyTest {

    private static Enricher enricher;

    private TopologyTestDriver driver;
    private TestInputTopic<String, RawArticle> raw;
    private TestInputTopic<String, byte[]> rawBytes;
    private TestOutputTopic<String, EnrichedArticle> enriched;
    private TestOutputTopic<String, EntityMention> mentions;
    private TestOutputTopic<String, EntityTrend> trends;
    private TestOutputTopic<String, DeadLetter> dlq;
    private final List<String> deadLetterReports = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void loadModels() {
        enricher = Enricher.load();
    }

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path stateDir;

    @BeforeEach
    void setUp() {
        EnrichConfig config = new EnrichConfig(Map.of());
        // "boom" stands for an article the enrichment code fails on
        var topology = EnrichTopology.buildTopology(config, a -> {
            if (a.getId().equals("boom")) {
                throw new IllegalStateException("tagger failed on boom");
            }
            if (a.getId().equals("deep")) {
                throw new StackOverflowError();
            }
            return enricher.enrich(a);
        });
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "enrich-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(DeadLetterHandler.METRICS_CONFIG, new EnrichMetrics() {
            @Override
            public void deadLettered(String reason) {
                deadLetterReports.add(reason);
            }
        });
        driver = new TopologyTestDriver(topology, props);
        raw = driver.createInputTopic(Topics.ARTICLES_RAW.name(), new StringSerializer(), Topics.RAW_ARTICLE_SERDE);
        rawBytes = driver.createInputTopic(Topics.ARTICLES_RAW.name(), new StringSerializer(), new ByteArraySerializer());
        enriched = driver.createOutputTopic(Topics.ARTICLES_ENRICHED.name(), Topics.ARTICLES_ENRICHED.keySerde().deserializer(),
                Topics.ENRICHED_ARTICLE_SERDE);
        mentions = driver.createOutputTopic(Topics.ENTITY_MENTIONS.name(), Topics.ENTITY_MENTIONS.keySerde().deserializer(),
                Topics.ENTITY_MENTION_SERDE);
        trends = driver.createOutputTopic(Topics.ENTITY_TRENDS.name(), Topics.ENTITY_TRENDS.keySerde().deserializer(),
                Topics.ENTITY_TREND_SERDE);
        dlq = driver.createOutputTopic(Topics.ENRICH_DLQ.name(), Topics.ENRICH_DLQ.keySerde().deserializer(),
                Topics.DEAD_LETTER_SERDE);
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void shouldEnrichKeyedByArticleIdInEventTimeAndFanOutMentionsByEntity() {
        Instant published = Instant.parse("2026-11-24T09:15:00Z");
        raw.pipeInput(new TestRecord<>("a1", Articles.raw("a1", Articles.BUDGET_TITLE, Articles.BUDGET_BODY, published),
                published));

        TestRecord<String, EnrichedArticle> out = enriched.readRecord();
        assertThat(out.key()).isEqualTo("a1");
        assertThat(out.timestamp()).isEqualTo(published.toEpochMilli());
        assertThat(out.value().getEntities()).isNotEmpty();
        assertThat(enriched.isEmpty()).isTrue();

        List<TestRecord<String, EntityMention>> fanned = mentions.readRecordsToList();
        assertThat(fanned).hasSize(out.value().getEntities().size());
        assertThat(fanned).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo(r.value().getEntityId());
            assertThat(r.value().getArticleId()).isEqualTo("a1");
        });
        assertThat(fanned).extracting(TestRecord::key).contains("per:elena-varga", "loc:united-states");
    }

    @Test
    void shouldCountArticlesPerEntityInHourlyEventTimeWindows() {
        Instant nine = Instant.parse("2026-11-24T09:10:00Z");
        raw.pipeInput(new TestRecord<>("a1", Articles.raw("a1", "", "Elena Varga spoke.", nine), nine));
        raw.pipeInput(new TestRecord<>("a2", Articles.raw("a2", "", "Elena Varga left.", nine.plusSeconds(1200)), nine.plusSeconds(1200)));
        raw.pipeInput(new TestRecord<>("a3", Articles.raw("a3", "", "Elena Varga slept.", nine.plusSeconds(3600)), nine.plusSeconds(3600)));

        Map<String, EntityTrend> latest = trends.readKeyValuesToMap();
        long nineHour = Instant.parse("2026-11-24T09:00:00Z").toEpochMilli();
        EntityTrend first = latest.get(EnrichTopology.trendKey("per:elena-varga", nineHour));
        assertThat(first.getArticleCount()).isEqualTo(2);
        assertThat(first.getWindowStart()).isEqualTo(Instant.ofEpochMilli(nineHour));
        assertThat(first.getWindowEnd()).isEqualTo(Instant.ofEpochMilli(nineHour).plusSeconds(3600));
        assertThat(latest.get(EnrichTopology.trendKey("per:elena-varga", nineHour + 3_600_000)).getArticleCount()).isEqualTo(1);

        WindowStore<String, EntityTrend> store = driver.getWindowStore(EnrichTopology.TRENDS_STORE);
        assertThat(store.fetch("per:elena-varga", nineHour).getArticleCount()).isEqualTo(2);
    }

    @Test
    void shouldDeadLetterArticlesThatFailEnrichmentAndKeepGoing() {
        raw.pipeInput("boom", Articles.raw("boom", "", "Elena Varga spoke.", null));
        raw.pipeInput("ok", Articles.raw("ok", "", "Elena Varga spoke.", null));

        List<TestRecord<String, DeadLetter>> dead = dlq.readRecordsToList();
        assertThat(dead).hasSize(1);
        DeadLetter letter = dead.get(0).value();
        assertThat(letter.getReason()).isEqualTo("enrichment-failed");
        assertThat(letter.getService()).isEqualTo("enrich");
        assertThat(letter.getOrigin()).isEqualTo(Topics.ARTICLES_RAW.name());
        assertThat(letter.getDetail()).contains("tagger failed on boom");
        assertThat(Topics.RAW_ARTICLE_SERDE.deserialize("t", letter.getPayload().array()).getId()).isEqualTo("boom");
        assertThat(new String(dead.get(0).headers().lastHeader(DeadLetters.HEADER_REASON).value(), StandardCharsets.UTF_8))
                .isEqualTo("enrichment-failed");
        assertThat(deadLetterReports).containsExactly("enrichment-failed");
        assertThat(enriched.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("ok");
    }

    @Test
    void shouldDeadLetterAnArticleWhoseEnrichmentOverflowsTheStackAndKeepGoing() {
        raw.pipeInput("deep", Articles.raw("deep", "", "Elena Varga spoke.", null));
        raw.pipeInput("ok", Articles.raw("ok", "", "Elena Varga spoke.", null));

        List<TestRecord<String, DeadLetter>> dead = dlq.readRecordsToList();
        assertThat(dead).extracting(TestRecord::key).containsExactly("deep");
        assertThat(dead.get(0).value().getReason()).isEqualTo("enrichment-failed");
        assertThat(dead.get(0).value().getDetail()).isEqualTo("stack overflow while enriching article deep");
        assertThat(enriched.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("ok");
    }

    @Test
    void shouldEnrichARecordDeliveredTwiceOnceButAnUpdateAndAReplayAgain() {
        Instant nine = Instant.parse("2026-09-14T09:10:00Z");
        RawArticle first = RawArticle.newBuilder(Articles.raw("a1", "", "Elena Varga spoke.", nine))
                .setContentHash("hash-1").build();
        RawArticle update = RawArticle.newBuilder(first).setBody("Elena Varga spoke again.").setContentHash("hash-2").build();
        RawArticle replayed = RawArticle.newBuilder(update).setFetchedAt(update.getFetchedAt().plusSeconds(3600)).build();

        raw.pipeInput(new TestRecord<>("a1", first, nine));
        // a producer retry the broker did not recognise: the same record appended a second time
        raw.pipeInput(new TestRecord<>("a1", first, nine));
        raw.pipeInput(new TestRecord<>("a1", update, nine));
        // the same content replayed later: a new record, enriched again as before
        raw.pipeInput(new TestRecord<>("a1", replayed, nine));

        assertThat(enriched.readValuesToList()).extracting(a -> a.getBody().toString())
                .containsExactly("Elena Varga spoke.", "Elena Varga spoke again.", "Elena Varga spoke again.");
        assertThat(mentions.readRecordsToList()).hasSize(3);
        KeyValueStore<String, String> versions = driver.getKeyValueStore(EnrichTopology.ARTICLE_VERSIONS_STORE);
        assertThat(versions.get("a1")).isEqualTo("hash-2@" + replayed.getFetchedAt().toEpochMilli());
    }

    @Test
    void shouldForgetRecordFingerprintsOnceTheirRetentionIsOverASweepAtATime() {
        KeyValueStore<String, String> versions = driver.getKeyValueStore(EnrichTopology.ARTICLE_VERSIONS_STORE);
        Instant now = Instant.now(); // the driver's wall clock starts at the system time
        RawArticle recent = RawArticle.newBuilder(Articles.raw("recent", "", "Elena Varga spoke.", null))
                .setContentHash("h1").setFetchedAt(now).build();
        RawArticle old = RawArticle.newBuilder(Articles.raw("old", "", "Marek Lind spoke.", null))
                .setContentHash("h2").setFetchedAt(now.minus(Duration.ofDays(8))).build();
        raw.pipeInput("recent", recent);
        raw.pipeInput("old", old);
        // a backlog of expired fingerprints, more than two sweeps examine
        int stale = 2 * RedeliveryFilter.SWEEP_BATCH + 500;
        for (int i = 0; i < stale; i++) {
            versions.put("stale-" + i, "h@" + now.minus(Duration.ofDays(30)).toEpochMilli());
        }

        driver.advanceWallClockTime(RedeliveryFilter.SWEEP_INTERVAL);
        // "old", "recent" and the first 9,998 stale entries examined; all but "recent" deleted
        assertThat(count(versions)).isEqualTo(2 + stale - (RedeliveryFilter.SWEEP_BATCH - 1));
        for (int sweep = 0; sweep < 3; sweep++) {
            driver.advanceWallClockTime(RedeliveryFilter.SWEEP_INTERVAL);
        }
        assertThat(count(versions)).isEqualTo(1);
        assertThat(versions.get("recent")).isEqualTo("h1@" + now.toEpochMilli());

        // delivered again: the forgotten one is enriched again, the one still known is not
        raw.pipeInput("old", old);
        raw.pipeInput("recent", recent);
        assertThat(enriched.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("recent", "old", "old");

        driver.advanceWallClockTime(Duration.ofDays(7));
        assertThat(count(versions)).isZero();
    }

    private static long count(KeyValueStore<String, String> store) {
        try (var all = store.all()) {
            long n = 0;
            for (; all.hasNext(); all.next()) {
                n++;
            }
            return n;
        }
    }

    @Test
    void shouldEnrichRecordsWithoutContentHashEveryTime() {
        RawArticle unhashed = Articles.raw("a1", "", "Elena Varga spoke.", null);

        raw.pipeInput("a1", unhashed);
        raw.pipeInput("a1", unhashed);

        assertThat(enriched.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("a1", "a1");
    }

    @Test
    void shouldSkipUnreadableRecordsWithoutStopping() {
        // the dead letters for these are proven on a real broker in EnrichServiceIT: the test
        // driver does not forward records that a deserialization handler returns
        rawBytes.pipeInput("garbage", "not avro at all".getBytes(StandardCharsets.UTF_8));
        byte[] unknownVersion = Topics.RAW_ARTICLE_SERDE.serialize("t", Articles.raw("v9", "", "x", null));
        unknownVersion[2] ^= 0x5a;
        rawBytes.pipeInput("v9", unknownVersion);
        raw.pipeInput("ok", Articles.raw("ok", "", "Elena Varga spoke.", null));

        assertThat(enriched.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("ok");
    }
}
