package dev.newsline.enrich;

import dev.newsline.enrich.topology.DeadLetterHandler;
import dev.newsline.enrich.topology.EnrichTopology;
import dev.newsline.model.config.LayeredConfig;
import java.time.Duration;
import java.util.Map;
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
 */
public final class EnrichService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EnrichService.class);

    private final KafkaStreams streams;

    public EnrichService(EnrichConfig config, ArticleEnrichment enricher) {
        this.streams = new KafkaStreams(EnrichTopology.buildTopology(config, enricher), streamsProperties(config));
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread died; replacing it", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    /** Loads configuration (optional properties file as the only argument, then NEWS_* variables) and runs. */
    public static void main(String[] args) {
        java.nio.file.Path file = args.length > 0 ? java.nio.file.Path.of(args[0]) : null;
        EnrichConfig config = new EnrichConfig(LayeredConfig.merge(file, System.getenv(), Map.of()));
        Enricher enricher = Enricher.load(config.aliasFiles(), config.getInt(EnrichConfig.MAX_CHARS),
                java.time.Clock.systemUTC());
        EnrichService service = new EnrichService(config, enricher);
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "newsline-enrich-shutdown"));
        service.start();
    }

    static Properties streamsProperties(EnrichConfig config) {
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
        p.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        p.putIfAbsent(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
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

    public KafkaStreams streams() {
        return streams;
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
    }
}
