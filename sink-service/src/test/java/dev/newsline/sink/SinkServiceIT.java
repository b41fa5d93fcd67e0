package dev.newsline.sink;

import static dev.newsline.sink.testing.TestArticle.BASE_TIME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.newsline.model.DeadLetter;
import dev.newsline.model.EnrichedArticle;
import dev.newsline.model.EntityType;
import dev.newsline.model.StancePolarity;
import dev.newsline.model.topic.DeadLetters;
import dev.newsline.model.topic.Topics;
import dev.newsline.sink.consume.RecordDecoder;
import dev.newsline.sink.store.ArticleStore;
import dev.newsline.sink.store.ArticleSummary;
import dev.newsline.sink.http.ApiAddressFile;
import dev.newsline.sink.store.StoredRecord;
import dev.newsline.sink.testing.Backend;
import dev.newsline.sink.testing.TcpProxy;
import dev.newsline.sink.testing.TestArticle;
import dev.newsline.sink.testing.TestDatabase;
import dev.newsline.sink.testing.TestKafka;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SinkServiceIT {

    private static final String ARTICLES = Topics.ARTICLES_ENRICHED.name();
    private static final String TRENDS = Topics.ENTITY_TRENDS.name();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tempDir;

    private TestKafka kafka;
    private final String group = "sink-it-" + UUID.randomUUID();

    @BeforeEach
    void startKafka() {
        kafka = TestKafka.start(tempDir.resolve("kafka"));
    }

    @AfterEach
    void stopKafka() {
        kafka.close();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void shouldWriteEveryProducedArticleOnceWithItsEntitiesMentionsAndStances(Backend backend) {
        List<EnrichedArticle> articles = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            articles.add(TestArticle.typical("a" + i, BASE_TIME.plus(Duration.ofHours(i))));
        }
        EnrichedArticle reEnriched = TestArticle.builder("a0").published(BASE_TIME).enricherVersion("test-2")
                .title("Ferry budget passes in Northbridge")
                .entity("loc:northbridge", "Northbridge", EntityType.LOCATION, 0.0, "Northbridge")
                .stance("org:northbridge-council", "Northbridge Council", null, "a smaller ferry budget",
                        StancePolarity.SUPPORT, "backed")
                .build();

        try (TestDatabase db = backend.open(tempDir); ArticleStore store = db.openStore();
             SinkService sink = new SinkService(config(db), store)) {
            articles.forEach(this::send);
            send(reEnriched);
            for (int h = 0; h < 3; h++) {
                kafka.send(TRENDS, "per:elena-varga@" + h, Topics.ENTITY_TREND_SERDE.codec().encode(
                        TestArticle.trend("per:elena-varga", BASE_TIME.plus(Duration.ofHours(h)), h + 1, -0.4)));
            }
            sink.start();

            await().atMost(WAIT).until(() -> sink.written() == 44);
            // 40 articles and their re-enrichment; the three trends are no articles
            assertThat(sink.articlesWritten()).isEqualTo(41);

            int typicalMentions = TestArticle.mentionRows(articles.get(1));
            assertThat(store.counts()).containsExactlyEntriesOf(ordered(
                    "articles", 40L, "entities", 3L, "mentions", 39L * typicalMentions + TestArticle.mentionRows(reEnriched),
                    "stances", 40L, "entity_trends", 3L,
                    "kafka_offsets", (long) kafka.endOffsets(ARTICLES).size() + kafka.endOffsets(TRENDS).size()));
            assertThat(store.latestArticles("loc:northbridge", 5)).extracting(ArticleSummary::title)
                    .containsExactly("Ferry budget passes in Northbridge");
            assertThat(store.latestArticles(null, 1)).extracting(ArticleSummary::id).containsExactly("a39");
            assertThat(store.stances("per:elena-varga", 100)).hasSize(39)
                    .allSatisfy(s -> assertThat(s.evidence()).startsWith("Mayor Elena Varga rejected"));
            assertThat(store.trend("per:elena-varga")).extracting(p -> p.articleCount()).containsExactly(1L, 2L, 3L);
            assertThat(store.appliedOffsets(group)).isEqualTo(allEndOffsets());
            await().atMost(WAIT).until(() -> kafka.committedOffsets(group).equals(allEndOffsets()));
            assertThat(sink.healthy()).isTrue();
            assertThat(sink.deadLettered()).isZero();
            assertThat(sink.batches()).isPositive();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void shouldResumeFromTheStoredOffsetsAfterACrashBetweenDatabaseAndKafkaCommits(Backend backend) {
        try (TestDatabase db = backend.open(tempDir); ArticleStore store = db.openStore()) {
            for (int i = 0; i < 20; i++) {
                send(TestArticle.typical("a" + i, BASE_TIME.plus(Duration.ofMinutes(i))));
            }
            // an earlier instance wrote the first records of each partition with their offsets,
            // then died before committing anything to Kafka
            List<StoredRecord> appliedBeforeCrash = kafka.readAll(ARTICLES, 20).stream()
                    .collect(Collectors.groupingBy(ConsumerRecord::partition)).values().stream()
                    .flatMap(records -> records.stream().sorted(Comparator.comparingLong(ConsumerRecord::offset))
                            .limit((records.size() + 1) / 2))
                    .map(RecordDecoder::decode).toList();
            store.apply(appliedBeforeCrash, group);
            assertThat(kafka.committedOffsets(group)).isEmpty();

            try (SinkService first = new SinkService(config(db), store)) {
                first.start();
                await().atMost(WAIT).until(() -> store.articleCount() == 20);
                await().atMost(WAIT).until(() -> kafka.committedOffsets(group).equals(allEndOffsets()));
                assertThat(first.written()).isEqualTo(20 - appliedBeforeCrash.size());
            }

            for (int i = 20; i < 25; i++) {
                send(TestArticle.typical("a" + i, BASE_TIME.plus(Duration.ofMinutes(i))));
            }
            try (SinkService second = new SinkService(config(db), store)) {
                second.start();
                await().atMost(WAIT).until(() -> store.articleCount() == 25);
                await().atMost(WAIT).until(() -> kafka.committedOffsets(group).equals(allEndOffsets()));
                assertThat(second.written()).isEqualTo(5);
            }

            int mentionsPerArticle = TestArticle.mentionRows(TestArticle.typical("any", BASE_TIME));
            assertThat(store.counts()).containsEntry("articles", 25L).containsEntry("stances", 25L)
                    .containsEntry("mentions", 25L * mentionsPerArticle);
            assertThat(store.appliedOffsets(group)).isEqualTo(allEndOffsets());
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void shouldDeadLetterPoisonRecordsWithTheirReasonAndWriteTheRest(Backend backend) {
        byte[] valid = Topics.ENRICHED_ARTICLE_SERDE.codec().encode(TestArticle.typical("template", BASE_TIME));
        byte[] unknownSchema = Arrays.copyOf(valid, valid.length);
        ByteBuffer.wrap(unknownSchema, 2, 8).putLong(0x0123456789abcdefL);
        byte[] garbage = "<rss>not avro</rss>".getBytes(StandardCharsets.UTF_8);
        EnrichedArticle tooLongId = TestArticle.typical("x".repeat(600), BASE_TIME);

        try (TestDatabase db = backend.open(tempDir)) {
            for (int i = 0; i < 5; i++) {
                send(TestArticle.typical("good" + i, BASE_TIME));
            }
            Map<String, RecordMetadata> poison = new HashMap<>();
            poison.put("garbage", kafka.send(ARTICLES, "garbage", garbage));
            poison.put("unknown", kafka.send(ARTICLES, "unknown", unknownSchema));
            poison.put("too-long", kafka.send(ARTICLES, "too-long",
                    Topics.ENRICHED_ARTICLE_SERDE.codec().encode(tooLongId)));
            for (int i = 5; i < 10; i++) {
                send(TestArticle.typical("good" + i, BASE_TIME));
            }

            try (SinkService sink = SinkService.create(config(db)); ArticleStore store = db.openStore()) {
                sink.start();
                await().atMost(WAIT).until(() -> store.appliedOffsets(group).equals(allEndOffsets()));

                assertThat(store.articleCount()).isEqualTo(10);
                assertThat(sink.written()).isEqualTo(10);
                assertThat(sink.deadLettered()).isEqualTo(3);
                assertThat(sink.healthy()).isTrue();
            }

            List<ConsumerRecord<byte[], byte[]>> letters = kafka.readAll(Topics.SINK_DLQ.name(), 3);
            assertThat(letters).hasSize(3);
            Map<String, String> reasonByKey = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : letters) {
                String key = new String(r.key(), StandardCharsets.UTF_8);
                reasonByKey.put(key, header(r, DeadLetters.HEADER_REASON));
                DeadLetter letter = Topics.DEAD_LETTER_SERDE.codec().decode(r.value());
                assertThat(letter.getService()).isEqualTo("sink");
                assertThat(letter.getOrigin()).isEqualTo(ARTICLES);
                assertThat(letter.getPartition()).isEqualTo(poison.get(key).partition());
                assertThat(letter.getOffset()).isEqualTo(poison.get(key).offset());
                assertThat(header(r, DeadLetters.HEADER_SERVICE)).isEqualTo("sink");
            }
            assertThat(reasonByKey).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "garbage", "invalid-record", "unknown", "unknown-schema",
                    "too-long", SinkService.REASON_STORE_REJECTED));
            DeadLetter garbageLetter = letters.stream()
                    .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals("garbage"))
                    .map(r -> Topics.DEAD_LETTER_SERDE.codec().decode(r.value())).findFirst().orElseThrow();
            assertThat(garbageLetter.getPayload()).isEqualTo(ByteBuffer.wrap(garbage));
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void shouldRetryWhileTheDatabaseIsUnreachableWithoutLosingRecordsOrLeavingTheGroup(Backend backend) {
        try (TestDatabase db = backend.openServed(tempDir); TcpProxy proxy = TcpProxy.start(db.address());
             ArticleStore store = ArticleStore.open(db.jdbcUrlVia(proxy.address()), db.user(), db.password(), 2,
                     Duration.ofMillis(500));
             SinkService sink = new SinkService(config(db, Map.of(
                     // evicted from the group within 2 s without a poll; the outage below lasts longer
                     "kafka.max.poll.interval.ms", "2000",
                     SinkConfig.JDBC_CONNECTION_TIMEOUT_MS, "500",
                     SinkConfig.RETRY_BACKOFF_MS, "100",
                     SinkConfig.RETRY_BACKOFF_MAX_MS, "400")), store)) {
            for (int i = 0; i < 5; i++) {
                send(TestArticle.typical("before" + i, BASE_TIME));
            }
            sink.start();
            await().atMost(WAIT).until(() -> sink.written() == 5 && sink.healthy());
            List<String> membersBefore = kafka.members(group);
            assertThat(membersBefore).hasSize(1);

            proxy.cut();
            for (int i = 0; i < 5; i++) {
                send(TestArticle.typical("during" + i, BASE_TIME));
            }
            await().atMost(WAIT).until(() -> !sink.healthy());
            long retriesAtCut = sink.retries();
            // about 0.9 s per retry (connection timeout plus backoff): well past max.poll.interval.ms
            await().atMost(WAIT).until(() -> sink.retries() >= retriesAtCut + 4);
            assertThat(sink.healthy()).isFalse();
            assertThat(sink.written()).isEqualTo(5);

            proxy.restore();
            await().atMost(WAIT).until(() -> sink.written() == 10 && sink.healthy());

            assertThat(kafka.members(group)).isEqualTo(membersBefore);
            assertThat(store.articleCount()).isEqualTo(10);
            assertThat(store.counts()).containsEntry("stances", 10L);
            assertThat(store.appliedOffsets(group)).isEqualTo(allEndOffsets());
            assertThat(sink.deadLettered()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void shouldHandPartitionsOverBetweenTwoInstancesWithoutLosingOrDoublingARecord(Backend backend) {
        Map<String, String> settings = Map.of(SinkConfig.MAX_POLL_RECORDS, "10",
                // a member learns of a rebalance at its next heartbeat
                "kafka.heartbeat.interval.ms", "300");
        try (TestDatabase db = backend.open(tempDir); ArticleStore store = db.openStore();
             SinkService first = SinkService.create(config(db, settings));
             SinkService second = SinkService.create(config(db, settings));
             Flow flow = new Flow("r")) {
            first.start();
            await().atMost(WAIT).until(() -> first.written() >= 20);

            second.start();
            await().atMost(WAIT).until(() -> kafka.members(group).size() == 2 && second.written() >= 20);
            long firstAfterJoin = first.written();
            // both instances own partitions and keep writing
            await().atMost(WAIT).until(() -> first.written() >= firstAfterJoin + 10);

            first.close();
            long secondAtHandOver = second.written();
            await().atMost(WAIT).until(() -> kafka.members(group).size() == 1
                    && second.written() >= secondAtHandOver + 40);
            int sent = flow.stop();
            await().atMost(WAIT).until(() -> store.appliedOffsets(group).equals(allEndOffsets()));

            int mentionsPerArticle = TestArticle.mentionRows(TestArticle.typical("any", BASE_TIME));
            assertThat(store.counts()).containsExactlyEntriesOf(ordered("articles", sent, "entities", 2,
                    "mentions", (long) sent * mentionsPerArticle, "stances", sent, "entity_trends", 0,
                    "kafka_offsets", Topics.ARTICLES_ENRICHED.partitions()));
            // every record written by exactly one instance, exactly once
            assertThat(first.written() + second.written()).isEqualTo(sent);
            assertThat(first.written()).isGreaterThanOrEqualTo(firstAfterJoin + 10);
            assertThat(first.deadLettered() + second.deadLettered()).isZero();
            assertThat(second.healthy()).isTrue();
        }
    }

    /**
     * A restart, not just a network cut: the server itself ends every session mid-stream (H2
     * shuts the database down and opens it again from its file; PostgreSQL terminates the
     * sink's backends with 57P01, as a fast shutdown does), whatever was not committed is rolled
     * back, and no connection is accepted for a while. Records keep arriving throughout.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void shouldCarryOnExactlyWhereTheDatabaseLeftOffWhenItRestartsMidStream(Backend backend) {
        try (TestDatabase db = backend.openServed(tempDir); TcpProxy proxy = TcpProxy.start(db.address());
             ArticleStore store = ArticleStore.open(db.jdbcUrlVia(proxy.address()), db.user(), db.password(), 2,
                     Duration.ofMillis(500));
             SinkService sink = new SinkService(config(db, Map.of(
                     SinkConfig.MAX_POLL_RECORDS, "5",
                     SinkConfig.JDBC_CONNECTION_TIMEOUT_MS, "500",
                     SinkConfig.RETRY_BACKOFF_MS, "100",
                     SinkConfig.RETRY_BACKOFF_MAX_MS, "400")), store);
             Flow flow = new Flow("s")) {
            sink.start();
            await().atMost(WAIT).until(() -> sink.written() >= 30);

            db.shutDown(proxy);
            await().atMost(WAIT).until(() -> !sink.healthy());
            long retriesWhileDown = sink.retries();
            await().atMost(WAIT).until(() -> sink.retries() >= retriesWhileDown + 3);
            long writtenWhileDown = sink.written();

            proxy.restore();
            await().atMost(WAIT).until(() -> sink.healthy() && sink.written() > writtenWhileDown);
            int sent = flow.stop();
            await().atMost(WAIT).until(() -> store.appliedOffsets(group).equals(allEndOffsets()));

            int mentionsPerArticle = TestArticle.mentionRows(TestArticle.typical("any", BASE_TIME));
            assertThat(store.counts()).containsExactlyEntriesOf(ordered("articles", sent, "entities", 2,
                    "mentions", (long) sent * mentionsPerArticle, "stances", sent, "entity_trends", 0,
                    "kafka_offsets", Topics.ARTICLES_ENRICHED.partitions()));
            assertThat(sink.deadLettered()).isZero();
            assertThat(sink.healthy()).isTrue();
            assertThat(sink.failure()).isEmpty();
        }
    }

    @Test
    void shouldServeItsHttpApiAndSayWhereNextToTheEmbeddedStore() throws Exception {
        int port = freePort();
        HttpClient client = HttpClient.newHttpClient();
        try (TestDatabase db = Backend.H2.open(tempDir)) {
            Path addressFile = ApiAddressFile.forStore(db.jdbcUrl()).orElseThrow();
            for (int i = 0; i < 3; i++) {
                send(TestArticle.typical("a" + i, BASE_TIME.plus(Duration.ofHours(i))));
            }
            URI api;
            try (SinkService sink = SinkService.create(config(db, Map.of(SinkConfig.HTTP_PORT, String.valueOf(port))))) {
                sink.start();
                await().atMost(WAIT).until(() -> sink.written() == 3);

                api = sink.httpApi().orElseThrow();
                assertThat(api).isEqualTo(URI.create("http://127.0.0.1:" + port + "/"));
                assertThat(ApiAddressFile.read(addressFile)).hasValue(api);
                HttpResponse<String> ready = client.send(HttpRequest.newBuilder(api.resolve("health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(ready.statusCode()).isEqualTo(200);
                assertThat(ready.body()).contains("\"status\":\"UP\"", "\"written\":3");
                HttpResponse<String> latest = client.send(HttpRequest.newBuilder(api.resolve("api/articles?limit=1"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(latest.body()).contains("\"id\":\"a2\"").doesNotContain("\"id\":\"a1\"");
            }
            assertThat(addressFile).doesNotExist();
            URI stopped = api;
            assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(stopped.resolve("health/live")).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        }
    }

    @Test
    void shouldKeepWritingWithoutTheHttpApiWhenItsPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             TestDatabase db = Backend.H2.open(tempDir);
             SinkService sink = SinkService.create(config(db, Map.of(SinkConfig.HTTP_PORT,
                     String.valueOf(taken.getLocalPort()))))) {
            send(TestArticle.typical("a0", BASE_TIME));
            sink.start();
            await().atMost(WAIT).until(() -> sink.written() == 1);

            assertThat(sink.httpApi()).isEmpty();
            assertThat(sink.healthy()).isTrue();
            assertThat(ApiAddressFile.forStore(db.jdbcUrl()).orElseThrow()).doesNotExist();
        }
    }

    /** Sends typical articles PREFIX0, PREFIX1, ... from its own thread, about 200 a second, until stopped. */
    private final class Flow implements AutoCloseable {
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final AtomicInteger sent = new AtomicInteger();
        private final Thread thread;

        Flow(String prefix) {
            thread = new Thread(() -> {
                while (!stopped.get()) {
                    int i = sent.get();
                    send(TestArticle.typical(prefix + i, BASE_TIME.plus(Duration.ofMinutes(i))));
                    sent.incrementAndGet();
                    LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
                }
            }, "test-flow");
            thread.start();
        }

        /** Stops sending; returns how many articles were sent, every one acknowledged. */
        int stop() {
            stopped.set(true);
            try {
                thread.join(WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertThat(thread.isAlive()).as("flow thread still sending").isFalse();
            return sent.get();
        }

        @Override
        public void close() {
            stop();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private SinkConfig config(TestDatabase db) {
        return config(db, Map.of());
    }

    private SinkConfig config(TestDatabase db, Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>();
        values.put(SinkConfig.JDBC_URL, db.jdbcUrl());
        if (db.user() != null) {
            values.put(SinkConfig.JDBC_USER, db.user());
        }
        values.put(SinkConfig.GROUP_ID, group);
        values.put(SinkConfig.POLL_TIMEOUT_MS, "200");
        values.put(SinkConfig.RETRY_BACKOFF_MS, "100");
        values.put(SinkConfig.RETRY_BACKOFF_MAX_MS, "1000");
        values.put(SinkConfig.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        // off unless a test asks for it: several sinks in one JVM, and other builds, share this machine
        values.put(SinkConfig.HTTP_PORT, "0");
        values.putAll(overrides);
        return SinkConfig.from(values);
    }

    private void send(EnrichedArticle article) {
        kafka.send(ARTICLES, article.getId(), Topics.ENRICHED_ARTICLE_SERDE.codec().encode(article));
    }

    private Map<TopicPartition, Long> allEndOffsets() {
        Map<TopicPartition, Long> ends = new HashMap<>(kafka.endOffsets(ARTICLES));
        ends.putAll(kafka.endOffsets(TRENDS));
        return ends;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static Map<String, Long> ordered(Object... keysAndValues) {
        Map<String, Long> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], ((Number) keysAndValues[i + 1]).longValue());
        }
        return map;
    }
}
