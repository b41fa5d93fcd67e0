package dev.newsline.sink.store;

import static dev.newsline.sink.testing.TestArticle.BASE_TIME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.newsline.model.EnrichedArticle;
import dev.newsline.model.EntityType;
import dev.newsline.model.StancePolarity;
import dev.newsline.sink.testing.Backend;
import dev.newsline.sink.testing.TcpProxy;
import dev.newsline.sink.testing.TestArticle;
import dev.newsline.sink.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ArticleStoreIT {

    private static final String TOPIC = "news.articles.enriched";
    private static final String TRENDS = "news.entity.trends";
    private static final String GROUP = "store-it";

    @TempDir
    Path tempDir;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void shouldReplaceMentionsAndStancesWhenAnArticleIsReEnriched(Backend backend) throws SQLException {
        try (TestDatabase db = backend.open(tempDir); ArticleStore store = db.openStore()) {
            EnrichedArticle first = TestArticle.typical("a1", BASE_TIME);
            EnrichedArticle other = TestArticle.typical("a2", BASE_TIME);
            store.apply(List.of(article(0, first), article(1, other)), GROUP);

            EnrichedArticle reEnriched = TestArticle.builder("a1").published(BASE_TIME).enricherVersion("test-2")
                    .title("Ferry budget passes")
                    .entity("loc:northbridge", "Northbridge", EntityType.LOCATION, 0.0, "Northbridge")
                    .stance("org:northbridge-council", "Northbridge Council", null, "a smaller ferry budget",
                            StancePolarity.SUPPORT, "backed")
                    .build();
            store.apply(List.of(article(2, reEnriched)), GROUP);

            assertThat(rows(db, "SELECT entity_id, field, start_offset, end_offset, text FROM mentions"
                    + " WHERE article_id = 'a1'"))
                    .containsExactlyInAnyOrderElementsOf(reEnriched.getEntities().get(0).getMentions().stream()
                            .map(m -> "loc:northbridge|" + m.getField() + "|" + m.getStart() + "|" + m.getEnd()
                                    + "|Northbridge")
                            .toList())
                    .hasSize(2);
            assertThat(rows(db, "SELECT ordinal, holder_id, polarity, cue FROM stances WHERE article_id = 'a1'"))
                    .containsExactly("0|org:northbridge-council|SUPPORT|backed");
            assertThat(rows(db, "SELECT title, enricher_version FROM articles WHERE id = 'a1'"))
                    .containsExactly("Ferry budget passes|test-2");
            assertThat(rows(db, "SELECT COUNT(*) FROM mentions WHERE article_id = 'a2'"))
                    .containsExactly(String.valueOf(TestArticle.mentionRows(other)));
            assertThat(store.counts()).containsEntry("articles", 2L).containsEntry("entities", 3L)
                    .containsEntry("stances", 2L);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void shouldKeepTheEarliestAndLatestSightingOfAnEntityAcrossBatches(Backend backend) throws SQLException {
        try (TestDatabase db = backend.open(tempDir); ArticleStore store = db.openStore()) {
            Instant monday = BASE_TIME;
            Instant friday = BASE_TIME.plus(Duration.ofDays(4));
            store.apply(List.of(article(0, TestArticle.typical("mid", monday.plus(Duration.ofDays(2))))), GROUP);
            store.apply(List.of(article(1, TestArticle.typical("late", friday)),
                    article(2, TestArticle.typical("early", monday))), GROUP);
            store.apply(List.of(article(3, TestArticle.typical("undated", null))), GROUP);

            assertThat(rows(db, "SELECT first_seen, last_seen FROM entities WHERE id = 'per:elena-varga'"))
                    .hasSize(1);
            try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                    "SELECT first_seen, last_seen FROM entities WHERE id = 'per:elena-varga'");
                 ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getObject(1, OffsetDateTime.class).toInstant()).isEqualTo(monday);
                assertThat(rs.getObject(2, OffsetDateTime.class).toInstant()).isEqualTo(friday);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void shouldLeaveTheStoreIdenticalWhenTheSameBatchIsAppliedAgain(Backend backend) throws SQLException {
        try (TestDatabase db = backend.open(tempDir); ArticleStore store = db.openStore()) {
            List<StoredRecord> batch = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                batch.add(StoredRecord.article(TOPIC, i % 3, i, TestArticle.typical("a" + i,
                        BASE_TIME.plus(Duration.ofHours(i)))));
            }
            batch.add(StoredRecord.trend(TRENDS, 0, 0, TestArticle.trend("per:elena-varga", BASE_TIME, 4, -0.2)));
            batch.add(StoredRecord.positionOnly(TRENDS, 1, 7));
            store.apply(batch, GROUP);
            List<String> once = db.dump();

            store.apply(batch, GROUP);

            assertThat(db.dump()).isEqualTo(once);
            int mentionsPerArticle = TestArticle.mentionRows(TestArticle.typical("any", BASE_TIME));
            // 20 articles, 2 entities, their mentions, 20 stances, 1 trend, offsets of 3 + 2 partitions
            assertThat(once).hasSize(20 + 2 + 20 * mentionsPerArticle + 20 + 1 + 5);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void shouldStoreHostileAndHugeTitlesVerbatim(Backend backend) {
        String injection = "'); DROP TABLE articles;--";
        String huge = "Tunnel ".repeat(100_000 / 7) + "x".repeat(100_000 % 7);
        String unicode = "Zürich \u00e9lu \ud83d\udcf0 \u65b0\u95fb \"quoted\" back\\slash";
        try (TestDatabase db = backend.open(tempDir); ArticleStore store = db.openStore()) {
            store.apply(List.of(
                    article(0, TestArticle.builder("inject").title(injection).published(BASE_TIME).build()),
                    article(1, TestArticle.builder("huge").title(huge).published(BASE_TIME.plusSeconds(1)).build()),
                    article(2, TestArticle.builder("unicode").title(unicode).published(BASE_TIME.plusSeconds(2))
                            .build())), GROUP);

            assertThat(huge).hasSize(100_000);
            assertThat(store.latestArticles(null, 10)).extracting(ArticleSummary::id, ArticleSummary::title)
                    .containsExactly(tuple("unicode", unicode), tuple("huge", huge), tuple("inject", injection));
            assertThat(store.counts()).containsEntry("articles", 3L);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void shouldWriteNeitherRowsNorOffsetsWhenABatchFailsMidway(Backend backend) {
        try (TestDatabase db = backend.open(tempDir); ArticleStore store = db.openStore()) {
            List<StoredRecord> batch = List.of(
                    article(0, TestArticle.typical("fine-1", BASE_TIME)),
                    article(1, TestArticle.typical("x".repeat(600), BASE_TIME)),
                    article(2, TestArticle.typical("fine-2", BASE_TIME)));

            assertThatThrownBy(() -> store.apply(batch, GROUP))
                    .isInstanceOfSatisfying(StoreException.class, e -> {
                        assertThat(e.isTransient()).isFalse();
                        assertThat(e.sqlState()).startsWith("22");
                    });

            assertThat(store.counts()).allSatisfy((table, rows) -> assertThat(rows).as(table).isZero());
            assertThat(store.appliedOffsets(GROUP)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void shouldStoreTheNextOffsetOfEachPartitionPerGroup(Backend backend) {
        try (TestDatabase db = backend.open(tempDir); ArticleStore store = db.openStore()) {
            store.apply(List.of(article(0, 4, TestArticle.typical("a", BASE_TIME)),
                    article(0, 9, TestArticle.typical("b", BASE_TIME)),
                    article(2, 3, TestArticle.typical("c", BASE_TIME)),
                    StoredRecord.positionOnly(TRENDS, 0, 41)), GROUP);
            store.apply(List.of(article(0, 10, TestArticle.typical("d", BASE_TIME))), GROUP);
            store.apply(List.of(article(0, 2, TestArticle.typical("e", BASE_TIME))), "another-group");

            assertThat(store.appliedOffsets(GROUP)).isEqualTo(Map.of(
                    new TopicPartition(TOPIC, 0), 11L,
                    new TopicPartition(TOPIC, 2), 4L,
                    new TopicPartition(TRENDS, 0), 42L));
            assertThat(store.appliedOffsets("another-group")).isEqualTo(Map.of(new TopicPartition(TOPIC, 0), 3L));
            assertThat(store.appliedOffsets("nobody")).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void shouldUpsertTrendsByEntityAndWindow(Backend backend) {
        try (TestDatabase db = backend.open(tempDir); ArticleStore store = db.openStore()) {
            Instant nine = BASE_TIME.plus(Duration.ofHours(1));
            store.apply(List.of(
                    StoredRecord.trend(TRENDS, 0, 0, TestArticle.trend("per:elena-varga", nine, 1, 0.5)),
                    StoredRecord.trend(TRENDS, 0, 1, TestArticle.trend("per:elena-varga", BASE_TIME, 2, -0.5)),
                    StoredRecord.trend(TRENDS, 0, 2, TestArticle.trend("org:other", BASE_TIME, 7, 0.0))), GROUP);
            store.apply(List.of(
                    StoredRecord.trend(TRENDS, 0, 3, TestArticle.trend("per:elena-varga", nine, 3, 0.1))), GROUP);

            assertThat(store.trend("per:elena-varga")).containsExactly(
                    new TrendPoint(BASE_TIME, nine, 2, -0.5),
                    new TrendPoint(nine, nine.plus(Duration.ofHours(1)), 3, 0.1));
            assertThat(store.trend("per:nobody")).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void shouldAnswerTheQueriesTheCommandLineAsks(Backend backend) {
        try (TestDatabase db = backend.open(tempDir); ArticleStore store = db.openStore()) {
            Instant day2 = BASE_TIME.plus(Duration.ofDays(1));
            EnrichedArticle onlyCouncil = TestArticle.builder("council-only").published(day2)
                    .entity("org:northbridge-council", "Northbridge Council", EntityType.ORGANIZATION, 0.9,
                            "Northbridge Council")
                    .stance("org:northbridge-council", "Northbridge Council", "per:elena-varga", "Elena Varga",
                            StancePolarity.SUPPORT, "backed")
                    .build();
            EnrichedArticle noMentions = TestArticle.builder("listed-only").published(null)
                    .entity("misc:tunnel", "Harbour Tunnel", EntityType.MISC, 0.0)
                    .build();
            store.apply(List.of(
                    article(0, TestArticle.typical("day1", BASE_TIME)),
                    article(1, TestArticle.typical("day2", day2)),
                    article(2, onlyCouncil),
                    article(3, noMentions)), GROUP);

            assertThat(store.articleCount()).isEqualTo(4);
            assertThat(store.topEntities(BASE_TIME, BASE_TIME.plus(Duration.ofDays(3)), 10))
                    .extracting(TopEntity::id, TopEntity::type, TopEntity::articleCount)
                    .containsExactly(tuple("org:northbridge-council", EntityType.ORGANIZATION, 3L),
                            tuple("per:elena-varga", EntityType.PERSON, 2L));
            assertThat(store.topEntities(BASE_TIME, BASE_TIME.plus(Duration.ofDays(3)), 10).get(0).meanSentiment())
                    .isCloseTo((0.3 + 0.3 + 0.9) / 3, within(1e-9));
            assertThat(store.topEntities(day2, null, 1)).extracting(TopEntity::id)
                    .containsExactly("org:northbridge-council");
            assertThat(store.topEntities(null, null, 10)).extracting(TopEntity::id)
                    .contains("misc:tunnel");

            assertThat(store.latestArticles(null, 10)).extracting(ArticleSummary::id)
                    .containsExactly("council-only", "day2", "day1", "listed-only");
            assertThat(store.latestArticles("per:elena-varga", 1)).extracting(ArticleSummary::id)
                    .containsExactly("day2");

            List<StanceView> aboutVarga = store.stances("per:elena-varga", 10);
            assertThat(aboutVarga).extracting(StanceView::articleId, StanceView::holderId, StanceView::polarity)
                    .containsExactly(tuple("council-only", "org:northbridge-council", StancePolarity.SUPPORT),
                            tuple("day2", "per:elena-varga", StancePolarity.OPPOSE),
                            tuple("day1", "per:elena-varga", StancePolarity.OPPOSE));
            assertThat(aboutVarga.get(1).evidence())
                    .isEqualTo("Mayor Elena Varga rejected the harbour tunnel plan on Tuesday.");
            assertThat(store.stances(null, 2)).hasSize(2);
            assertThat(store.stances("org:nobody", 5)).isEmpty();

            assertThat(store.counts()).containsExactly(
                    Map.entry("articles", 4L), Map.entry("entities", 3L),
                    Map.entry("mentions", (long) (2 * TestArticle.mentionRows(TestArticle.typical("x", BASE_TIME))
                            + TestArticle.mentionRows(onlyCouncil) + 1)),
                    Map.entry("stances", 3L), Map.entry("entity_trends", 0L), Map.entry("kafka_offsets", 1L));
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void shouldReportAnUnreachableDatabaseAsTransientAndRecoverWhenItReturns(Backend backend) {
        try (TestDatabase db = backend.openServed(tempDir); TcpProxy proxy = TcpProxy.start(db.address());
             ArticleStore store = ArticleStore.open(db.jdbcUrlVia(proxy.address()), db.user(), db.password(), 2)) {
            store.apply(List.of(article(0, TestArticle.typical("before", BASE_TIME))), GROUP);

            proxy.cut();
            assertThatThrownBy(() -> store.apply(List.of(article(1, TestArticle.typical("during", BASE_TIME))), GROUP))
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.isTransient()).as(e.getMessage()).isTrue());
            assertThatThrownBy(store::articleCount)
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.isTransient()).as(e.getMessage()).isTrue());

            proxy.restore();
            // pooled connections cut a moment ago may fail once more, and must again count as transient
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                try {
                    store.apply(List.of(article(1, TestArticle.typical("during", BASE_TIME))), GROUP);
                } catch (StoreException e) {
                    assertThat(e.isTransient()).as(e.getMessage()).isTrue();
                    throw new AssertionError("store not back yet", e);
                }
            });
            assertThat(store.articleCount()).isEqualTo(2);
        }
    }

    /**
     * The connection breaks in the middle of a batch, after the transaction began, with an error
     * the pool may not know as fatal (H2's 90067). The failure must come back as a transient
     * StoreException and the store must work again at once; closing an evicted connection used
     * to throw a NullPointerException out of apply(), which stopped the sink.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void shouldReportAConnectionBrokenMidBatchAsTransientAndCarryOn(Backend backend) {
        try (TestDatabase db = backend.openServed(tempDir); TcpProxy proxy = TcpProxy.start(db.address());
             ArticleStore store = ArticleStore.open(db.jdbcUrlVia(proxy.address()), db.user(), db.password(), 2)) {
            store.apply(List.of(article(0, TestArticle.typical("before", BASE_TIME))), GROUP);

            proxy.breakOnRequestOf(200);
            assertThatThrownBy(() -> store.apply(List.of(article(1, TestArticle.typical("during", BASE_TIME))), GROUP))
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.isTransient()).as(e.getMessage()).isTrue());

            store.apply(List.of(article(1, TestArticle.typical("during", BASE_TIME))), GROUP);
            assertThat(store.articleCount()).isEqualTo(2);
            assertThat(store.appliedOffsets(GROUP)).containsEntry(new TopicPartition(TOPIC, 0), 2L);
        }
    }

    private static StoredRecord article(long offset, EnrichedArticle a) {
        return StoredRecord.article(TOPIC, 0, offset, a);
    }

    private static StoredRecord article(int partition, long offset, EnrichedArticle a) {
        return StoredRecord.article(TOPIC, partition, offset, a);
    }

    private static List<String> rows(TestDatabase db, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }
}
