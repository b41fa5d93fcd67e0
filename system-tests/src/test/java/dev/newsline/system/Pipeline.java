package dev.newsline.system;

import dev.newsline.cli.local.LocalStack;
import dev.newsline.embedded.EmbeddedKafkaMain;
import dev.newsline.enrich.nlp.EntityRecognizer;
import dev.newsline.ingest.produce.ArticleProducer;
import dev.newsline.ingest.replay.ArchiveReplayer;
import dev.newsline.ingest.replay.ReplayOptions;
import dev.newsline.ingest.replay.ReplaySummary;
import dev.newsline.model.topic.Topics;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;

/**
 * One Newsline deployment on this machine, every part its own operating-system process started
 * from the modules' jars: the KRaft broker ({@link EmbeddedKafkaMain}), the enrich service and
 * the sink service (the mains of the service images), the sink writing to a database of the
 * test's own PostgreSQL. The services are configured with {@code NEWS_*} variables only, as in
 * docker-compose.yml. The archive is replayed from this JVM with the ingest service's
 * {@link ArchiveReplayer} and {@link ArticleProducer}, as {@code newsctl replay} does.
 *
 * <p>Settings that differ from the defaults, each a documented user setting, and why:
 * {@code enrich.stream.threads=2} as docker-compose.yml runs it (two transactional producers);
 * {@code kafka.session.timeout.ms=6000} (the broker's minimum) for enrich and sink, because a
 * process killed with SIGKILL never leaves its group and its replacement otherwise waits the
 * default 45 s for the dead member to time out; {@code sink.retry.backoff.max.ms=2000}, so that
 * the sink notices a returned database within 2 s rather than up to 30 s later.
 */
final class Pipeline implements AutoCloseable {

    static final String ENRICH_GROUP = "newsline-enrich";
    static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private final String name;
    private final Path dir;
    private final LocalPostgres postgres;
    private final String database;
    private final int brokerPort = Ports.free();
    private final JavaProcess broker;
    private final JavaProcess enrich;
    private final JavaProcess sink;
    private final List<JavaProcess> processes;
    private TopicWatcher enriched;
    private Admin sharedAdmin;

    Pipeline(String name, Path dir, String classpath, LocalPostgres postgres, String database) {
        this.name = name;
        this.dir = dir;
        this.postgres = postgres;
        this.database = database;
        Path logs = dir.resolve("logs");
        int controllerPort = Ports.free();
        this.broker = new JavaProcess("broker", EmbeddedKafkaMain.class.getName(),
                List.of("-Xmx768m", "-XX:+ExitOnOutOfMemoryError"),
                List.of(dir.resolve("kafka").toString(), String.valueOf(brokerPort), String.valueOf(controllerPort)),
                Map.of(), classpath, logs, null);

        int enrichPort = Ports.free();
        Map<String, String> enrichEnv = new HashMap<>();
        enrichEnv.put("NEWS_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers());
        enrichEnv.put("NEWS_ENRICH_STATE_DIR", dir.resolve("enrich-state").toString());
        enrichEnv.put("NEWS_ENRICH_HTTP_BIND", "127.0.0.1");
        enrichEnv.put("NEWS_ENRICH_HTTP_PORT", String.valueOf(enrichPort));
        // as docker-compose.yml runs it: two stream threads, two transactional producers
        enrichEnv.put("NEWS_ENRICH_STREAM_THREADS", "2");
        enrichEnv.put("NEWS_KAFKA_SESSION_TIMEOUT_MS", "6000");
        // the JVM options of compose (JAVA_TOOL_OPTIONS) and of the enrich image's entry point
        List<String> enrichJvm = new ArrayList<>(List.of("-Xmx1g", "-XX:+ExitOnOutOfMemoryError"));
        enrichJvm.addAll(EntityRecognizer.JVM_OPTIONS);
        this.enrich = new JavaProcess("enrich", "dev.newsline.enrich.EnrichService",
                enrichJvm, List.of(), enrichEnv, classpath, logs,
                URI.create("http://127.0.0.1:" + enrichPort + "/health/ready"));

        int sinkPort = Ports.free();
        Map<String, String> sinkEnv = new HashMap<>();
        sinkEnv.put("NEWS_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers());
        sinkEnv.put("NEWS_SINK_JDBC_URL", postgres.jdbcUrl(database));
        sinkEnv.put("NEWS_SINK_JDBC_USER", LocalPostgres.USER);
        sinkEnv.put("NEWS_SINK_HTTP_BIND", "127.0.0.1");
        sinkEnv.put("NEWS_SINK_HTTP_PORT", String.valueOf(sinkPort));
        sinkEnv.put("NEWS_SINK_RETRY_BACKOFF_MAX_MS", "2000");
        sinkEnv.put("NEWS_KAFKA_SESSION_TIMEOUT_MS", "6000");
        this.sink = new JavaProcess("sink", "dev.newsline.sink.SinkService",
                List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError"), List.of(), sinkEnv, classpath, logs,
                URI.create("http://127.0.0.1:" + sinkPort + "/health/ready"));
        this.processes = List.of(sink, enrich, broker);
    }

    /**
     * The class path of the child processes, staged as the images stage it: the jars of this
     * test's class path (our modules' jars and their runtime dependencies, as in the images'
     * /app/newsline and /app/lib) copied into {@code appDir}, without the test tools, then the
     * images' configuration directory (deploy/, for logback.xml), last as in the Dockerfile.
     * Copies, so that both runs execute the same bytes even if a module is rebuilt meanwhile.
     */
    static String stageClasspath(Path appDir, Path configDir) {
        List<String> entries = new ArrayList<>();
        try {
            Files.createDirectories(appDir);
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                if (entry.isBlank()) {
                    continue;
                }
                Path p = Path.of(entry).toAbsolutePath();
                String file = p.getFileName().toString();
                boolean testOnly = Stream.of("junit-", "opentest4j-", "apiguardian-", "assertj-", "awaitility-",
                        "hamcrest-", "byte-buddy", "surefire", "newsctl", "system-tests").anyMatch(file::startsWith)
                        || p.toString().contains(File.separator + "system-tests" + File.separator);
                if (testOnly || !Files.exists(p)) {
                    continue;
                }
                if (Files.isDirectory(p)) {
                    // a module's classes (a run from an IDE): used in place
                    entries.add(p.toString());
                    continue;
                }
                Path copy = appDir.resolve(file);
                for (int n = 2; Files.exists(copy); n++) {
                    copy = appDir.resolve(n + "-" + file);
                }
                Files.copy(p, copy);
                entries.add(copy.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the class path in " + appDir, e);
        }
        entries.add(configDir.toAbsolutePath().normalize().toString());
        return String.join(File.pathSeparator, entries);
    }

    String name() {
        return name;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    String jdbcUrl() {
        return postgres.jdbcUrl(database);
    }

    JavaProcess broker() {
        return broker;
    }

    JavaProcess enrich() {
        return enrich;
    }

    JavaProcess sink() {
        return sink;
    }

    /** Starts the broker, creates the topics, starts enrich and sink and waits until both are ready. */
    void start() {
        try {
            Files.createDirectories(dir.resolve("logs"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        broker.start();
        awaitBroker();
        createTopics(LocalStack.newTopics());
        enriched = TopicWatcher.start(bootstrapServers(), Topics.ARTICLES_ENRICHED.name());
        enrich.start();
        sink.start();
        enrich.awaitReady(READY_TIMEOUT);
        sink.awaitReady(READY_TIMEOUT);
    }

    private void awaitBroker() {
        broker.awaitOutput(EmbeddedKafkaMain.READY + bootstrapServers(), READY_TIMEOUT);
    }

    private void createTopics(List<NewTopic> topics) {
        try (Admin admin = admin()) {
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
            List<String> names = topics.stream().map(NewTopic::name).toList();
            Awaitility.await("leaders of the new topics").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> admin.describeTopics(names).allTopicNames().get().values().stream()
                            .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the topics on " + bootstrapServers(), e);
        }
    }

    /** Replays the archive into news.articles.raw at most {@code ratePerSec} articles a second (0: unpaced). */
    ReplaySummary replay(Path archive, double ratePerSec, Consumer<Long> progress) {
        Map<String, Object> kafka = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ProducerConfig.CLIENT_ID_CONFIG, "system-test-replay");
        try (ArticleProducer producer = new ArticleProducer(kafka)) {
            return new ArchiveReplayer(producer, new ReplayOptions(null, null, ratePerSec, false), progress)
                    .replay(List.of(archive));
        }
    }

    /** SIGKILL, then a new process at once; returns when the new one is ready. */
    void killAndRestart(JavaProcess process) {
        process.kill();
        process.start();
        process.awaitReady(READY_TIMEOUT);
    }

    /** Stops the broker as an operator does (SIGTERM: controlled shutdown) and starts it again on the same storage. */
    void restartBroker() {
        broker.stop(Duration.ofSeconds(90));
        broker.start();
        awaitBroker();
    }

    /** Distinct enriched articles a read_committed consumer has seen so far. */
    long enrichedSoFar() {
        return enriched.distinctKeys();
    }

    TopicWatcher enrichedWatcher() {
        return enriched;
    }

    /** Rows in the articles table, or -1 while the database cannot be asked. */
    long rows() {
        try (Connection c = DriverManager.getConnection(jdbcUrl() + "?connectTimeout=2&socketTimeout=10",
                LocalPostgres.USER, null);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM articles")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    /**
     * Records of news.articles.raw the enrich service has not committed as consumed, or -1 while
     * the broker cannot be asked. Under exactly-once the committed offsets move with each
     * transaction, so 0 means every raw record's output is committed.
     */
    long enrichLag() {
        try {
            Admin admin = sharedAdmin();
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(ENRICH_GROUP)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < Topics.ARTICLES_RAW.partitions(); p++) {
                latest.put(new TopicPartition(Topics.ARTICLES_RAW.name(), p), OffsetSpec.latest());
            }
            long lag = 0;
            for (var end : admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).entrySet()) {
                OffsetAndMetadata done = committed.get(end.getKey());
                lag += end.getValue().offset() - (done == null ? 0 : done.offset());
            }
            return lag;
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private synchronized Admin sharedAdmin() {
        if (sharedAdmin == null) {
            sharedAdmin = admin();
        }
        return sharedAdmin;
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000));
    }

    /** CPU seconds each process used so far, by name: where the suite's time goes on two cores. */
    Map<String, Long> cpuSeconds() {
        Map<String, Long> cpu = new java.util.LinkedHashMap<>();
        for (JavaProcess p : List.of(broker, enrich, sink)) {
            cpu.put(p.name() + " x" + p.launches(), p.cpuTime().toSeconds());
        }
        return cpu;
    }

    /** The last lines of every process's current log, for failure messages. */
    String tails(int lines) {
        StringBuilder out = new StringBuilder();
        for (JavaProcess p : processes) {
            out.append('\n').append(p.tail(lines)).append('\n');
        }
        return out.toString();
    }

    /** Stops sink, enrich and broker (SIGTERM, SIGKILL after 30 s each). */
    @Override
    public void close() {
        if (enriched != null) {
            enriched.close();
        }
        synchronized (this) {
            if (sharedAdmin != null) {
                sharedAdmin.close(Duration.ofSeconds(5));
            }
        }
        for (JavaProcess p : processes) {
            p.close();
        }
    }
}
