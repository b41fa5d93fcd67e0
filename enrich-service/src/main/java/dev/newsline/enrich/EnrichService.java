package dev.newsline.enrich;

import dev.newsline.enrich.topology.DeadLetterHandler;
import dev.newsline.enrich.topology.EnrichTopology;
import dev.newsline.model.config.LayeredConfig;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DefaultProductionExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The enrich service: runs {@link EnrichTopology} with the shared {@link Enricher}.
 * news.articles.raw -> news.articles.enriched, news.entity.mentions, news.entity.trends.
 * Enriched and dead-lettered articles are reported to an {@link EnrichMetrics} listener.
 */
public final class EnrichService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EnrichService.class);

    /** Transaction timeout of the Streams producers unless configured (kafka.transaction.timeout.ms). */
    static final int TRANSACTION_TIMEOUT_MS = 60_000;

    /** The window in which stream thread deaths are counted against {@link EnrichConfig#THREAD_REPLACEMENTS_MAX}. */
    static final Duration THREAD_DEATH_WINDOW = Duration.ofMinutes(10);

    private final KafkaStreams streams;
    private final int maxReplacements;
    private final Deque<Long> recentDeaths = new ArrayDeque<>();
    private final CompletableFuture<Throwable> failure = new CompletableFuture<>();
    private volatile Throwable lastDeath;
    private volatile boolean hasRun;

    public EnrichService(EnrichConfig config, ArticleEnrichment enricher) {
        this(config, enricher, EnrichMetrics.NONE);
    }

    /** @param metrics receives every enriched and every dead-lettered record (an exporter) */
    public EnrichService(EnrichConfig config, ArticleEnrichment enricher, EnrichMetrics metrics) {
        ArticleEnrichment reported = metrics == EnrichMetrics.NONE ? enricher : new ReportingEnrichment(enricher, metrics);
        this.streams = new KafkaStreams(EnrichTopology.buildTopology(config, reported), streamsProperties(config, metrics));
        this.maxReplacements = config.getInt(EnrichConfig.THREAD_REPLACEMENTS_MAX);
        streams.setUncaughtExceptionHandler(this::onThreadDeath);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                hasRun = true;
            }
            LOG.info("Kafka Streams state {} -> {}", before, now);
            if (now == KafkaStreams.State.ERROR) {
                failure.complete(lastDeath != null ? lastDeath : new IllegalStateException("Kafka Streams reached ERROR"));
            }
        });
    }

    /**
     * A dying stream thread is replaced (records that fail enrichment are dead-lettered, so a death
     * is something else: a broken deployment, an exhausted heap). A replaced thread resumes from
     * the last commit, so one that dies again and again on the same cause would spin for ever: after
     * {@link EnrichConfig#THREAD_REPLACEMENTS_MAX} replacements within {@link #THREAD_DEATH_WINDOW}
     * the instance stops instead and {@link #failed()} completes.
     */
    private StreamThreadExceptionResponse onThreadDeath(Throwable e) {
        lastDeath = e;
        int deaths;
        synchronized (recentDeaths) {
            long now = System.nanoTime();
            while (!recentDeaths.isEmpty() && now - recentDeaths.peekFirst() > THREAD_DEATH_WINDOW.toNanos()) {
                recentDeaths.removeFirst();
            }
            recentDeaths.addLast(now);
            deaths = recentDeaths.size();
        }
        if (deaths > maxReplacements) {
            LOG.error("stream thread died, {} times within {} min; stopping this instance ({} = {})", deaths,
                    THREAD_DEATH_WINDOW.toMinutes(), EnrichConfig.THREAD_REPLACEMENTS_MAX, maxReplacements, e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        LOG.error("stream thread died; replacing it ({} of {} replacements within {} min)", deaths, maxReplacements,
                THREAD_DEATH_WINDOW.toMinutes(), e);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** Completes with the last stream thread's death once Kafka Streams has stopped in ERROR. */
    public CompletionStage<Throwable> failed() {
        return failure;
    }

    /**
     * Loads configuration (optional properties file as the only argument, then NEWS_* variables)
     * and runs the service with its health and metrics endpoints ({@link EnrichProcess}). On
     * SIGTERM the hook closes Streams first (within 30 s, committing), then the endpoints. If Kafka
     * Streams stops in ERROR (stream threads dying over and over), the process exits with status 1
     * so that its supervisor restarts it rather than leaving it alive and never ready.
     */
    public static void main(String[] args) {
        java.nio.file.Path file = args.length > 0 ? java.nio.file.Path.of(args[0]) : null;
        EnrichConfig config = new EnrichConfig(LayeredConfig.merge(file, System.getenv(), Map.of()));
        EnrichProcess process = EnrichProcess.of(config);
        Runtime.getRuntime().addShutdownHook(new Thread(process::close, "newsline-enrich-shutdown"));
        process.start();
        Throwable fatal = process.failed().toCompletableFuture().join();
        LOG.error("exiting with status 1: Kafka Streams stopped in ERROR after: {}", fatal.toString());
        System.exit(1);
    }

    static Properties streamsProperties(EnrichConfig config) {
        return streamsProperties(config, EnrichMetrics.NONE);
    }

    static Properties streamsProperties(EnrichConfig config, EnrichMetrics metrics) {
        Properties p = new Properties();
        Map<String, Object> kafka = config.kafkaSettings();
        p.putAll(kafka);
        p.putIfAbsent(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.getString(EnrichConfig.APPLICATION_ID));
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.getString(EnrichConfig.PROCESSING_GUARANTEE));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.getInt(EnrichConfig.STREAM_THREADS));
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.getString(EnrichConfig.STATE_DIR));
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.getLong(EnrichConfig.COMMIT_INTERVAL_MS));
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // a record Kafka will not take (too large, not serialisable) fails the task; nothing is dropped silently
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DefaultProductionExceptionHandler.class);
        // enrichment is CPU-bound: smaller polls keep each transaction short
        p.putIfAbsent(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 100);
        // one long article takes seconds to enrich, several times that on a busy machine; a transaction
        // open longer than its timeout (Streams' default: 10 s) is aborted and the same article processed
        // again, just as slowly, so the partition never moved on
        if (!p.containsKey(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG)) {
            p.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), TRANSACTION_TIMEOUT_MS);
        }
        p.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        p.putIfAbsent(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
        p.put(DeadLetterHandler.METRICS_CONFIG, metrics);
        return p;
    }

    public void start() {
        streams.start();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public boolean running() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    /**
     * Why the service is not ready, or empty when it is: Streams is RUNNING, or REBALANCING after
     * having run since start. A rebalance of a running group (an instance joining or leaving, a
     * replaced thread) is routine and short, so it does not count as not ready; a first
     * REBALANCING, with state still to restore, does.
     */
    public Optional<String> notReady() {
        KafkaStreams.State state = streams.state();
        if (state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING && hasRun) {
            return Optional.empty();
        }
        return Optional.of("Kafka Streams is " + state + (state == KafkaStreams.State.REBALANCING ? ", not yet running" : ""));
    }

    public KafkaStreams streams() {
        return streams;
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
    }
}
