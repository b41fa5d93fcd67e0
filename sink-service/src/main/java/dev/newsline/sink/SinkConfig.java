package dev.newsline.sink;

import dev.newsline.model.config.LayeredConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Configuration of the sink service: the {@code sink.*} keys declared in {@link #configDef()}
 * plus Kafka client settings under {@code kafka.} (passed through to the consumer and the
 * dead-letter producer). Build it with {@link #from(Map)} from values merged by
 * {@link LayeredConfig#merge}; keys of other services in a shared file are ignored.
 */
public final class SinkConfig {

    public static final String JDBC_URL = "sink.jdbc.url";
    public static final String JDBC_USER = "sink.jdbc.user";
    public static final String JDBC_PASSWORD = "sink.jdbc.password";
    public static final String GROUP_ID = "sink.group.id";
    public static final String MAX_POLL_RECORDS = "sink.max.poll.records";
    public static final String POLL_TIMEOUT_MS = "sink.poll.timeout.ms";
    public static final String RETRY_BACKOFF_MS = "sink.retry.backoff.ms";
    public static final String RETRY_BACKOFF_MAX_MS = "sink.retry.backoff.max.ms";
    public static final String POOL_SIZE = "sink.pool.size";
    public static final String JDBC_CONNECTION_TIMEOUT_MS = "sink.jdbc.connection.timeout.ms";
    public static final String HTTP_PORT = "sink.http.port";
    public static final String HTTP_BIND = "sink.http.bind";

    /** Port of the HTTP API unless configured: next to Kafka Connect's 8083, clear of the usual 8080/8081. */
    public static final int DEFAULT_HTTP_PORT = 8085;

    public static final String KAFKA_BOOTSTRAP_SERVERS = LayeredConfig.KAFKA_PREFIX + "bootstrap.servers";
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";

    /**
     * Options every embedded H2 store is opened with: PostgreSQL compatibility so one set of
     * migrations serves both databases, lower-case names and PostgreSQL null ordering so that
     * ad-hoc SQL reads the same on both. AUTO_SERVER is deliberately absent: it opens a TCP
     * listener on every interface; append it to the URL to let a second process read the file.
     */
    public static final String H2_OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    public static final String DEFAULT_JDBC_URL = h2Url(Path.of(".newsline", "store", "newsline"));

    /** Kafka settings the sink decides itself; setting them under {@code kafka.} is an error. */
    private static final Map<String, String> OWNED_KAFKA_KEYS = Map.of(
            ConsumerConfig.GROUP_ID_CONFIG, GROUP_ID,
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "nothing: offsets are stored with the rows",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "nothing: the sink reads committed records only",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, "nothing: the sink decodes bytes itself",
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, "nothing: the sink decodes bytes itself",
            ProducerConfig.ACKS_CONFIG, "nothing: dead letters are written with acks=all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "nothing: the dead-letter producer is idempotent");

    private final String jdbcUrl;
    private final String jdbcUser;
    private final Password jdbcPassword;
    private final String groupId;
    private final int maxPollRecords;
    private final Duration pollTimeout;
    private final Duration retryBackoff;
    private final Duration retryBackoffMax;
    private final int poolSize;
    private final Duration connectionTimeout;
    private final int httpPort;
    private final String httpBind;
    private final Map<String, Object> kafkaSettings;

    private SinkConfig(Map<String, Object> parsed, Map<String, Object> kafkaSettings) {
        this.jdbcUrl = ((String) parsed.get(JDBC_URL)).strip();
        this.jdbcUser = (String) parsed.get(JDBC_USER);
        this.jdbcPassword = (Password) parsed.get(JDBC_PASSWORD);
        this.groupId = ((String) parsed.get(GROUP_ID)).strip();
        this.maxPollRecords = (Integer) parsed.get(MAX_POLL_RECORDS);
        this.pollTimeout = Duration.ofMillis((Long) parsed.get(POLL_TIMEOUT_MS));
        this.retryBackoff = Duration.ofMillis((Long) parsed.get(RETRY_BACKOFF_MS));
        this.retryBackoffMax = Duration.ofMillis((Long) parsed.get(RETRY_BACKOFF_MAX_MS));
        this.poolSize = (Integer) parsed.get(POOL_SIZE);
        this.connectionTimeout = Duration.ofMillis((Long) parsed.get(JDBC_CONNECTION_TIMEOUT_MS));
        this.httpPort = (Integer) parsed.get(HTTP_PORT);
        this.httpBind = ((String) parsed.get(HTTP_BIND)).strip();
        this.kafkaSettings = Map.copyOf(kafkaSettings);
    }

    /** Every {@code sink.*} key with its type, default and documentation. */
    public static ConfigDef configDef() {
        return new ConfigDef()
                .define(JDBC_URL, Type.STRING, DEFAULT_JDBC_URL, new ConfigDef.NonEmptyString(), Importance.HIGH,
                        "JDBC URL of the store: jdbc:postgresql://... or jdbc:h2:... (H2 needs MODE=PostgreSQL).")
                .define(JDBC_USER, Type.STRING, "", Importance.HIGH,
                        "Database user; empty means the driver's default.")
                .define(JDBC_PASSWORD, Type.PASSWORD, "", Importance.HIGH,
                        "Database password; empty means none.")
                .define(GROUP_ID, Type.STRING, "newsline-sink", new ConfigDef.NonEmptyString(), Importance.HIGH,
                        "Consumer group, also the key under which applied offsets are stored in the database.")
                .define(MAX_POLL_RECORDS, Type.INT, 500, Range.between(1, 10_000), Importance.MEDIUM,
                        "Most records per poll, and so per database transaction.")
                .define(POLL_TIMEOUT_MS, Type.LONG, 500L, Range.between(10L, 60_000L), Importance.LOW,
                        "How long one poll waits for records; also bounds how fast close() returns.")
                .define(RETRY_BACKOFF_MS, Type.LONG, 500L, Range.atLeast(1L), Importance.LOW,
                        "First wait before retrying after the database became unreachable.")
                .define(RETRY_BACKOFF_MAX_MS, Type.LONG, 30_000L, Range.atLeast(1L), Importance.LOW,
                        "Longest wait between retries; the wait doubles from sink.retry.backoff.ms up to this.")
                .define(POOL_SIZE, Type.INT, 4, Range.between(1, 64), Importance.LOW,
                        "Database connections in the pool (one writes, the rest serve queries).")
                .define(JDBC_CONNECTION_TIMEOUT_MS, Type.LONG, 3_000L, Range.between(250L, 60_000L), Importance.LOW,
                        "Longest wait for a database connection; must stay below kafka.max.poll.interval.ms.")
                .define(HTTP_PORT, Type.INT, DEFAULT_HTTP_PORT, Range.between(0, 65_535), Importance.MEDIUM,
                        "Port of the HTTP JSON API (queries, /health/live, /health/ready); 0 turns the API off.")
                .define(HTTP_BIND, Type.STRING, "127.0.0.1", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Address the HTTP API listens on: 127.0.0.1 keeps it on this machine; 0.0.0.0 serves"
                                + " every interface (in a container).");
    }

    /** The embedded H2 store in {@code file} (without the {@code .mv.db} suffix), with {@link #H2_OPTIONS}. */
    public static String h2Url(Path file) {
        return "jdbc:h2:file:" + file.toString().replace('\\', '/') + H2_OPTIONS;
    }

    /**
     * Parses merged configuration values. Keys outside {@code sink.} and {@code kafka.} belong
     * to other services sharing the file and are ignored; an unknown {@code sink.} key, a bad
     * value or an inconsistent combination fails with a {@link ConfigException} naming the key.
     */
    public static SinkConfig from(Map<String, String> mergedValues) {
        Objects.requireNonNull(mergedValues, "mergedValues");
        Map<String, String> own = new HashMap<>();
        mergedValues.forEach((k, v) -> {
            if (k.startsWith("sink.") || k.startsWith(LayeredConfig.KAFKA_PREFIX)) {
                own.put(k, v);
            }
        });
        Map<String, Object> parsed = LayeredConfig.parse(configDef(), own);
        Map<String, Object> kafka = new HashMap<>(LayeredConfig.kafkaSettings(own));
        kafka.putIfAbsent(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, DEFAULT_BOOTSTRAP_SERVERS);
        validate(parsed, kafka);
        return new SinkConfig(parsed, kafka);
    }

    private static void validate(Map<String, Object> parsed, Map<String, Object> kafka) {
        long backoff = (Long) parsed.get(RETRY_BACKOFF_MS);
        long backoffMax = (Long) parsed.get(RETRY_BACKOFF_MAX_MS);
        if (backoffMax < backoff) {
            throw new ConfigException(RETRY_BACKOFF_MAX_MS, backoffMax,
                    "must not be less than " + RETRY_BACKOFF_MS + " (" + backoff + ")");
        }
        String url = ((String) parsed.get(JDBC_URL)).strip();
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("jdbc:postgresql:") && !lower.startsWith("jdbc:h2:")) {
            throw new ConfigException(JDBC_URL, url,
                    "unsupported database; use jdbc:postgresql://host:port/db or jdbc:h2:...");
        }
        if (lower.startsWith("jdbc:h2:") && !lower.replace(" ", "").contains(";mode=postgresql")) {
            throw new ConfigException(JDBC_URL, url,
                    "an H2 store must run in PostgreSQL mode; append " + H2_OPTIONS);
        }
        for (String key : List.copyOf(kafka.keySet())) {
            String instead = OWNED_KAFKA_KEYS.get(key);
            if (instead != null) {
                throw new ConfigException(LayeredConfig.KAFKA_PREFIX + key, kafka.get(key),
                        "the sink sets this itself; configure " + instead);
            }
        }
        // the poll thread blocks this long on a poll or a connection; longer and the group evicts it
        long maxPollInterval = maxPollIntervalMs(kafka);
        for (String key : List.of(POLL_TIMEOUT_MS, JDBC_CONNECTION_TIMEOUT_MS)) {
            long value = (Long) parsed.get(key);
            if (value >= maxPollInterval) {
                throw new ConfigException(key, value, "must be less than kafka."
                        + ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG + " (" + maxPollInterval + ")");
            }
        }
        Object servers = kafka.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
        if (servers.toString().isBlank()) {
            throw new ConfigException(KAFKA_BOOTSTRAP_SERVERS, servers, "must not be empty");
        }
    }

    private static long maxPollIntervalMs(Map<String, Object> kafka) {
        Object value = kafka.get(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG);
        if (value == null) {
            return 300_000L;
        }
        try {
            return Long.parseLong(value.toString().strip());
        } catch (NumberFormatException e) {
            throw new ConfigException(LayeredConfig.KAFKA_PREFIX + ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, value,
                    "not a number of milliseconds");
        }
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The database user, or null for the driver's default. */
    public String jdbcUser() {
        return jdbcUser.isBlank() ? null : jdbcUser;
    }

    /** The database password, or null when none is set. */
    public String jdbcPassword() {
        String value = jdbcPassword == null ? "" : jdbcPassword.value();
        return value.isEmpty() ? null : value;
    }

    public String groupId() {
        return groupId;
    }

    public int maxPollRecords() {
        return maxPollRecords;
    }

    public Duration pollTimeout() {
        return pollTimeout;
    }

    public Duration retryBackoff() {
        return retryBackoff;
    }

    public Duration retryBackoffMax() {
        return retryBackoffMax;
    }

    public int poolSize() {
        return poolSize;
    }

    public Duration connectionTimeout() {
        return connectionTimeout;
    }

    /** Port of the HTTP API, 0 when it is off. */
    public int httpPort() {
        return httpPort;
    }

    /** Host or address the HTTP API listens on. */
    public String httpBind() {
        return httpBind;
    }

    public String bootstrapServers() {
        return kafkaSettings.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG).toString();
    }

    /** Kafka client settings given under {@code kafka.}, prefix removed, with the default bootstrap servers. */
    public Map<String, Object> kafkaSettings() {
        return kafkaSettings;
    }

    /**
     * Consumer settings: the pass-through Kafka settings plus what the sink's offset rule needs.
     * Offsets are never auto-committed (the database holds the truth) and only committed
     * transactional records are read.
     */
    public Map<String, Object> consumerConfig() {
        Map<String, Object> config = clientSettings(ConsumerConfig.configNames());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        return config;
    }

    /** Dead-letter producer settings: the pass-through Kafka settings, idempotent, acks=all. */
    public Map<String, Object> producerConfig() {
        Map<String, Object> config = clientSettings(ProducerConfig.configNames());
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return config;
    }

    /**
     * The pass-through settings one client type knows, so that a consumer-only key does not
     * make the producer log it as unused (and the reverse). Security settings always pass.
     */
    private Map<String, Object> clientSettings(Set<String> known) {
        Map<String, Object> config = new HashMap<>();
        kafkaSettings.forEach((k, v) -> {
            if (known.contains(k) || k.startsWith("sasl.") || k.startsWith("ssl.") || k.startsWith("security.")) {
                config.put(k, v);
            }
        });
        return config;
    }

    @Override
    public String toString() {
        return "SinkConfig{jdbcUrl=" + jdbcUrl + ", groupId=" + groupId + ", bootstrapServers="
                + bootstrapServers() + ", maxPollRecords=" + maxPollRecords
                + ", http=" + (httpPort == 0 ? "off" : httpBind + ":" + httpPort) + "}";
    }
}
