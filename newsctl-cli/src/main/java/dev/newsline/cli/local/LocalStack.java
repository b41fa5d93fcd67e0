package dev.newsline.cli.local;

import dev.newsline.embedded.EmbeddedKafka;
import dev.newsline.enrich.EnrichConfig;
import dev.newsline.enrich.EnrichService;
import dev.newsline.enrich.Enricher;
import dev.newsline.model.topic.Topic;
import dev.newsline.model.topic.Topics;
import dev.newsline.sink.SinkConfig;
import dev.newsline.sink.SinkService;
import dev.newsline.sink.store.ArticleStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local default: a real KRaft broker in this JVM, the enrich topology and the sink writing
 * to the embedded H2 store, all under one data directory the user can see and delete.
 * <pre>
 *   DATA/kafka    broker log and metadata
 *   DATA/streams  Kafka Streams state (trend windows)
 *   DATA/store    H2 database (unless sink.jdbc.url points elsewhere)
 * </pre>
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

    private final EmbeddedKafka kafka;
    private final ArticleStore store;
    private final EnrichService enrich;
    private final SinkService sink;
    private final Map<String, String> settings;

    private LocalStack(EmbeddedKafka kafka, ArticleStore store, EnrichService enrich, SinkService sink,
                       Map<String, String> settings) {
        this.kafka = kafka;
        this.store = store;
        this.enrich = enrich;
        this.sink = sink;
        this.settings = settings;
    }

    /**
     * Starts broker, topics, enrich and sink.
     *
     * @param dataDir    where everything is kept
     * @param brokerPort port of the broker on 127.0.0.1, 0 for any free port
     * @param userSettings merged configuration (file and NEWS_* variables); the data locations
     *                   and the broker address are set here unless the user chose a store
     */
    public static LocalStack start(Path dataDir, int brokerPort, Map<String, String> userSettings) {
        EmbeddedKafka kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), brokerPort);
        try {
            kafka.createTopics(newTopics());
            Map<String, String> settings = new HashMap<>(userSettings);
            settings.put("kafka.bootstrap.servers", kafka.bootstrapServers());
            settings.putIfAbsent(EnrichConfig.STATE_DIR, dataDir.resolve("streams").toString());
            settings.putIfAbsent(SinkConfig.JDBC_URL, SinkConfig.h2Url(dataDir.resolve("store").resolve("newsline").toAbsolutePath()));

            EnrichConfig enrichConfig = new EnrichConfig(settings);
            SinkConfig sinkConfig = SinkConfig.from(settings);
            Enricher enricher = Enricher.load(enrichConfig.aliasFiles(), enrichConfig.getInt(EnrichConfig.MAX_CHARS),
                    Clock.systemUTC());
            ArticleStore store = ArticleStore.open(sinkConfig.jdbcUrl(), sinkConfig.jdbcUser(),
                    sinkConfig.jdbcPassword(), sinkConfig.poolSize());
            EnrichService enrich = new EnrichService(enrichConfig, enricher);
            SinkService sink = new SinkService(sinkConfig, store);
            enrich.start();
            sink.start();
            LOG.info("local stack up: broker {}, store {}", kafka.bootstrapServers(), sinkConfig.jdbcUrl());
            return new LocalStack(kafka, store, enrich, sink, Map.copyOf(settings));
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    /** Every catalogue topic with its partitions, replication 1 and compaction where it is a table. */
    public static List<NewTopic> newTopics() {
        return Topics.ALL.stream().map(LocalStack::newTopic).toList();
    }

    private static NewTopic newTopic(Topic<?, ?> topic) {
        NewTopic t = new NewTopic(topic.name(), topic.partitions(), (short) 1);
        // Records carry event time (the published time) and time-based retention counts from the
        // record timestamp: with the broker's 7-day default, a replay of older articles would be
        // deleted on arrival. The local stack keeps everything; deployments size retention by bytes.
        Map<String, String> configs = new HashMap<>();
        configs.put(TopicConfig.RETENTION_MS_CONFIG, "-1");
        if (topic.compacted()) {
            configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        }
        t.configs(configs);
        return t;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public ArticleStore store() {
        return store;
    }

    public SinkService sink() {
        return sink;
    }

    public EnrichService enrich() {
        return enrich;
    }

    /** The settings the services run with (user settings plus the local locations). */
    public Map<String, String> settings() {
        return settings;
    }

    @Override
    public void close() {
        // stop in flow order so that nothing in flight is cut off mid-transaction
        try {
            enrich.close();
        } finally {
            try {
                sink.close();
            } finally {
                try {
                    store.close();
                } finally {
                    kafka.close();
                }
            }
        }
    }
}
