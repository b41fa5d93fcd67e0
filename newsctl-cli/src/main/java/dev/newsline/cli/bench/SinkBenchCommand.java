package dev.newsline.cli.bench;

import dev.newsline.cli.local.LocalStack;
import dev.newsline.embedded.EmbeddedKafka;
import dev.newsline.model.EnrichedArticle;
import dev.newsline.model.Entity;
import dev.newsline.model.EntityTrend;
import dev.newsline.model.EntityType;
import dev.newsline.model.Evidence;
import dev.newsline.model.Mention;
import dev.newsline.model.Sentiment;
import dev.newsline.model.SentimentLabel;
import dev.newsline.model.Stance;
import dev.newsline.model.StanceHolder;
import dev.newsline.model.StancePolarity;
import dev.newsline.model.StanceTarget;
import dev.newsline.model.TextField;
import dev.newsline.model.Tone;
import dev.newsline.model.topic.Topics;
import dev.newsline.sink.SinkConfig;
import dev.newsline.sink.SinkService;
import dev.newsline.sink.store.ArticleStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Measures the sink: N synthetic enriched articles (about 700 words, 15 entities, 40 mentions
 * and 3 stances each) and the hourly trend update the enrich topology emits for each of their
 * entities go to a fresh embedded broker first; then the real {@link SinkService} drains them
 * into each chosen store while the consumer lag is sampled every second. Prints articles/s,
 * records/s and rows/s per store, the rows stored (checked against what was produced), and
 * the lag curve. Nothing here is a test: figures depend on the machine.
 */
@Command(name = "sink", mixinStandardHelpOptions = true,
        description = {"Produce N synthetic enriched articles (~700 words, ~15 entities, ~40",
            "mentions, ~3 stances) and their entity trend updates to a fresh embedded",
            "broker, run the sink into each store, and print articles/s, rows/s, the rows",
            "stored (checked) and the consumer lag sampled every second. PostgreSQL gets",
            "a fresh schema, dropped afterwards; H2 a temporary directory."})
public final class SinkBenchCommand implements Callable<Integer> {

    enum StoreChoice { h2, postgres, both }

    private static final String DEFAULT_PG_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final Duration STALL = Duration.ofMinutes(3);
    private static final int LAG_ROWS = 24;

    @Option(names = "--articles", paramLabel = "N", defaultValue = "100000", description = "Articles to produce (default: ${DEFAULT-VALUE}).")
    int articles;

    @Option(names = "--store", paramLabel = "STORE", defaultValue = "both", description = "h2, postgres or both (default: ${DEFAULT-VALUE}).")
    StoreChoice store;

    @Option(names = "--jdbc-url", paramLabel = "URL", defaultValue = DEFAULT_PG_URL,
            description = "PostgreSQL server; a fresh schema is created in it (default: ${DEFAULT-VALUE}).")
    String jdbcUrl;

    @Option(names = "--jdbc-user", paramLabel = "USER", defaultValue = "root",
            description = "PostgreSQL user (default: ${DEFAULT-VALUE}).")
    String jdbcUser;

    @Option(names = "--jdbc-password", paramLabel = "PASSWORD", description = "PostgreSQL password (default: none).")
    String jdbcPassword;

    @Option(names = "--max-poll-records", paramLabel = "N", defaultValue = "500",
            description = "sink.max.poll.records: records per poll and database transaction (default: ${DEFAULT-VALUE}).")
    int maxPollRecords;

    @Option(names = "--keep", description = "Keep the temporary directory and the PostgreSQL schema.")
    boolean keep;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (articles < 1) {
            err.println("--articles must be at least 1");
            return 2;
        }
        Path dir = Files.createTempDirectory("newsline-bench-sink-");
        Thread cleanUp = new Thread(() -> {
            try {
                deleteRecursively(dir);
            } catch (IOException e) {
                // interrupted run: the temporary directory stays, as its path was printed
            }
        }, "newsline-bench-cleanup");
        if (!keep) {
            Runtime.getRuntime().addShutdownHook(cleanUp);
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
            kafka.createTopics(LocalStack.newTopics());
            err.printf("producing %,d articles to a fresh broker in %s ...%n", articles, dir);
            err.flush();
            Produced produced = produce(kafka.bootstrapServers(), articles);
            out.printf("Sink benchmark: %,d articles (mean %.0f words, %.1f entities, %.1f mentions, %.1f stances,"
                            + " %,.0f B encoded) and %,d trend updates, %d + %d partitions%n", produced.articles,
                    produced.words / (double) produced.articles, produced.entities / (double) produced.articles,
                    produced.mentions / (double) produced.articles, produced.stances / (double) produced.articles,
                    produced.bytes / (double) produced.articles, produced.trends,
                    Topics.ARTICLES_ENRICHED.partitions(), Topics.ENTITY_TRENDS.partitions());
            out.printf("Produced in %.1f s (lz4, acks=all, as the enrich service does); %d cores, Java %s%n%n",
                    produced.seconds, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            out.flush();

            List<Result> results = new ArrayList<>();
            if (store != StoreChoice.postgres) {
                results.add(runH2(kafka, dir, produced, err));
            }
            if (store != StoreChoice.h2) {
                results.add(runPostgres(kafka, produced, err));
            }
            printResults(out, produced, results);
        } finally {
            if (keep) {
                err.println("kept " + dir);
            } else {
                Runtime.getRuntime().removeShutdownHook(cleanUp);
                deleteRecursively(dir);
            }
        }
        return 0;
    }

    // --- stores ---

    private Result runH2(EmbeddedKafka kafka, Path dir, Produced produced, PrintWriter err) throws Exception {
        String url = SinkConfig.h2Url(dir.resolve("h2").resolve("newsline").toAbsolutePath());
        return run("H2 (embedded)", url, null, null, kafka, produced, err);
    }

    private Result runPostgres(EmbeddedKafka kafka, Produced produced, PrintWriter err) throws Exception {
        String schema = "newsline_bench_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Properties props = new Properties();
        props.setProperty("user", jdbcUser);
        if (jdbcPassword != null) {
            props.setProperty("password", jdbcPassword);
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl, props); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        try {
            String url = jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
            return run("PostgreSQL", url, jdbcUser, jdbcPassword, kafka, produced, err);
        } finally {
            if (keep) {
                err.println("kept schema " + schema);
            } else {
                try (Connection c = DriverManager.getConnection(jdbcUrl, props); Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA " + schema + " CASCADE");
                }
            }
        }
    }

    private Result run(String name, String url, String user, String password, EmbeddedKafka kafka, Produced produced,
                       PrintWriter err) throws Exception {
        String group = "newsline-bench-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Map<String, String> settings = new HashMap<>();
        settings.put(SinkConfig.JDBC_URL, url);
        if (user != null) {
            settings.put(SinkConfig.JDBC_USER, user);
        }
        if (password != null) {
            settings.put(SinkConfig.JDBC_PASSWORD, password);
        }
        settings.put(SinkConfig.GROUP_ID, group);
        settings.put(SinkConfig.MAX_POLL_RECORDS, String.valueOf(maxPollRecords));
        settings.put(SinkConfig.HTTP_PORT, "0");
        settings.put(SinkConfig.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        SinkConfig config = SinkConfig.from(settings);

        try (ArticleStore articleStore = ArticleStore.open(config.jdbcUrl(), config.jdbcUser(), config.jdbcPassword(),
                config.poolSize(), config.connectionTimeout());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            String version = databaseVersion(url, user, password);
            Map<TopicPartition, Long> ends = endOffsets(admin);
            long endTotal = ends.values().stream().mapToLong(Long::longValue).sum();
            err.printf("%s (%s): sink draining %,d offsets ...%n", name, version, endTotal);
            err.flush();
            List<long[]> lag = new ArrayList<>();
            SinkService sink = new SinkService(config, articleStore);
            long started = System.nanoTime();
            long nextSample = started;
            long lastProgress = started;
            long applied = 0;
            long firstWrite = 0;
            long appliedAtFirst = 0;
            sink.start();
            try {
                // done when the store holds the end offsets: the compacted trends topic may hold fewer records
                while (applied < endTotal) {
                    Thread.sleep(50);
                    long now = System.nanoTime();
                    long nowApplied = articleStore.appliedOffsets(group).values().stream().mapToLong(Long::longValue).sum();
                    if (nowApplied > applied) {
                        applied = nowApplied;
                        lastProgress = now;
                        if (firstWrite == 0) {
                            firstWrite = now;
                            appliedAtFirst = nowApplied;
                        }
                    } else if (now - lastProgress > STALL.toNanos()) {
                        throw new IllegalStateException("no progress for " + STALL.toMinutes() + " minutes at offset "
                                + applied + " of " + endTotal);
                    }
                    if (sink.failure().isPresent()) {
                        throw new IllegalStateException("the sink stopped: " + sink.failure().get(), sink.failure().get());
                    }
                    if (now >= nextSample && applied < endTotal) {
                        long committed = committed(admin, group);
                        lag.add(new long[] {Math.round((now - started) / 1e9), endTotal - committed});
                        if (lag.size() % 10 == 1) {
                            err.printf("  %4d s: %,d records written, lag %,d%n", (now - started) / 1_000_000_000L,
                                    sink.written(), endTotal - committed);
                            err.flush();
                        }
                        nextSample += 1_000_000_000L;
                    }
                }
                long done = System.nanoTime();
                double seconds = (done - started) / 1e9;
                // the group join (3 s initial rebalance delay on a fresh group) is start-up, not throughput:
                // rates are taken from the first write on and scaled to the whole drain
                double share = (endTotal - appliedAtFirst) / (double) endTotal;
                double steady = (done - firstWrite) / 1e9 / share;
                await(() -> committed(admin, group) == endTotal, Duration.ofSeconds(30));
                lag.add(new long[] {Math.round(seconds), 0});
                Map<String, Long> counts = articleStore.counts();
                verify(name, counts, articleStore.appliedOffsets(group), ends, produced, sink);
                return new Result(name, version, seconds, steady, sink.written(), counts, lag, sink.batches());
            } finally {
                sink.close();
            }
        }
    }

    /** The store must hold exactly what was produced: every article, mention, stance and trend window once. */
    private static void verify(String name, Map<String, Long> counts, Map<TopicPartition, Long> applied,
                               Map<TopicPartition, Long> ends, Produced produced, SinkService sink) {
        List<String> problems = new ArrayList<>();
        check(problems, "articles", counts.get("articles"), produced.articles);
        check(problems, "mentions", counts.get("mentions"), produced.mentions);
        check(problems, "stances", counts.get("stances"), produced.stances);
        check(problems, "entity_trends", counts.get("entity_trends"), produced.trendWindows);
        check(problems, "entities", counts.get("entities"), produced.distinctEntities);
        Map<TopicPartition, Long> nonEmpty = new HashMap<>(ends);
        nonEmpty.values().removeIf(v -> v == 0);
        if (!applied.equals(nonEmpty)) {
            problems.add("applied offsets " + applied + " differ from the end offsets " + nonEmpty);
        }
        if (sink.deadLettered() > 0) {
            problems.add(sink.deadLettered() + " records dead-lettered");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(name + " store does not match what was produced: " + problems);
        }
    }

    private static void check(List<String> problems, String table, Long actual, long expected) {
        if (actual == null || actual != expected) {
            problems.add(table + " " + actual + " (expected " + expected + ")");
        }
    }

    private static String databaseVersion(String url, String user, String password) {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        try (Connection c = DriverManager.getConnection(url, props)) {
            return c.getMetaData().getDatabaseProductName() + " " + c.getMetaData().getDatabaseProductVersion();
        } catch (SQLException e) {
            return "version unknown";
        }
    }

    // --- output ---

    /**
     * @param seconds from sink start to the last record written
     * @param steady  the time the whole drain takes at the rate measured after the first write
     * @param records records read and written (trend updates that compaction removed are never read)
     */
    private record Result(String store, String version, double seconds, double steady, long records,
                          Map<String, Long> counts, List<long[]> lag, long batches) {
        long rows() {
            return counts.entrySet().stream().filter(e -> !e.getKey().equals("kafka_offsets"))
                    .mapToLong(Map.Entry::getValue).sum();
        }
    }

    private static void printResults(PrintWriter out, Produced produced, List<Result> results) {
        out.printf("%-14s %9s %11s %11s %12s %10s %8s  %s%n", "store", "drain s", "articles/s", "records/s", "rows",
                "rows/s", "batches", "rows per table");
        out.println("(drain s counts from the sink's start; the rates from its first write, leaving out the group join)");
        for (Result r : results) {
            Map<String, Long> tables = new LinkedHashMap<>(r.counts());
            tables.remove("kafka_offsets");
            out.printf("%-14s %9.1f %,11.0f %,11.0f %,12d %,10.0f %,8d  %s%n", r.store(), r.seconds(),
                    produced.articles / r.steady(), r.records() / r.steady(), r.rows(), r.rows() / r.steady(), r.batches(),
                    tables);
        }
        out.println("(rows = rows stored in articles, entities, mentions, stances and entity_trends; each store was"
                + " checked to hold exactly what was produced)");
        for (Result r : results) {
            out.println();
            out.printf("Consumer lag, %s (%s), sampled every second:%n", r.store(), r.version());
            out.printf("%8s %14s%n", "t (s)", "lag (offsets)");
            List<long[]> samples = r.lag();
            int step = Math.max(1, (int) Math.ceil(samples.size() / (double) LAG_ROWS));
            for (int i = 0; i < samples.size(); i++) {
                if (i % step == 0 || i == samples.size() - 1) {
                    out.printf("%8d %,14d%n", samples.get(i)[0], samples.get(i)[1]);
                }
            }
        }
        out.flush();
    }

    // --- Kafka ---

    private static Map<TopicPartition, Long> endOffsets(Admin admin) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (var topic : List.of(Topics.ARTICLES_ENRICHED, Topics.ENTITY_TRENDS)) {
            for (int p = 0; p < topic.partitions(); p++) {
                request.put(new TopicPartition(topic.name(), p), OffsetSpec.latest());
            }
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(request).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    private static long committed(Admin admin, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        return offsets.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
    }

    private interface Condition {
        boolean met() throws Exception;
    }

    private static void await(Condition condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.met()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Kafka offsets not committed within " + timeout);
            }
            Thread.sleep(100);
        }
    }

    private static final class Produced {
        long articles;
        long trends;
        long trendWindows;
        long distinctEntities;
        long words;
        long entities;
        long mentions;
        long stances;
        long bytes;
        double seconds;
    }

    /** Generates and sends the articles and, per article and entity, the trend update of its hour. */
    private static Produced produce(String bootstrap, int count) throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
        Produced produced = new Produced();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Generator generator = new Generator(42);
        long started = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer())) {
            Map<String, long[]> window = new HashMap<>();
            Map<String, double[]> sums = new HashMap<>();
            Instant currentHour = null;
            for (int i = 0; i < count && failure.get() == null; i++) {
                EnrichedArticle article = generator.next(i);
                byte[] value = Topics.ENRICHED_ARTICLE_SERDE.codec().encode(article);
                long timestamp = article.getPublished().toEpochMilli();
                producer.send(new ProducerRecord<>(Topics.ARTICLES_ENRICHED.name(), null, timestamp, article.getId(),
                        value), (m, e) -> failure.compareAndSet(null, e));
                produced.articles++;
                produced.bytes += value.length;
                produced.words += generator.lastWords;
                produced.entities += article.getEntities().size();
                produced.stances += article.getStances().size();
                produced.mentions += article.getEntities().stream().mapToInt(e -> Math.max(1, e.getMentions().size())).sum();

                // published times only move forward, so a window is complete once the hour changes
                Instant hour = article.getPublished().truncatedTo(ChronoUnit.HOURS);
                if (!hour.equals(currentHour)) {
                    produced.trendWindows += window.size();
                    window.clear();
                    sums.clear();
                    currentHour = hour;
                }
                for (Entity e : article.getEntities()) {
                    long n = ++window.computeIfAbsent(e.getId(), k -> new long[1])[0];
                    double sum = sums.computeIfAbsent(e.getId(), k -> new double[1])[0] += e.getSentiment().getScore();
                    EntityTrend trend = EntityTrend.newBuilder().setEntityId(e.getId()).setName(e.getName())
                            .setType(e.getType()).setWindowStart(hour).setWindowEnd(hour.plus(Duration.ofHours(1)))
                            .setArticleCount(n).setSentimentSum(sum).setMeanSentiment(sum / n).build();
                    producer.send(new ProducerRecord<>(Topics.ENTITY_TRENDS.name(), null, timestamp,
                            e.getId() + "@" + hour.toEpochMilli(), Topics.ENTITY_TREND_SERDE.codec().encode(trend)),
                            (m, ex) -> failure.compareAndSet(null, ex));
                    produced.trends++;
                }
            }
            produced.trendWindows += window.size();
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("producing failed: " + failure.get(), failure.get());
        }
        produced.distinctEntities = generator.distinctEntities();
        produced.seconds = (System.nanoTime() - started) / 1e9;
        return produced;
    }

    /**
     * Synthetic enriched articles, deterministic for a seed: a pool of 20,000 entities drawn with
     * a Zipf-like skew (a few are in many articles, most in few), bodies of about 700 words of
     * made-up vocabulary with the entity names placed in sentences, mention offsets exact,
     * and stances whose evidence is the sentence that states them. About 150 articles an hour.
     */
    static final class Generator {

        private static final int POOL = 20_000;
        private static final int SENTENCES = 47;
        private static final int WORDS_PER_SENTENCE = 15;
        private static final int ENTITIES = 15;
        private static final int MENTIONS = 40;
        private static final int STANCES = 3;
        private static final Instant START = Instant.parse("2026-01-05T06:00:00Z");
        private static final String[] FIRST = {"Elena", "Piet", "Amara", "Jonas", "Ines", "Tomasz", "Yuki", "Rafael",
            "Sofia", "Kwame", "Lena", "Mateo", "Aisha", "Oskar", "Nadia", "Viktor", "Chloe", "Ibrahim", "Hana", "Lucas"};
        private static final String[] SYLLABLES = {"var", "ga", "mo", "ren", "tal", "bri", "dun", "esk", "lor", "na",
            "pe", "sil", "tor", "ul", "vin", "wes", "ka", "li", "ost", "ram", "sen", "tha", "bel", "cor", "dan"};
        private static final String[] ORG_KINDS = {"Council", "Group", "Union", "Party", "Bank", "Institute", "Ministry",
            "Holdings", "League", "Agency"};
        private static final String[] COMMON = {"the", "of", "and", "to", "in", "a", "on", "for", "that", "with", "said",
            "was", "is", "by", "after", "plan", "budget", "vote", "talks", "market", "court", "report", "week", "city"};
        private static final String[] SUPPORT = {"backed", "supports", "welcomed", "endorsed", "praised"};
        private static final String[] OPPOSE = {"rejected", "opposes", "criticised", "condemned", "blocked"};

        private final SplittableRandom random;
        private final String[] names = new String[POOL];
        private final EntityType[] types = new EntityType[POOL];
        private final String[] ids = new String[POOL];
        private final double[] cumulative = new double[POOL];
        private final String[] vocabulary = new String[2_000];
        private final boolean[] used = new boolean[POOL];
        private int distinct;
        int lastWords;

        Generator(long seed) {
            random = new SplittableRandom(seed);
            for (int i = 0; i < vocabulary.length; i++) {
                vocabulary[i] = i < COMMON.length ? COMMON[i] : syllables(2 + random.nextInt(2)).toLowerCase(Locale.ROOT);
            }
            Map<String, Integer> seen = new HashMap<>();
            double total = 0;
            for (int i = 0; i < POOL; i++) {
                EntityType type = switch (i % 4) {
                    case 0, 1 -> EntityType.PERSON;
                    case 2 -> EntityType.ORGANIZATION;
                    default -> random.nextInt(4) == 0 ? EntityType.MISC : EntityType.LOCATION;
                };
                String name = switch (type) {
                    case PERSON -> FIRST[random.nextInt(FIRST.length)] + " " + syllables(2 + random.nextInt(2));
                    case ORGANIZATION -> syllables(2) + " " + ORG_KINDS[random.nextInt(ORG_KINDS.length)];
                    case LOCATION -> syllables(2 + random.nextInt(2));
                    default -> syllables(2) + " Accord";
                };
                String slug = name.toLowerCase(Locale.ROOT).replace(' ', '-');
                int dup = seen.merge(slug, 1, Integer::sum);
                String prefix = switch (type) {
                    case PERSON -> "per:";
                    case ORGANIZATION -> "org:";
                    case LOCATION -> "loc:";
                    default -> "misc:";
                };
                names[i] = name;
                types[i] = type;
                ids[i] = prefix + slug + (dup > 1 ? "-" + dup : "");
                total += 1.0 / Math.pow(i + 1, 0.9);
                cumulative[i] = total;
            }
        }

        long distinctEntities() {
            return distinct;
        }

        EnrichedArticle next(int n) {
            int[] picked = pickEntities();
            List<List<Mention>> mentions = new ArrayList<>();
            for (int i = 0; i < ENTITIES; i++) {
                mentions.add(new ArrayList<>());
            }
            // which entity each of the body's mentions names: every entity once, the rest skewed to the first picked
            int[] slots = new int[MENTIONS - STANCES];
            for (int i = 0; i < slots.length; i++) {
                slots[i] = i < ENTITIES ? i : Math.min(ENTITIES - 1, (int) Math.abs(random.nextGaussian() * 4));
            }
            shuffle(slots);
            int[] stanceSentences = {6, 22, 38};
            StringBuilder title = new StringBuilder();
            title.append(names[picked[0]]);
            mentions.get(0).add(mention(TextField.title, 0, names[picked[0]]));
            for (int w = 0; w < 7; w++) {
                title.append(' ').append(word());
            }
            StringBuilder body = new StringBuilder();
            List<Stance> stances = new ArrayList<>();
            int slot = 0;
            for (int s = 0; s < SENTENCES; s++) {
                if (s > 0) {
                    body.append(s % 8 == 0 ? "\n\n" : " ");
                }
                int sentenceStart = body.length();
                int stanceIndex = Arrays.binarySearch(stanceSentences, s);
                if (stanceIndex >= 0) {
                    stanceSentence(body, picked, mentions, stances, sentenceStart);
                    continue;
                }
                int due = (s + 1) * slots.length / (SENTENCES - STANCES) - slot;
                List<Integer> inserts = new ArrayList<>();
                for (int k = 0; k < due && slot < slots.length; k++) {
                    inserts.add(slots[slot++]);
                }
                for (int w = 0; w < WORDS_PER_SENTENCE; w++) {
                    if (w > 0) {
                        body.append(' ');
                    }
                    if (!inserts.isEmpty() && w % 5 == 0) {
                        int e = inserts.remove(0);
                        mentions.get(e).add(mention(TextField.body, body.length(), names[picked[e]]));
                        body.append(names[picked[e]]);
                    } else {
                        String word = word();
                        body.append(w == 0 ? capitalise(word) : word);
                    }
                }
                body.append('.');
            }
            lastWords = body.toString().split("\\s+").length;
            List<Entity> entities = new ArrayList<>();
            for (int i = 0; i < ENTITIES; i++) {
                int e = picked[i];
                double score = Math.max(-1, Math.min(1, random.nextGaussian() * 0.4));
                entities.add(Entity.newBuilder().setId(ids[e]).setName(names[e]).setType(types[e])
                        .setSalience(Math.min(1.0, mentions.get(i).size() / 8.0))
                        .setSentiment(Sentiment.newBuilder().setScore(score).setLabel(score > 0.1 ? SentimentLabel.POSITIVE
                                : score < -0.1 ? SentimentLabel.NEGATIVE : SentimentLabel.NEUTRAL).build())
                        .setMentions(mentions.get(i)).build());
                if (!used[e]) {
                    used[e] = true;
                    distinct++;
                }
            }
            Instant published = START.plusSeconds(n * 24L + random.nextInt(20));
            String id = HexFormat.of().toHexDigits(n * 0x9E3779B97F4A7C15L) + HexFormat.of().toHexDigits((long) n);
            double positive = random.nextDouble() * 5;
            double negative = random.nextDouble() * 5;
            return EnrichedArticle.newBuilder().setId(id).setUrl("https://bench.example/" + n)
                    .setTitle(title.toString()).setBody(body.toString()).setSource("Bench Times " + (n % 40))
                    .setLanguage("en").setPublished(published).setFetchedAt(published.plusSeconds(60))
                    .setEnrichedAt(published.plusSeconds(65)).setEnricherVersion("bench-1")
                    .setEntities(entities).setStances(stances)
                    .setTone(Tone.newBuilder().setPositive(positive).setNegative(negative)
                            .setPolarity((positive - negative) / (positive + negative + 1e-9)).build())
                    .build();
        }

        /** "Holder cue target words." with the holder (and an entity target) as mentions. */
        private void stanceSentence(StringBuilder body, int[] picked, List<List<Mention>> mentions, List<Stance> stances,
                                   int start) {
            int holder = -1;
            for (int i = stances.size(); i < ENTITIES && holder < 0; i++) {
                if (types[picked[i]] == EntityType.PERSON || types[picked[i]] == EntityType.ORGANIZATION) {
                    holder = i;
                }
            }
            holder = holder < 0 ? stances.size() : holder;
            int target = (holder + 1 + random.nextInt(ENTITIES - 1)) % ENTITIES;
            boolean entityTarget = random.nextBoolean();
            StancePolarity polarity = random.nextInt(10) < 5 ? StancePolarity.OPPOSE
                    : random.nextInt(10) < 9 ? StancePolarity.SUPPORT : StancePolarity.NEUTRAL;
            String cue = polarity == StancePolarity.SUPPORT ? SUPPORT[random.nextInt(SUPPORT.length)]
                    : polarity == StancePolarity.OPPOSE ? OPPOSE[random.nextInt(OPPOSE.length)] : "discussed";
            mentions.get(holder).add(mention(TextField.body, body.length(), names[picked[holder]]));
            body.append(names[picked[holder]]).append(' ').append(cue).append(' ');
            String targetText;
            if (entityTarget) {
                targetText = names[picked[target]];
                mentions.get(target).add(mention(TextField.body, body.length(), targetText));
                body.append(targetText);
            } else {
                targetText = "the " + word() + " " + word();
                body.append(targetText);
            }
            for (int w = 0; w < 9; w++) {
                body.append(' ').append(word());
            }
            body.append('.');
            stances.add(Stance.newBuilder()
                    .setHolder(StanceHolder.newBuilder().setId(ids[picked[holder]]).setName(names[picked[holder]]).build())
                    .setTarget(StanceTarget.newBuilder().setId(entityTarget ? ids[picked[target]] : null)
                            .setText(targetText).build())
                    .setPolarity(polarity).setCue(cue)
                    .setEvidence(Evidence.newBuilder().setField(TextField.body).setStart(start).setEnd(body.length())
                            .build())
                    .setConfidence(0.5 + random.nextDouble() / 2).build());
        }

        private int[] pickEntities() {
            int[] picked = new int[ENTITIES];
            int n = 0;
            while (n < ENTITIES) {
                double u = random.nextDouble() * cumulative[POOL - 1];
                int i = Arrays.binarySearch(cumulative, u);
                int e = i >= 0 ? i : Math.min(POOL - 1, -i - 1);
                boolean dup = false;
                for (int k = 0; k < n; k++) {
                    dup |= picked[k] == e;
                }
                if (!dup) {
                    picked[n++] = e;
                }
            }
            return picked;
        }

        private static Mention mention(TextField field, int start, String text) {
            return Mention.newBuilder().setField(field).setStart(start).setEnd(start + text.length()).setText(text)
                    .build();
        }

        private String word() {
            // Zipf-like: common words often, the long tail rarely
            int i = (int) Math.min(vocabulary.length - 1, Math.abs(random.nextGaussian()) * 300);
            return vocabulary[i];
        }

        private String syllables(int count) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < count; i++) {
                s.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
            }
            return capitalise(s.toString());
        }

        private void shuffle(int[] values) {
            for (int i = values.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = values[i];
                values[i] = values[j];
                values[j] = t;
            }
        }

        private static String capitalise(String word) {
            return word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
