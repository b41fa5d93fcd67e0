package dev.newsline.enrich;

import dev.newsline.enrich.topology.DeadLetterHandler;
import dev.newsline.enrich.topology.EnrichTopology;
import dev.newsline.model.config.LayeredConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
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

    private final KafkaStreams streams;
    private volatile boolean hasRun;

    public EnrichService(EnrichConfig config, ArticleEnrichment enricher) {
        this(config, enricher, EnrichMetrics.NONE);
    }

    /** @param metrics receives every enriched and every dead-lettered record (an exporter) */
    public EnrichService(EnrichConfig config, ArticleEnrichment enricher, EnrichMetrics metrics) {
        ArticleEnrichment reported = metrics == EnrichMetrics.NONE ? enricher : new ReportingEnrichment(enricher, metrics);
        this.streams = new KafkaStreams(EnrichTopology.buildTopology(config, reported), streamsProperties(config, metrics));
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread died; replacing it", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                hasRun = true;
            }
            LOG.info("Kafka Streams state {} -> {}", before, now);
        });
    }

    /**
     * Loads configuration (optional properties file as the only argument, then NEWS_* variables)
     * and runs the service with its health and metrics endpoints ({@link EnrichProcess}). On
     * SIGTERM the hook closes Streams first (within 30 s, committing), then the endpoints.
     */
    public static void main(String[] args) {
        java.nio.file.Path file = args.length > 0 ? java.nio.file.Path.of(args[0]) : null;
        EnrichConfig config = new EnrichConfig(LayeredConfig.merge(file, System.getenv(), Map.of()));
        EnrichProcess process = EnrichProcess.of(config);
        Runtime.getRuntime().addShutdownHook(new Thread(process::close, "newsline-enrich-shutdown"));
        process.start();
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
