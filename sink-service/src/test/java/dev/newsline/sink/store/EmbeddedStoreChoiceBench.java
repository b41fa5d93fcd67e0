package dev.newsline.sink.store;

import dev.newsline.sink.SinkConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;

/**
 * The measurement behind the embedded store's choice (H2 or SQLite, issue #5): the sink's write
 * shape, run on both engines through JDBC with the same migration ({@code db/migration/V1}), the
 * same rows and the same transaction per batch, then the heaviest query ("top entities in a
 * period"). Not a test: a program that prints figures, run with
 *
 * <pre>
 * mvn -B -q -pl sink-service -am install -DskipTests
 * mvn -B -q -pl sink-service exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.newsline.sink.store.EmbeddedStoreChoiceBench -Dexec.args="20000"
 * </pre>
 *
 * The write per article follows {@code ArticleStore.write}: an article upsert, 6 entity upserts
 * keeping first/last seen, delete-then-insert of 18 mentions and 2 stances, 3 hourly trend
 * upserts and the offsets upsert, 500 articles per transaction (the sink's default batch).
 * SQLite needs its own upsert statements (no {@code MERGE}) and an index without
 * {@code NULLS LAST}; those are the only differences.
 * Results and the decision: docs/embedded-store.md.
 */
public final class EmbeddedStoreChoiceBench {

    private static final int BATCH = 500;
    private static final int ENTITY_POOL = 3_000;
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", Locale.ROOT);

    private enum Engine {
        H2("H2 2.x, PostgreSQL mode (the sink's URL)"),
        SQLITE_WAL("SQLite, WAL, synchronous=NORMAL"),
        SQLITE_FULL("SQLite, rollback journal, synchronous=FULL");

        final String label;

        Engine(String label) {
            this.label = label;
        }

        boolean sqlite() {
            return this != H2;
        }
    }

    private EmbeddedStoreChoiceBench() {
    }

    public static void main(String[] args) throws Exception {
        int articles = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        Path dir = Files.createTempDirectory("newsline-store-choice");
        System.out.printf(Locale.ROOT, "%,d articles (%,d rows each: 1 article, 6 entities, 18 mentions, 2 stances, 3 trends),"
                + " %d per transaction, files in %s%n", articles, 30, BATCH, dir);
        System.out.printf(Locale.ROOT, "%-45s %12s %12s %20s %14s%n", "engine", "articles/s", "rows/s", "MB open / closed", "top-entities ms");
        // warm the JIT on a small run of each engine, then measure
        for (Engine engine : Engine.values()) {
            run(engine, dir.resolve("warm-" + engine.name().toLowerCase(Locale.ROOT)), 2_000, false);
        }
        for (Engine engine : Engine.values()) {
            run(engine, dir.resolve(engine.name().toLowerCase(Locale.ROOT)), articles, true);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    private static void run(Engine engine, Path dir, int articles, boolean print) throws Exception {
        Files.createDirectories(dir);
        String url = engine.sqlite() ? "jdbc:sqlite:" + dir.resolve("newsline.db") : SinkConfig.h2Url(dir.resolve("newsline"));
        if (!engine.sqlite()) {
            Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").load().migrate();
        }
        try (Connection c = DriverManager.getConnection(url)) {
            if (engine.sqlite()) {
                sqliteSchema(c);
            }
            if (engine == Engine.SQLITE_WAL) {
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA journal_mode=WAL");
                    s.execute("PRAGMA synchronous=NORMAL");
                }
            }
            if (engine.sqlite()) {
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA foreign_keys=ON");
                }
            }
            c.setAutoCommit(false);
            Statements sql = new Statements(engine);
            SplittableRandom random = new SplittableRandom(42);
            String body = "Lorem ".repeat(700);
            long start = System.nanoTime();
            for (int first = 0; first < articles; first += BATCH) {
                writeBatch(c, sql, engine, random, body, first, Math.min(BATCH, articles - first));
                c.commit();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long queryStart = System.nanoTime();
            int queries = 10;
            for (int q = 0; q < queries; q++) {
                topEntities(c, engine);
            }
            double queryMs = (System.nanoTime() - queryStart) / 1e6 / queries;
            long openBytes = sizeOf(dir);
            c.close();
            if (print) {
                System.out.printf(Locale.ROOT, "%-45s %,12.0f %,12.0f %,10.1f / %,7.1f %14.1f%n", engine.label,
                        articles / seconds, articles * 30 / seconds, openBytes / 1e6, sizeOf(dir) / 1e6, queryMs);
            }
        }
    }

    private static long sizeOf(Path dir) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void sqliteSchema(Connection c) throws Exception {
        String script;
        try (var in = EmbeddedStoreChoiceBench.class.getResourceAsStream("/db/migration/V1__schema.sql")) {
            script = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        StringBuilder code = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.strip().startsWith("--")) {
                code.append(line).append('\n');
            }
        }
        try (Statement s = c.createStatement()) {
            for (String statement : code.toString().replace(" NULLS LAST", "").split(";")) {
                if (!statement.isBlank()) {
                    s.execute(statement);
                }
            }
        }
    }

    /**
     * H2's statements are the store's own ({@link Dialect#H2}); SQLite's are the same upserts in
     * its {@code INSERT ... ON CONFLICT} form, with MIN/MAX for the first/last-seen rule.
     */
    private record Statements(String article, String entity, String trend, String offset) {
        Statements(Engine engine) {
            this(engine.sqlite() ? sqliteUpsert("articles", ArticleStore.ARTICLE_COLUMNS, List.of("id"))
                            : Dialect.H2.upsert("articles", ArticleStore.ARTICLE_COLUMNS, List.of("id")),
                    engine.sqlite()
                            ? "INSERT INTO entities (id, name, type, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)"
                              + " ON CONFLICT (id) DO UPDATE SET name = excluded.name, type = excluded.type,"
                              + " first_seen = MIN(COALESCE(entities.first_seen, excluded.first_seen), COALESCE(excluded.first_seen, entities.first_seen)),"
                              + " last_seen = MAX(COALESCE(entities.last_seen, excluded.last_seen), COALESCE(excluded.last_seen, entities.last_seen))"
                            : Dialect.H2.upsertEntity(),
                    engine.sqlite() ? sqliteUpsert("entity_trends", ArticleStore.TREND_COLUMNS, ArticleStore.TREND_KEY)
                            : Dialect.H2.upsert("entity_trends", ArticleStore.TREND_COLUMNS, ArticleStore.TREND_KEY),
                    engine.sqlite() ? sqliteUpsert("kafka_offsets", ArticleStore.OFFSET_COLUMNS, ArticleStore.OFFSET_KEY)
                            : Dialect.H2.upsert("kafka_offsets", ArticleStore.OFFSET_COLUMNS, ArticleStore.OFFSET_KEY));
        }

        private static String sqliteUpsert(String table, List<String> columns, List<String> keys) {
            return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                    + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ") ON CONFLICT ("
                    + String.join(", ", keys) + ") DO UPDATE SET " + columns.stream().filter(c -> !keys.contains(c))
                    .map(c -> c + " = excluded." + c).collect(java.util.stream.Collectors.joining(", "));
        }
    }

    private static void writeBatch(Connection c, Statements sql, Engine engine, SplittableRandom random, String body,
                                   int first, int count) throws SQLException {
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        List<String> ids = new ArrayList<>();
        List<int[]> entitiesOf = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.article())) {
            for (int n = first; n < first + count; n++) {
                String id = String.format(Locale.ROOT, "%064x", (long) n * 2_654_435_761L);
                ids.add(id);
                Instant published = base.plusSeconds(n * 60L);
                ps.setString(1, id);
                ps.setString(2, "https://wire.example/story/" + n);
                ps.setString(3, "Story " + n + " about the harbour council");
                ps.setString(4, body);
                ps.setString(5, "Wire Example");
                ps.setString(6, "en");
                time(ps, 7, published, engine);
                time(ps, 8, published.plusSeconds(30), engine);
                time(ps, 9, published.plusSeconds(31), engine);
                ps.setString(10, "bench");
                ps.setDouble(11, 0.2);
                ps.setDouble(12, 0.1);
                ps.setDouble(13, 0.1);
                ps.addBatch();
                int[] entities = new int[6];
                for (int e = 0; e < entities.length; e++) {
                    entities[e] = random.nextInt(ENTITY_POOL);
                }
                entitiesOf.add(entities);
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(sql.entity())) {
            for (int a = 0; a < count; a++) {
                Instant published = base.plusSeconds((first + a) * 60L);
                for (int e : entitiesOf.get(a)) {
                    ps.setString(1, "per:entity-" + e);
                    ps.setString(2, "Entity " + e);
                    ps.setString(3, "PERSON");
                    time(ps, 4, published, engine);
                    time(ps, 5, published, engine);
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
        for (String table : List.of("mentions", "stances")) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE article_id = ?")) {
                for (String id : ids) {
                    ps.setString(1, id);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        try (PreparedStatement ps = c.prepareStatement(ArticleStore.INSERT_MENTION)) {
            for (int a = 0; a < count; a++) {
                int[] entities = entitiesOf.get(a);
                for (int m = 0; m < 18; m++) {
                    int e = entities[m % entities.length];
                    ps.setString(1, ids.get(a));
                    ps.setString(2, "per:entity-" + e);
                    ps.setString(3, "BODY");
                    ps.setInt(4, m * 40);
                    ps.setInt(5, m * 40 + 12);
                    ps.setString(6, "Entity " + e);
                    ps.setString(7, "NEUTRAL");
                    ps.setDouble(8, 0.0);
                    ps.setDouble(9, 0.5);
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(ArticleStore.INSERT_STANCE)) {
            for (int a = 0; a < count; a++) {
                int[] entities = entitiesOf.get(a);
                for (int s = 0; s < 2; s++) {
                    ps.setString(1, ids.get(a));
                    ps.setInt(2, s);
                    ps.setString(3, "per:entity-" + entities[s]);
                    ps.setString(4, "Entity " + entities[s]);
                    ps.setString(5, null);
                    ps.setString(6, "the plan");
                    ps.setString(7, "OPPOSE");
                    ps.setString(8, "rejected");
                    ps.setString(9, "BODY");
                    ps.setInt(10, 0);
                    ps.setInt(11, 60);
                    ps.setDouble(12, 0.8);
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(sql.trend())) {
            for (int a = 0; a < count; a++) {
                Instant hour = base.plusSeconds((first + a) * 60L / 3600 * 3600);
                for (int t = 0; t < 3; t++) {
                    ps.setString(1, "per:entity-" + entitiesOf.get(a)[t]);
                    time(ps, 2, hour, engine);
                    time(ps, 3, hour.plusSeconds(3600), engine);
                    ps.setLong(4, 1 + a % 5);
                    ps.setDouble(5, 0.0);
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(sql.offset())) {
            for (int p = 0; p < 3; p++) {
                ps.setString(1, "newsline-sink");
                ps.setString(2, "news.articles.enriched");
                ps.setInt(3, p);
                ps.setLong(4, first + count);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The sink's own query shape for "top entities in a period", over the middle half of the data. */
    private static void topEntities(Connection c, Engine engine) throws SQLException {
        String sql = "SELECT e.id, e.name, e.type, COUNT(*) AS article_count, AVG(x.sentiment_score) AS mean_sentiment"
                + " FROM (SELECT DISTINCT m.entity_id, m.article_id, m.sentiment_score FROM mentions m"
                + " JOIN articles a ON a.id = m.article_id WHERE a.published >= ? AND a.published < ?) x"
                + " JOIN entities e ON e.id = x.entity_id GROUP BY e.id, e.name, e.type"
                + " ORDER BY article_count DESC, e.id LIMIT 10";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            time(ps, 1, Instant.parse("2026-01-02T00:00:00Z"), engine);
            time(ps, 2, Instant.parse("2026-01-09T00:00:00Z"), engine);
            try (ResultSet rs = ps.executeQuery()) {
                int rows = 0;
                while (rs.next()) {
                    rows++;
                }
                if (rows == 0) {
                    throw new IllegalStateException(engine + ": top entities found nothing");
                }
            }
        }
    }

    /** H2 takes a java.time value; SQLite has no time type, so fixed-width UTC text that sorts as time. */
    private static void time(PreparedStatement ps, int index, Instant value, Engine engine) throws SQLException {
        OffsetDateTime utc = OffsetDateTime.ofInstant(value, ZoneOffset.UTC);
        if (engine.sqlite()) {
            ps.setString(index, ISO.format(utc));
        } else {
            ps.setObject(index, utc);
        }
    }
}
