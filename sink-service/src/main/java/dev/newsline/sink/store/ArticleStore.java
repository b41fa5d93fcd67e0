package dev.newsline.sink.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.newsline.model.EnrichedArticle;
import dev.newsline.model.Entity;
import dev.newsline.model.EntityTrend;
import dev.newsline.model.EntityType;
import dev.newsline.model.Mention;
import dev.newsline.model.Stance;
import dev.newsline.model.StancePolarity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Newsline store: enriched articles normalised into {@code articles}, {@code entities},
 * {@code mentions} and {@code stances}; hourly {@code entity_trends}; and, per consumer group,
 * the next Kafka offset to read ({@code kafka_offsets}). Runs on PostgreSQL or on embedded H2.
 *
 * <p>{@link #apply} writes one poll batch, rows and offsets together, in a single transaction,
 * so the database alone says what has been applied; re-applying a batch leaves it unchanged.
 * {@link #open} migrates the schema (Flyway, {@code db/migration}); {@link #openForReading}
 * opens an existing store for the queries only. Thread-safe: every call borrows its own pooled
 * connection.
 */
public final class ArticleStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ArticleStore.class);

    /** Tables of the store, in the order {@link #counts()} lists them. */
    public static final List<String> TABLES =
            List.of("articles", "entities", "mentions", "stances", "entity_trends", "kafka_offsets");

    /**
     * How long a caller waits for a pooled connection unless told otherwise. Short on purpose:
     * when the database is down the sink's own loop backs off and keeps polling Kafka, which it
     * cannot do while blocked here.
     */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(3);

    // the write statements' tables and columns; package-private for the embedded-store benchmark,
    // which runs the same statements on H2 and SQLite
    static final List<String> ARTICLE_COLUMNS = List.of("id", "url", "title", "body", "source", "language",
            "published", "fetched_at", "enriched_at", "enricher_version", "tone_positive", "tone_negative",
            "tone_polarity");
    static final List<String> TREND_COLUMNS = List.of("entity_id", "window_start", "window_end", "article_count",
            "mean_sentiment");
    static final List<String> TREND_KEY = List.of("entity_id", "window_start");
    static final List<String> OFFSET_COLUMNS = List.of("consumer_group", "topic", "partition", "next_offset");
    static final List<String> OFFSET_KEY = List.of("consumer_group", "topic", "partition");
    static final String INSERT_MENTION = "INSERT INTO mentions (article_id, entity_id, field, start_offset,"
            + " end_offset, text, sentiment_label, sentiment_score, salience) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String INSERT_STANCE = "INSERT INTO stances (article_id, ordinal, holder_id, holder_name,"
            + " target_id, target_text, polarity, cue, evidence_field, evidence_start, evidence_end, confidence)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** H2's "Database may be already in use": another process holds the file. */
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;

    private final HikariDataSource dataSource;
    private final String upsertArticle;
    private final String upsertEntity;
    private final String upsertTrend;
    private final String upsertOffset;

    private ArticleStore(HikariDataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.upsertArticle = dialect.upsert("articles", ARTICLE_COLUMNS, List.of("id"));
        this.upsertEntity = dialect.upsertEntity();
        this.upsertTrend = dialect.upsert("entity_trends", TREND_COLUMNS, TREND_KEY);
        this.upsertOffset = dialect.upsert("kafka_offsets", OFFSET_COLUMNS, OFFSET_KEY);
    }

    /**
     * Opens a connection pool on the database and migrates its schema to the current version.
     *
     * @param jdbcUrl  {@code jdbc:postgresql:...} or {@code jdbc:h2:...} (PostgreSQL mode)
     * @param user     user, or null for the driver's default
     * @param password password, or null
     * @param poolSize connections in the pool
     * @throws IllegalStateException if the database cannot be reached or migrated
     */
    public static ArticleStore open(String jdbcUrl, String user, String password, int poolSize) {
        return open(jdbcUrl, user, password, poolSize, DEFAULT_CONNECTION_TIMEOUT);
    }

    /**
     * As {@link #open(String, String, String, int)}, waiting at most {@code connectionTimeout}
     * (at least 250 ms) for a connection before an operation fails as transient.
     */
    public static ArticleStore open(String jdbcUrl, String user, String password, int poolSize,
                                    Duration connectionTimeout) {
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be >= 1, was " + poolSize);
        }
        Dialect dialect = Dialect.forUrl(Objects.requireNonNull(jdbcUrl, "jdbcUrl"));
        HikariDataSource dataSource = pool(jdbcUrl, user, password, poolSize, connectionTimeout, false);
        try {
            // Flyway opens connections of its own: it holds one for its lock while migrating on another,
            // which a pool of one (sink.pool.size=1) could never give it
            var result = Flyway.configure().dataSource(jdbcUrl, user, password).locations("classpath:db/migration")
                    .load().migrate();
            LOG.info("store ready on {}: schema version {} ({} migrations applied now)", dialect,
                    result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion,
                    result.migrationsExecuted);
            return new ArticleStore(dataSource, dialect);
        } catch (RuntimeException e) {
            dataSource.close();
            throw new IllegalStateException("cannot migrate the store (" + dialect + "): " + e.getMessage(), e);
        }
    }

    /**
     * Opens an existing store for queries only: read-only connections, no migration, so that a
     * user without DDL rights can read and nothing is created where no store exists (an H2 URL
     * gets {@code IFEXISTS=TRUE} and {@code TRACE_LEVEL_FILE=0}). The writing methods fail on
     * such a store.
     *
     * @throws StoreInUseException  if the store is an embedded H2 file another process has open
     * @throws IllegalStateException if the database cannot be reached or holds no Newsline schema
     */
    public static ArticleStore openForReading(String jdbcUrl, String user, String password) {
        Dialect dialect = Dialect.forUrl(Objects.requireNonNull(jdbcUrl, "jdbcUrl"));
        String url = jdbcUrl;
        if (dialect == Dialect.H2) {
            // never create a store where none is; and no trace file next to the store each time a
            // reader finds it open in another process
            url = withH2Option(withH2Option(url, "IFEXISTS", "TRUE"), "TRACE_LEVEL_FILE", "0");
        }
        HikariDataSource dataSource;
        try {
            dataSource = pool(url, user, password, 2, DEFAULT_CONNECTION_TIMEOUT, true);
        } catch (IllegalStateException e) {
            if (dialect == Dialect.H2 && hasErrorCode(e, H2_DATABASE_ALREADY_OPEN)) {
                throw new StoreInUseException("the store is open in another process: " + jdbcUrl, e);
            }
            throw e;
        }
        ArticleStore store = new ArticleStore(dataSource, dialect);
        try {
            store.query("checking the schema", "SELECT COUNT(*) FROM articles WHERE 1 = 0", ps -> { }, rs -> { });
            return store;
        } catch (StoreException e) {
            dataSource.close();
            throw new IllegalStateException("no Newsline store at " + dialect + " (" + e.getMessage() + ")", e);
        }
    }

    private static String withH2Option(String url, String name, String value) {
        return url.toUpperCase(Locale.ROOT).contains(";" + name + "=") ? url : url + ";" + name + "=" + value;
    }

    private static boolean hasErrorCode(Throwable error, int code) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getErrorCode() == code) {
                return true;
            }
        }
        return false;
    }

    private static HikariDataSource pool(String jdbcUrl, String user, String password, int poolSize,
                                         Duration connectionTimeout, boolean readOnly) {
        Dialect dialect = Dialect.forUrl(jdbcUrl);
        HikariConfig config = new HikariConfig();
        config.setPoolName(readOnly ? "newsline-store-reader" : "newsline-store");
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setReadOnly(readOnly);
        config.setConnectionTimeout(connectionTimeout.toMillis());
        config.setValidationTimeout(Math.min(connectionTimeout.toMillis(), 5_000L));
        dialect.driverProperties().forEach(config::addDataSourceProperty);
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot connect to the store (" + dialect + "): " + e.getMessage(), e);
        }
    }

    /**
     * Writes a poll batch in one transaction: each article replaces its previous version
     * (row, mentions and stances), entities are upserted with their first and last sighting,
     * trends are upserted by entity and window, and the group's next offset per partition is
     * set to the highest applied offset plus one. Nothing is written if anything fails.
     * Within the batch a later record for the same article or trend wins.
     *
     * @throws StoreException if the batch could not be written; see {@link StoreException#isTransient()}
     */
    public void apply(List<StoredRecord> batch, String group) {
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(group, "group");
        if (group.isBlank()) {
            throw new IllegalArgumentException("group must not be blank");
        }
        if (batch.isEmpty()) {
            return;
        }
        BatchPlan plan = BatchPlan.of(batch);
        String action = "writing a batch of " + batch.size() + " records";
        Connection connection = connect(action);
        try {
            connection.setAutoCommit(false);
            write(connection, plan, group);
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(connection, e);
            throw failure(action, e, connection);
        } finally {
            closeQuietly(connection);
        }
    }

    /** Next offset to read per partition, as last applied for {@code group}. */
    public Map<TopicPartition, Long> appliedOffsets(String group) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        query("reading applied offsets", "SELECT topic, partition, next_offset FROM kafka_offsets WHERE consumer_group = ?",
                ps -> ps.setString(1, group),
                rs -> offsets.put(new TopicPartition(rs.getString(1), rs.getInt(2)), rs.getLong(3)));
        return offsets;
    }

    public long articleCount() {
        return count("articles");
    }

    /**
     * Entities ranked by the articles published in {@code [from, to)} that name them, with the
     * mean of their per-article sentiment. A null bound is open; undated articles count only
     * when both bounds are null.
     */
    public List<TopEntity> topEntities(Instant from, Instant to, int limit) {
        requirePositive(limit);
        StringBuilder where = new StringBuilder();
        List<Instant> bounds = new ArrayList<>();
        if (from != null) {
            where.append(" AND a.published >= ?");
            bounds.add(from);
        }
        if (to != null) {
            where.append(" AND a.published < ?");
            bounds.add(to);
        }
        // one row per article and entity: sentiment is repeated on each of its mentions
        String sql = "SELECT e.id, e.name, e.type, COUNT(*) AS article_count, AVG(x.sentiment_score) AS mean_sentiment"
                + " FROM (SELECT DISTINCT m.entity_id, m.article_id, m.sentiment_score FROM mentions m"
                + " JOIN articles a ON a.id = m.article_id WHERE 1 = 1" + where + ") x"
                + " JOIN entities e ON e.id = x.entity_id GROUP BY e.id, e.name, e.type"
                + " ORDER BY article_count DESC, e.id LIMIT ?";
        List<TopEntity> result = new ArrayList<>();
        query("reading top entities", sql, ps -> {
            int i = 1;
            for (Instant bound : bounds) {
                ps.setObject(i++, utc(bound));
            }
            ps.setInt(i, limit);
        }, rs -> result.add(new TopEntity(rs.getString(1), rs.getString(2), EntityType.valueOf(rs.getString(3)),
                rs.getLong(4), rs.getDouble(5))));
        return result;
    }

    /** Most recently published articles, undated last; only those naming the entity when one is given. */
    public List<ArticleSummary> latestArticles(String entityIdOrNull, int limit) {
        requirePositive(limit);
        String sql = "SELECT a.id, a.url, a.title, a.source, a.language, a.published, a.tone_polarity FROM articles a"
                + (entityIdOrNull == null ? "" : " WHERE a.id IN (SELECT m.article_id FROM mentions m WHERE m.entity_id = ?)")
                + " ORDER BY a.published DESC NULLS LAST, a.id LIMIT ?";
        List<ArticleSummary> result = new ArrayList<>();
        query("reading latest articles", sql, ps -> {
            int i = 1;
            if (entityIdOrNull != null) {
                ps.setString(i++, entityIdOrNull);
            }
            ps.setInt(i, limit);
        }, rs -> result.add(new ArticleSummary(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), instant(rs, 6), rs.getDouble(7))));
        return result;
    }

    /** Stances of the latest articles; only those the entity holds or is the target of when one is given. */
    public List<StanceView> stances(String entityIdOrNull, int limit) {
        return entityIdOrNull == null ? stancesWhere("", List.of(), limit)
                : stancesWhere(" WHERE s.holder_id = ? OR s.target_id = ?", List.of(entityIdOrNull, entityIdOrNull), limit);
    }

    /** Stances the entity takes, latest articles first. */
    public List<StanceView> stancesHeldBy(String entityId, int limit) {
        Objects.requireNonNull(entityId, "entityId");
        return stancesWhere(" WHERE s.holder_id = ?", List.of(entityId), limit);
    }

    /** Stances taken towards the entity (it is the resolved target), latest articles first. */
    public List<StanceView> stancesTargeting(String entityId, int limit) {
        Objects.requireNonNull(entityId, "entityId");
        return stancesWhere(" WHERE s.target_id = ?", List.of(entityId), limit);
    }

    private List<StanceView> stancesWhere(String where, List<String> params, int limit) {
        requirePositive(limit);
        String sql = "SELECT s.article_id, a.published, s.ordinal, s.holder_id, s.holder_name, s.target_id,"
                + " s.target_text, s.polarity, s.cue, s.evidence_start, s.evidence_end, s.confidence,"
                + " CASE WHEN s.evidence_field = 'title' THEN a.title ELSE a.body END AS evidence_text"
                + " FROM stances s JOIN articles a ON a.id = s.article_id" + where
                + " ORDER BY a.published DESC NULLS LAST, s.article_id, s.ordinal LIMIT ?";
        List<StanceView> result = new ArrayList<>();
        query("reading stances", sql, ps -> {
            int i = 1;
            for (String param : params) {
                ps.setString(i++, param);
            }
            ps.setInt(i, limit);
        }, rs -> result.add(new StanceView(rs.getString(1), instant(rs, 2), rs.getInt(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), StancePolarity.valueOf(rs.getString(8)),
                rs.getString(9), span(rs.getString(13), rs.getInt(10), rs.getInt(11)), rs.getDouble(12))));
        return result;
    }

    /** The entity's hourly windows, oldest first. */
    public List<TrendPoint> trend(String entityId) {
        return trend(entityId, null, null, Integer.MAX_VALUE);
    }

    /**
     * The entity's latest {@code limit} hourly windows starting in {@code [from, to)}, oldest
     * first; a null bound is open.
     */
    public List<TrendPoint> trend(String entityId, Instant from, Instant to, int limit) {
        Objects.requireNonNull(entityId, "entityId");
        requirePositive(limit);
        String sql = "SELECT window_start, window_end, article_count, mean_sentiment FROM entity_trends"
                + " WHERE entity_id = ?" + (from == null ? "" : " AND window_start >= ?")
                + (to == null ? "" : " AND window_start < ?") + " ORDER BY window_start DESC LIMIT ?";
        List<TrendPoint> result = new ArrayList<>();
        query("reading a trend", sql, ps -> {
            int i = 1;
            ps.setString(i++, entityId);
            if (from != null) {
                ps.setObject(i++, utc(from));
            }
            if (to != null) {
                ps.setObject(i++, utc(to));
            }
            ps.setInt(i, limit);
        }, rs -> result.add(new TrendPoint(instant(rs, 1), instant(rs, 2), rs.getLong(3), rs.getDouble(4))));
        Collections.reverse(result);
        return result;
    }

    /** The entity with this canonical id, if the store has seen it. */
    public Optional<EntitySummary> entity(String entityId) {
        Objects.requireNonNull(entityId, "entityId");
        List<EntitySummary> found = new ArrayList<>();
        query("reading an entity", "SELECT id, name, type, first_seen, last_seen FROM entities WHERE id = ?",
                ps -> ps.setString(1, entityId), rs -> found.add(entitySummary(rs)));
        return found.stream().findFirst();
    }

    /** Entities whose canonical name equals {@code name} ignoring case, by id; at most {@code limit}. */
    public List<EntitySummary> entitiesNamed(String name, int limit) {
        Objects.requireNonNull(name, "name");
        requirePositive(limit);
        List<EntitySummary> found = new ArrayList<>();
        // a scan of entities: one row per distinct entity, far fewer than mentions
        query("finding entities by name", "SELECT id, name, type, first_seen, last_seen FROM entities"
                        + " WHERE LOWER(name) = LOWER(?) ORDER BY id LIMIT ?",
                ps -> {
                    ps.setString(1, name);
                    ps.setInt(2, limit);
                }, rs -> found.add(entitySummary(rs)));
        return found;
    }

    /** Rows per table, in {@link #TABLES} order. */
    public Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : TABLES) {
            counts.put(table, count(table));
        }
        return counts;
    }

    @Override
    public void close() {
        dataSource.close();
    }

    // --- writing ---

    private void write(Connection c, BatchPlan plan, String group) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(upsertArticle)) {
            for (EnrichedArticle a : plan.articles.values()) {
                int i = 1;
                ps.setString(i++, a.getId());
                ps.setString(i++, a.getUrl());
                ps.setString(i++, a.getTitle());
                ps.setString(i++, a.getBody());
                ps.setString(i++, a.getSource());
                ps.setString(i++, a.getLanguage());
                setTimestamp(ps, i++, a.getPublished());
                setTimestamp(ps, i++, a.getFetchedAt());
                setTimestamp(ps, i++, a.getEnrichedAt());
                ps.setString(i++, a.getEnricherVersion());
                ps.setDouble(i++, a.getTone().getPositive());
                ps.setDouble(i++, a.getTone().getNegative());
                ps.setDouble(i, a.getTone().getPolarity());
                ps.addBatch();
            }
            executeIfAny(ps, plan.articles.size());
        }
        try (PreparedStatement ps = c.prepareStatement(upsertEntity)) {
            for (EntityRow e : plan.entities.values()) {
                ps.setString(1, e.id);
                ps.setString(2, e.name);
                ps.setString(3, e.type.name());
                setTimestamp(ps, 4, e.firstSeen);
                setTimestamp(ps, 5, e.lastSeen);
                ps.addBatch();
            }
            executeIfAny(ps, plan.entities.size());
        }
        // a re-enriched article replaces its mentions and stances rather than adding to them
        for (String table : List.of("mentions", "stances")) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE article_id = ?")) {
                for (String id : plan.articles.keySet()) {
                    ps.setString(1, id);
                    ps.addBatch();
                }
                executeIfAny(ps, plan.articles.size());
            }
        }
        int mentions = 0;
        try (PreparedStatement ps = c.prepareStatement(INSERT_MENTION)) {
            for (EnrichedArticle a : plan.articles.values()) {
                for (Entity e : a.getEntities()) {
                    List<Mention> spans = e.getMentions();
                    for (int m = 0; m < Math.max(1, spans.size()); m++) {
                        Mention span = spans.isEmpty() ? null : spans.get(m);
                        ps.setString(1, a.getId());
                        ps.setString(2, e.getId());
                        ps.setString(3, span == null ? null : span.getField().name());
                        setInteger(ps, 4, span == null ? null : span.getStart());
                        setInteger(ps, 5, span == null ? null : span.getEnd());
                        ps.setString(6, span == null ? null : span.getText());
                        ps.setString(7, e.getSentiment().getLabel().name());
                        ps.setDouble(8, e.getSentiment().getScore());
                        ps.setDouble(9, e.getSalience());
                        ps.addBatch();
                        mentions++;
                    }
                }
            }
            executeIfAny(ps, mentions);
        }
        int stances = 0;
        try (PreparedStatement ps = c.prepareStatement(INSERT_STANCE)) {
            for (EnrichedArticle a : plan.articles.values()) {
                List<Stance> list = a.getStances();
                for (int ordinal = 0; ordinal < list.size(); ordinal++) {
                    Stance s = list.get(ordinal);
                    int i = 1;
                    ps.setString(i++, a.getId());
                    ps.setInt(i++, ordinal);
                    ps.setString(i++, s.getHolder().getId());
                    ps.setString(i++, s.getHolder().getName());
                    ps.setString(i++, s.getTarget().getId());
                    ps.setString(i++, s.getTarget().getText());
                    ps.setString(i++, s.getPolarity().name());
                    ps.setString(i++, s.getCue());
                    ps.setString(i++, s.getEvidence().getField().name());
                    ps.setInt(i++, s.getEvidence().getStart());
                    ps.setInt(i++, s.getEvidence().getEnd());
                    ps.setDouble(i, s.getConfidence());
                    ps.addBatch();
                    stances++;
                }
            }
            executeIfAny(ps, stances);
        }
        try (PreparedStatement ps = c.prepareStatement(upsertTrend)) {
            for (EntityTrend t : plan.trends.values()) {
                ps.setString(1, t.getEntityId());
                setTimestamp(ps, 2, t.getWindowStart());
                setTimestamp(ps, 3, t.getWindowEnd());
                ps.setLong(4, t.getArticleCount());
                ps.setDouble(5, t.getMeanSentiment());
                ps.addBatch();
            }
            executeIfAny(ps, plan.trends.size());
        }
        try (PreparedStatement ps = c.prepareStatement(upsertOffset)) {
            for (Map.Entry<TopicPartition, Long> next : plan.nextOffsets.entrySet()) {
                ps.setString(1, group);
                ps.setString(2, next.getKey().topic());
                ps.setInt(3, next.getKey().partition());
                ps.setLong(4, next.getValue());
                ps.addBatch();
            }
            executeIfAny(ps, plan.nextOffsets.size());
        }
        LOG.debug("wrote {} articles ({} mentions, {} stances), {} entities, {} trends, {} positions",
                plan.articles.size(), mentions, stances, plan.entities.size(), plan.trends.size(),
                plan.nextOffsets.size());
    }

    private static void executeIfAny(PreparedStatement ps, int added) throws SQLException {
        if (added > 0) {
            ps.executeBatch();
        }
    }

    private static void setTimestamp(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, utc(value));
        }
    }

    private static void setInteger(PreparedStatement ps, int index, Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    // --- reading ---

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private void query(String action, String sql, Binder binder, RowReader reader) {
        Connection connection = connect(action);
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reader.read(rs);
                }
            }
        } catch (SQLException | RuntimeException e) {
            throw failure(action, e, connection);
        } finally {
            closeQuietly(connection);
        }
    }

    private long count(String table) {
        long[] count = new long[1];
        query("counting " + table, "SELECT COUNT(*) FROM " + table, ps -> { }, rs -> count[0] = rs.getLong(1));
        return count[0];
    }

    private Connection connect(String action) {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw StoreException.of(action + " (no connection)", e, true);
        }
    }

    /**
     * Classifies a failure while the connection is still open. A connection that no longer
     * validates is closed and then evicted: the pool does not recognise every driver's
     * "connection broken" codes (H2's 90067, say) and would otherwise hand it out again. Closing
     * comes first because evicting a borrowed connection closes the physical one underneath, and
     * HikariCP's close() then fails with a NullPointerException while resetting its state
     * (HikariCP issue 914), which here killed the sink when a database restarted.
     */
    private StoreException failure(String action, Exception error, Connection connection) {
        boolean usable = isUsable(connection);
        if (!usable) {
            closeQuietly(connection);
            dataSource.evictConnection(connection);
        }
        return StoreException.of(action, error, usable);
    }

    private static boolean isUsable(Connection connection) {
        try {
            return !connection.isClosed() && connection.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Returns the connection to the pool; a second call does nothing. */
    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("closing a store connection failed: {}", e.toString());
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static EntitySummary entitySummary(ResultSet rs) throws SQLException {
        return new EntitySummary(rs.getString(1), rs.getString(2), EntityType.valueOf(rs.getString(3)),
                instant(rs, 4), instant(rs, 5));
    }

    private static String span(String text, int start, int end) {
        if (text == null || start < 0 || end > text.length() || start > end) {
            return "";
        }
        return text.substring(start, end);
    }

    private static void requirePositive(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        }
    }

    // --- batch planning ---

    private record TrendKey(String entityId, Instant windowStart) {
    }

    private static final class EntityRow {
        final String id;
        String name;
        EntityType type;
        Instant firstSeen;
        Instant lastSeen;

        EntityRow(String id) {
            this.id = id;
        }

        void seen(Entity entity, Instant published) {
            name = entity.getName();
            type = entity.getType();
            if (published != null) {
                firstSeen = firstSeen == null || published.isBefore(firstSeen) ? published : firstSeen;
                lastSeen = lastSeen == null || published.isAfter(lastSeen) ? published : lastSeen;
            }
        }
    }

    /**
     * What one batch writes, deduplicated (last record per article or trend wins) and sorted by
     * key, so that one statement never touches a row twice and concurrent writers lock rows in
     * the same order.
     */
    private static final class BatchPlan {
        final Map<String, EnrichedArticle> articles = new TreeMap<>();
        final Map<String, EntityRow> entities = new TreeMap<>();
        final Map<TrendKey, EntityTrend> trends = new TreeMap<>(
                Comparator.comparing(TrendKey::entityId).thenComparing(TrendKey::windowStart));
        final Map<TopicPartition, Long> nextOffsets = new LinkedHashMap<>();

        static BatchPlan of(List<StoredRecord> batch) {
            BatchPlan plan = new BatchPlan();
            for (StoredRecord r : batch) {
                if (r.value() instanceof EnrichedArticle article) {
                    plan.articles.put(article.getId(), article);
                } else if (r.value() instanceof EntityTrend trend) {
                    plan.trends.put(new TrendKey(trend.getEntityId(), trend.getWindowStart()), trend);
                }
                plan.nextOffsets.merge(r.topicPartition(), r.offset() + 1, Math::max);
            }
            for (EnrichedArticle article : plan.articles.values()) {
                for (Entity entity : article.getEntities()) {
                    plan.entities.computeIfAbsent(entity.getId(), EntityRow::new).seen(entity, article.getPublished());
                }
            }
            return plan;
        }
    }
}
