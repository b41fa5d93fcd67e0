package dev.newsline.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.newsline.cli.hostile.HostileCorpus.Check;
import dev.newsline.cli.hostile.HostileCorpus.Input;
import dev.newsline.cli.local.LocalStack;
import dev.newsline.enrich.EnrichConfig;
import dev.newsline.ingest.IngestService;
import dev.newsline.ingest.article.ArticleJson;
import dev.newsline.ingest.config.IngestConfig;
import dev.newsline.ingest.feed.FeedStatus;
import dev.newsline.ingest.produce.ArticleProducer;
import dev.newsline.ingest.replay.ArchiveReplayer;
import dev.newsline.ingest.replay.ReplayOptions;
import dev.newsline.ingest.replay.ReplaySummary;
import dev.newsline.model.DeadLetter;
import dev.newsline.model.RawArticle;
import dev.newsline.model.topic.Topics;
import dev.newsline.sink.SinkConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives every input of the hostile corpus ({@code src/test/resources/hostile/manifest.tsv}) through
 * the live pipeline: feeds served over HTTP on 127.0.0.1 and polled by the real ingest service,
 * archive files through the {@link ArchiveReplayer}, broken records produced straight to
 * news.articles.raw; the embedded broker, the enrich and sink services and the H2 store of
 * {@link LocalStack} behind them. Every input must end in exactly the one outcome its manifest
 * line names (a stored row that passes its checks, one dead letter with the named reason, or a
 * refused poll), and every service must still be running and handle a normal article afterwards.
 *
 * <p>Each input's article URLs start with {@code /<id>/}, and each feed and archive file is named
 * by its id, so every row and every dead letter can be traced back to exactly one input.
 */
class HostileInputIT {

    private static final Logger LOG = LoggerFactory.getLogger(HostileInputIT.class);
    private static final Duration OUTCOME_DEADLINE = Duration.ofSeconds(120);
    private static final Duration DRAIN_DEADLINE = Duration.ofSeconds(60);
    private static final String CONTROL_FEED = "control-feed";
    private static final String CONTROL_ARCHIVE = "control-archive";
    /** A fingerprint no released RawArticle schema has. */
    private static final long UNKNOWN_FINGERPRINT = 0x0123456789ABCDEFL;

    @TempDir
    Path dir;

    @Test
    void shouldEndEveryHostileInputInExactlyOneOutcomeAndKeepEveryServiceRunning() throws Exception {
        long started = System.nanoTime();
        List<Input> corpus = HostileCorpus.manifest();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(25);
        Map<String, Input> byId = corpus.stream().collect(Collectors.toMap(Input::id, i -> i, (a, b) -> a, LinkedHashMap::new));
        Map<String, Path> files = new HashMap<>();
        for (Input input : corpus) {
            String folder = input.viaArchive() ? "archive" : input.viaFeed() ? "feeds" : "raw";
            files.put(input.id(), HostileCorpus.materialise(input, dir.resolve(folder).resolve(input.id() + input.extension())));
        }

        try (FeedHttp http = FeedHttp.start(corpus, files);
             LocalStack stack = LocalStack.start(dir.resolve("data"), 0, Map.of(SinkConfig.HTTP_PORT, "0"))) {
            String jdbcUrl = stack.settings().get(SinkConfig.JDBC_URL);
            IngestService ingest = new IngestService(ingestConfig(stack, http, corpus));
            try {
                ingest.start();
                Map<String, List<String>> crashes = new TreeMap<>();
                for (Input input : corpus) {
                    if (input.viaArchive()) {
                        replay(stack, files.get(input.id()), input.id(), crashes);
                    }
                }
                produceRaw(stack, corpus);
                try {
                    // every input has an outcome; a wrong one is reported below, not waited for
                    await().atMost(OUTCOME_DEADLINE).pollInterval(Duration.ofSeconds(1))
                            .until(() -> observe(stack, jdbcUrl, ingest).keySet().containsAll(byId.keySet())
                                    || ingest.failure().isPresent());
                } catch (ConditionTimeoutException e) {
                    // the inputs without one are named below
                }

                // then a normal article through each entrance
                http.serveControl();
                Path control = dir.resolve("archive").resolve(CONTROL_ARCHIVE + ".jsonl");
                Files.writeString(control, controlLine(CONTROL_ARCHIVE) + "\n");
                replay(stack, control, CONTROL_ARCHIVE, crashes);

                List<String> problems = new ArrayList<>();
                try {
                    awaitDrained(stack);
                } catch (ConditionTimeoutException e) {
                    problems.add("the pipeline did not drain within " + DRAIN_DEADLINE.toSeconds() + " s (a service hangs): "
                            + e.getMessage());
                }
                Map<String, List<Observation>> outcomes = observe(stack, jdbcUrl, ingest);
                crashes.forEach((id, errors) -> problems.add(id + ": crashed: " + errors));
                problems.addAll(judge(byId, outcomes));
                problems.addAll(health(stack, ingest));
                LOG.info("{} hostile inputs in {} s:\n{}", corpus.size(),
                        Duration.ofNanos(System.nanoTime() - started).toSeconds(), table(corpus, outcomes));
                assertThat(problems).as("inputs whose outcome is not the one in hostile/manifest.tsv").isEmpty();
            } finally {
                try {
                    ingest.close();
                } catch (RuntimeException e) {
                    // a failed send is rethrown on close; the assertions above already name it
                    LOG.warn("closing ingest: {}", e.toString());
                }
            }
        }
    }

    // --- sending ---

    private static IngestConfig ingestConfig(LocalStack stack, FeedHttp http, List<Input> corpus) {
        List<String> feeds = new ArrayList<>();
        for (Input input : corpus) {
            if (input.viaFeed()) {
                // polled once: the next poll would be an hour away
                feeds.add(http.url(input.id()) + "|hostile-" + input.id() + "|1h");
            }
        }
        feeds.add(http.url(CONTROL_FEED) + "|control|500ms");
        Map<String, String> values = new HashMap<>();
        values.put("kafka.bootstrap.servers", stack.bootstrapServers());
        values.put(IngestConfig.FEEDS, String.join(",", feeds));
        values.put(IngestConfig.HTTP_ALLOWED_HOSTS, "127.0.0.1");
        values.put(IngestConfig.HTTP_READ_TIMEOUT_MS, "20000");
        values.put(IngestConfig.BACKOFF_BASE_MS, "3600000");
        values.put(IngestConfig.BACKOFF_MAX_MS, "3600000");
        values.put(IngestConfig.SHUTDOWN_TIMEOUT_MS, "5000");
        return IngestConfig.fromValues(values);
    }

    /** One archive file through its own producer, so that a failed send is this input's crash only. */
    private static void replay(LocalStack stack, Path file, String id, Map<String, List<String>> crashes) {
        try (ArticleProducer producer = new ArticleProducer(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            ReplaySummary summary = new ArchiveReplayer(producer, ReplayOptions.defaults(), n -> { }).replay(List.of(file));
            if (summary.read() + summary.rejectedTotal() == 0) {
                crashes.computeIfAbsent(id, k -> new ArrayList<>()).add("the replayer read nothing: " + summary);
            }
        } catch (RuntimeException | Error e) {
            crashes.computeIfAbsent(id, k -> new ArrayList<>()).add(e.toString());
        }
    }

    private static void produceRaw(LocalStack stack, List<Input> corpus) throws Exception {
        try (var producer = new KafkaProducer<byte[], byte[]>(Map.of("bootstrap.servers", stack.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Input input : corpus) {
                if (!input.viaRaw()) {
                    continue;
                }
                RawArticle article = ArticleJson.parse(HostileCorpus.resourceText(input.file()).strip(), Instant.now());
                byte[] bytes = Topics.RAW_ARTICLE_SERDE.codec().encode(article);
                byte[] broken = switch (input.via()) {
                    case "raw+unknown-schema" -> {
                        assertThat(Topics.RAW_ARTICLE_SERDE.codec().knownFingerprints()).doesNotContain(UNKNOWN_FINGERPRINT);
                        byte[] b = bytes.clone();
                        ByteBuffer.wrap(b, 2, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(UNKNOWN_FINGERPRINT);
                        yield b;
                    }
                    // the 10-byte header and half of the body
                    case "raw+truncated" -> Arrays.copyOf(bytes, 10 + (bytes.length - 10) / 2);
                    default -> throw new IllegalStateException(input.via());
                };
                producer.send(new ProducerRecord<>(Topics.ARTICLES_RAW.name(),
                        ("hostile." + input.id()).getBytes(StandardCharsets.UTF_8), broken)).get();
            }
        }
    }

    private static String controlLine(String id) {
        return "{\"url\":\"https://hostile.example/" + id + "/story\",\"title\":\"Council backs the harbour plan\","
                + "\"body\":\"Mayor Clara Hoff backed the harbour plan on Monday.\",\"published\":\"2026-01-06T09:00:00Z\"}";
    }

    // --- waiting ---

    /** Until enrich has read all of news.articles.raw and the sink has applied all it enriched. */
    private static void awaitDrained(LocalStack stack) {
        String enrichGroup = stack.settings().getOrDefault(EnrichConfig.APPLICATION_ID, "newsline-enrich");
        String sinkGroup = stack.settings().getOrDefault(SinkConfig.GROUP_ID, "newsline-sink");
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", stack.bootstrapServers()));
             var consumer = new KafkaConsumer<byte[], byte[]>(Map.of("bootstrap.servers", stack.bootstrapServers(),
                     "isolation.level", "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> raw = partitions(consumer, Topics.ARTICLES_RAW.name());
            // the raw topic has no transaction markers (its producers are not transactional), so enrich's
            // committed offsets reach the end offsets exactly
            await().atMost(DRAIN_DEADLINE).pollInterval(Duration.ofMillis(500)).until(() -> {
                Map<TopicPartition, Long> ends = new HashMap<>();
                admin.listOffsets(raw.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
                        .all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
                Map<TopicPartition, OffsetAndMetadata> read = admin.listConsumerGroupOffsets(enrichGroup)
                        .partitionsToOffsetAndMetadata().get();
                return raw.stream().allMatch(tp -> ends.get(tp) == 0
                        || read.get(tp) != null && read.get(tp).offset() >= ends.get(tp));
            });
            // the enriched topic is written in transactions whose markers take offsets: the sink's
            // applied offset passes the last record, not the end offset
            List<TopicPartition> enriched = partitions(consumer, Topics.ARTICLES_ENRICHED.name());
            consumer.assign(enriched);
            consumer.seekToBeginning(enriched);
            Map<TopicPartition, Long> ends = consumer.endOffsets(enriched);
            Map<TopicPartition, Long> lastRecord = new HashMap<>();
            await().atMost(DRAIN_DEADLINE).until(() -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    lastRecord.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::max);
                }
                return enriched.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp));
            });
            await().atMost(DRAIN_DEADLINE).pollInterval(Duration.ofMillis(250)).until(() -> {
                Map<TopicPartition, Long> applied = stack.store().appliedOffsets(sinkGroup);
                return lastRecord.entrySet().stream().allMatch(e -> applied.getOrDefault(e.getKey(), 0L) > e.getValue());
            });
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    // --- observing ---

    /**
     * One outcome seen for an input.
     *
     * @param kind   stored, ingest/enrich/sink (a dead letter on that service's topic), or refused
     * @param reason the dead letter's reason or the feed error; null for a row
     * @param row    the stored row, for checks
     */
    record Observation(String kind, String reason, Map<String, Object> row) {

        @Override
        public String toString() {
            return kind + (reason == null ? "" : ":" + reason);
        }
    }

    /** Every outcome so far, by the id of the input it belongs to. */
    private static Map<String, List<Observation>> observe(LocalStack stack, String jdbcUrl, IngestService ingest)
            throws SQLException {
        Map<String, List<Observation>> out = new TreeMap<>();
        for (Map<String, Object> row : rows(jdbcUrl)) {
            out.computeIfAbsent(idOfUrl((String) row.get("url")), k -> new ArrayList<>())
                    .add(new Observation("stored", null, row));
        }
        for (DeadLetter letter : deadLetters(stack)) {
            out.computeIfAbsent(idOfDeadLetter(letter), k -> new ArrayList<>())
                    .add(new Observation(letter.getService(), letter.getReason(), null));
        }
        for (FeedStatus feed : ingest.feeds()) {
            // refused: polled, but no document was ever received
            if (feed.errors() > 0 && feed.fetched() == 0 && feed.lastError() != null) {
                String id = idOfFeedUrl(feed.url());
                out.computeIfAbsent(id, k -> new ArrayList<>())
                        .add(new Observation("refused", feed.lastError().substring(0, feed.lastError().indexOf(':')), null));
            }
        }
        return out;
    }

    private static List<Map<String, Object>> rows(String jdbcUrl) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl);
             PreparedStatement ps = c.prepareStatement("SELECT a.id, a.url, a.title, a.body, a.source, a.language,"
                     + " a.published, (SELECT COUNT(DISTINCT m.entity_id) FROM mentions m WHERE m.article_id = a.id)"
                     + " FROM articles a");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Map<String, Object> row = new HashMap<>();
                row.put("id", rs.getString(1));
                row.put("url", rs.getString(2));
                row.put("title", rs.getString(3));
                row.put("body", rs.getString(4));
                row.put("source", rs.getString(5));
                row.put("language", rs.getString(6));
                OffsetDateTime published = rs.getObject(7, OffsetDateTime.class);
                row.put("published", published == null ? null : published.toInstant().toString());
                row.put("entities", rs.getLong(8));
                rows.add(row);
            }
        }
        return rows;
    }

    private static List<DeadLetter> deadLetters(LocalStack stack) {
        List<DeadLetter> letters = new ArrayList<>();
        try (var consumer = new KafkaConsumer<byte[], byte[]>(Map.of("bootstrap.servers", stack.bootstrapServers(),
                "isolation.level", "read_committed", "max.partition.fetch.bytes", 8 * 1024 * 1024),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(Topics.INGEST_DLQ.name(), Topics.ENRICH_DLQ.name(), Topics.SINK_DLQ.name())) {
                partitions.addAll(partitions(consumer, topic));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("cannot read the dead-letter topics to their end " + ends);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    letters.add(Topics.DEAD_LETTER_SERDE.codec().decode(r.value()));
                }
            }
        }
        return letters;
    }

    /** The input a dead letter belongs to: by the feed URL or archive file it names, else by key or payload. */
    private static String idOfDeadLetter(DeadLetter letter) {
        String origin = letter.getOrigin() == null ? "" : letter.getOrigin();
        if (letter.getService().equals("ingest")) {
            if (origin.startsWith("http://127.0.0.1:")) {
                return idOfFeedUrl(origin);
            }
            String name = Path.of(origin).getFileName().toString();
            return name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
        }
        String key = letter.getKey() == null ? "" : StandardCharsets.UTF_8.decode(letter.getKey().duplicate()).toString();
        if (key.startsWith("hostile.")) {
            return key.substring("hostile.".length());
        }
        byte[] payload = letter.getPayload() == null ? new byte[0] : bytes(letter.getPayload());
        try {
            return idOfUrl(letter.getService().equals("enrich")
                    ? Topics.RAW_ARTICLE_SERDE.codec().decode(payload).getUrl()
                    : Topics.ENRICHED_ARTICLE_SERDE.codec().decode(payload).getUrl());
        } catch (RuntimeException e) {
            return "unattributed " + letter.getService() + " dead letter with key '" + key + "'";
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** {@code http://127.0.0.1:PORT/feeds/ID} -> ID */
    private static String idOfFeedUrl(String url) {
        String path = URI.create(url).getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The first path segment of an article URL: its input's id. */
    private static String idOfUrl(String url) {
        String[] segments = URI.create(url).getPath().split("/");
        return segments.length > 1 ? segments[1] : "unattributed URL " + url;
    }

    // --- judging ---

    /** What is wrong with the outcomes: every input's, the control articles', and outcomes of no input. */
    private static List<String> judge(Map<String, Input> byId, Map<String, List<Observation>> outcomes) {
        List<String> problems = new ArrayList<>();
        for (Input input : byId.values()) {
            problems.addAll(judge(input, outcomes.getOrDefault(input.id(), List.of())));
        }
        for (String id : List.of(CONTROL_FEED, CONTROL_ARCHIVE)) {
            List<Observation> seen = outcomes.getOrDefault(id, List.of());
            if (seen.size() != 1 || !seen.get(0).kind().equals("stored")) {
                problems.add(id + ": the normal article sent last was not stored exactly once: " + seen);
            }
        }
        outcomes.forEach((id, seen) -> {
            if (!byId.containsKey(id) && !id.equals(CONTROL_FEED) && !id.equals(CONTROL_ARCHIVE)) {
                problems.add(id + ": outcomes of no input: " + seen);
            }
        });
        return problems;
    }

    private static List<String> health(LocalStack stack, IngestService ingest) {
        List<String> problems = new ArrayList<>();
        ingest.failure().ifPresent(e -> problems.add("ingest service stopped: " + e));
        if (!ingest.isRunning()) {
            problems.add("ingest service is not polling");
        }
        if (!stack.enrich().running()) {
            problems.add("enrich service is " + stack.enrich().state());
        }
        if (!stack.sink().healthy()) {
            problems.add("sink is not healthy" + stack.sink().failure().map(e -> ": " + e).orElse(""));
        }
        return problems;
    }

    private static List<String> judge(Input input, List<Observation> seen) {
        List<String> problems = new ArrayList<>();
        String expected = input.outcome() + (input.reason() == null ? "" : " " + input.reason());
        if (seen.size() != 1) {
            problems.add(input.id() + ": expected exactly one outcome (" + expected + "), saw " + seen.size() + ": " + seen);
            return problems;
        }
        Observation o = seen.get(0);
        switch (input.outcome()) {
            case "processed", "sanitised" -> {
                if (!o.kind().equals("stored")) {
                    problems.add(input.id() + ": expected " + expected + ", saw " + o);
                    return problems;
                }
                for (Check check : input.checks()) {
                    String failure = failedCheck(check, o.row());
                    if (failure != null) {
                        problems.add(input.id() + ": " + failure);
                    }
                }
            }
            case "dead-lettered" -> {
                if (!o.kind().equals(input.deadLetterService()) || !input.deadLetterReason().equals(o.reason())) {
                    problems.add(input.id() + ": expected " + expected + ", saw " + o);
                }
            }
            case "refused" -> {
                if (!o.kind().equals("refused") || !input.reason().equals(o.reason())) {
                    problems.add(input.id() + ": expected " + expected + ", saw " + o);
                }
            }
            default -> throw new IllegalStateException(input.outcome());
        }
        return problems;
    }

    private static String failedCheck(Check check, Map<String, Object> row) {
        Object actual = switch (check.field()) {
            case "title.length" -> ((String) row.get("title")).length();
            case "body.length" -> ((String) row.get("body")).length();
            default -> row.get(check.field());
        };
        String text = actual == null ? "" : actual.toString();
        boolean ok = switch (check.op()) {
            case "=" -> text.equals(check.value());
            case "~" -> Pattern.compile(check.value()).matcher(text).find();
            case "!~" -> !Pattern.compile(check.value()).matcher(text).find();
            case ">=" -> Long.parseLong(text) >= Long.parseLong(check.value());
            default -> throw new IllegalStateException(check.op());
        };
        return ok ? null : "check " + check + " failed on " + abbreviate(text);
    }

    private static String abbreviate(String s) {
        String shown = s.codePoints().mapToObj(cp -> cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || (cp >= 0x200e && cp <= 0x206f)
                ? String.format("\\u%04x", cp) : Character.toString(cp)).collect(Collectors.joining());
        return "'" + (shown.length() <= 200 ? shown : shown.substring(0, 200) + "...' (" + s.length() + " chars)") + "'";
    }

    private static String table(List<Input> corpus, Map<String, List<Observation>> outcomes) {
        StringBuilder out = new StringBuilder();
        for (Input input : corpus) {
            out.append(String.format("  %-24s %-14s %-34s -> %s%n", input.id(), input.via(),
                    input.outcome() + (input.reason() == null ? "" : " " + input.reason()),
                    outcomes.getOrDefault(input.id(), List.of())));
        }
        return out.toString();
    }

    /**
     * The feed server: each feed input at {@code /feeds/<id>}, as the manifest says to serve it,
     * and the control feed, empty until {@link #serveControl()}.
     */
    private static final class FeedHttp implements AutoCloseable {

        private final HttpServer server;
        private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "hostile-feed-server");
            t.setDaemon(true);
            return t;
        });
        private final Map<String, Input> inputs = new ConcurrentHashMap<>();
        private final Map<String, Path> files;
        private volatile boolean control;

        private FeedHttp(List<Input> corpus, Map<String, Path> files) throws IOException {
            corpus.stream().filter(Input::viaFeed).forEach(i -> inputs.put(i.id(), i));
            this.files = files;
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
            server.setExecutor(executor);
            server.createContext("/feeds/", this::handle);
            server.start();
        }

        static FeedHttp start(List<Input> corpus, Map<String, Path> files) throws IOException {
            return new FeedHttp(corpus, files);
        }

        String url(String id) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/feeds/" + id;
        }

        void serveControl() {
            control = true;
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                String id = idOfFeedUrl(exchange.getRequestURI().toString());
                if (id.equals(CONTROL_FEED)) {
                    byte[] body = controlFeed().getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "application/rss+xml; charset=utf-8");
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                    return;
                }
                Input input = inputs.get(id);
                if (input == null) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                Path file = files.get(id);
                long length = Files.size(file);
                exchange.getResponseHeaders().set("Content-Type", input.file().endsWith(".json")
                        ? "application/feed+json" : "application/rss+xml");
                if (input.via().equals("feed+gzip")) {
                    exchange.getResponseHeaders().set("Content-Encoding", "gzip");
                }
                exchange.sendResponseHeaders(input.via().equals("feed+500") ? 500 : 200, length == 0 ? -1 : length);
                if (length > 0) {
                    try (InputStream in = Files.newInputStream(file); OutputStream out = exchange.getResponseBody()) {
                        in.transferTo(out);
                    } catch (IOException e) {
                        // the client hung up, e.g. on a body over its size limit
                    }
                }
            }
        }

        private String controlFeed() {
            String item = !control ? "" : """
                    <item><title>Council backs the harbour plan</title>
                    <link>https://hostile.example/control-feed/story</link>
                    <description>Mayor Clara Hoff backed the harbour plan on Monday.</description>
                    <pubDate>Tue, 06 Jan 2026 09:00:00 GMT</pubDate></item>""";
            return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Control</title>"
                    + "<link>https://hostile.example/</link><description>d</description>" + item + "</channel></rss>";
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
