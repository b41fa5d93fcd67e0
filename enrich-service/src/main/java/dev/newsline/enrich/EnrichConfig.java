package dev.newsline.enrich;

import dev.newsline.model.config.LayeredConfig;
import dev.newsline.ops.OpsConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.streams.StreamsConfig;

/** Every setting of the enrich service, declared once; Kafka settings pass through as {@code kafka.*}. */
public final class EnrichConfig extends AbstractConfig {

    public static final int DEFAULT_MAX_CHARS = 100_000;

    public static final String APPLICATION_ID = "enrich.application.id";
    public static final String PROCESSING_GUARANTEE = "enrich.processing.guarantee";
    public static final String STREAM_THREADS = "enrich.stream.threads";
    public static final String STATE_DIR = "enrich.state.dir";
    public static final String ALIAS_FILES = "enrich.aliases.files";
    public static final String MAX_CHARS = "enrich.max.chars";
    public static final String TRENDS_GRACE_MS = "enrich.trends.grace.ms";
    public static final String COMMIT_INTERVAL_MS = "enrich.commit.interval.ms";
    public static final String REDELIVERY_RETENTION_MS = "enrich.redelivery.retention.ms";
    public static final String THREAD_REPLACEMENTS_MAX = "enrich.thread.replacements.max";
    public static final String HTTP_PORT = "enrich.http.port";
    public static final String HTTP_BIND = "enrich.http.bind";

    /** Port of the health and metrics endpoints unless configured: next to ingest's 8086 and the sink's 8085. */
    public static final int DEFAULT_HTTP_PORT = 8087;

    public static final ConfigDef DEFINITION = OpsConfig.define(new ConfigDef()
            .define(APPLICATION_ID, Type.STRING, "newsline-enrich", Importance.HIGH,
                    "Kafka Streams application id: consumer group, prefix of internal topics and state.")
            .define(PROCESSING_GUARANTEE, Type.STRING, StreamsConfig.EXACTLY_ONCE_V2,
                    ConfigDef.ValidString.in(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE),
                    Importance.MEDIUM, "exactly_once_v2 (default) or at_least_once.")
            .define(STREAM_THREADS, Type.INT, 1, ConfigDef.Range.between(1, 64), Importance.MEDIUM,
                    "Stream threads in this instance; they share one copy of the models.")
            .define(STATE_DIR, Type.STRING, "./.newsline/streams", Importance.MEDIUM,
                    "Directory for the trend window store.")
            .define(ALIAS_FILES, Type.LIST, "", Importance.LOW,
                    "Extra alias files (alias<TAB>canonical name<TAB>type), read after the bundled table; later wins.")
            .define(MAX_CHARS, Type.INT, DEFAULT_MAX_CHARS, ConfigDef.Range.atLeast(1000), Importance.LOW,
                    "Characters of a field analysed; the rest is kept but not analysed.")
            .define(TRENDS_GRACE_MS, Type.LONG, Duration.ofDays(30).toMillis(), ConfigDef.Range.atLeast(0),
                    Importance.LOW, "How late (event time) an article may arrive and still count in its hourly trend window.")
            .define(COMMIT_INTERVAL_MS, Type.LONG, 200L, ConfigDef.Range.atLeast(10), Importance.LOW,
                    "Streams commit interval; with exactly-once it bounds end-to-end latency, and each commit costs the "
                    + "stream thread a few broker round trips (README, Benchmarks: 200 ms measured against 100 and 250).")
            .define(REDELIVERY_RETENTION_MS, Type.LONG, Duration.ofDays(7).toMillis(), ConfigDef.Range.atLeast(0),
                    Importance.LOW, "How long after its fetch time a raw record's fingerprint is kept to recognise a "
                    + "redelivery of it (a producer retry across a broker restart comes within minutes); 0 keeps them for ever.")
            .define(THREAD_REPLACEMENTS_MAX, Type.INT, 5, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "Stream threads replaced after dying within 10 minutes; at the next death the instance stops "
                    + "(Kafka Streams ERROR) and the process exits with status 1 for its supervisor to restart it."),
            HTTP_PORT, DEFAULT_HTTP_PORT, HTTP_BIND);

    private final Map<String, Object> kafka;

    public EnrichConfig(Map<String, String> merged) {
        super(DEFINITION, LayeredConfig.parse(DEFINITION, merged, "sink.", "ingest.", "newsctl."), false);
        this.kafka = LayeredConfig.kafkaSettings(merged);
    }

    public Map<String, Object> kafkaSettings() {
        return kafka;
    }

    /** Port of the health and metrics endpoints; 0 means they are off. */
    public int httpPort() {
        return getInt(HTTP_PORT);
    }

    /** Address the health and metrics endpoints listen on. */
    public String httpBind() {
        return getString(HTTP_BIND).strip();
    }

    public List<Path> aliasFiles() {
        return getList(ALIAS_FILES).stream().filter(s -> !s.isBlank()).map(Path::of).toList();
    }
}
