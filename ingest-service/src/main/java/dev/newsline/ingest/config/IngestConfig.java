package dev.newsline.ingest.config;

import dev.newsline.ingest.dedup.SeenTopic;
import dev.newsline.ingest.feed.FeedParser;
import dev.newsline.ingest.http.AddressGuard;
import dev.newsline.ingest.http.FetchSettings;
import dev.newsline.model.config.LayeredConfig;
import dev.newsline.model.topic.Topic;
import dev.newsline.ops.OpsConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Configuration of the ingest service, layered by {@link LayeredConfig} (defaults, properties file,
 * {@code NEWS_*} environment, overrides). Every key is declared once in {@link #configDef()};
 * {@code kafka.*} keys pass through to the Kafka clients. Construction validates everything,
 * reads the feed list file, and fails with a {@link ConfigException} naming the key.
 */
public final class IngestConfig {

    public static final String FEEDS = "ingest.feeds";
    public static final String FEEDS_FILE = "ingest.feeds.file";
    public static final String POLL_INTERVAL_MS = "ingest.poll.interval.ms";
    public static final String WORKER_THREADS = "ingest.worker.threads";
    public static final String HTTP_CONNECT_TIMEOUT_MS = "ingest.http.connect.timeout.ms";
    public static final String HTTP_READ_TIMEOUT_MS = "ingest.http.read.timeout.ms";
    public static final String HTTP_MAX_BYTES = "ingest.http.max.bytes";
    public static final String HTTP_MAX_REDIRECTS = "ingest.http.max.redirects";
    public static final String HTTP_ALLOW_PRIVATE = "ingest.http.allow.private";
    public static final String HTTP_ALLOWED_HOSTS = "ingest.http.allowed.hosts";
    public static final String HTTP_USER_AGENT = "ingest.http.user.agent";
    public static final String BACKOFF_BASE_MS = "ingest.backoff.base.ms";
    public static final String BACKOFF_MAX_MS = "ingest.backoff.max.ms";
    public static final String ITEM_MAX_CHARS = "ingest.item.max.chars";
    public static final String SEEN_TOPIC = "ingest.seen.topic";
    public static final String SEEN_PARTITIONS = "ingest.seen.partitions";
    public static final String SEEN_LOAD_TIMEOUT_MS = "ingest.seen.load.timeout.ms";
    public static final String SHUTDOWN_TIMEOUT_MS = "ingest.shutdown.timeout.ms";
    public static final String HTTP_PORT = "ingest.http.port";
    public static final String HTTP_BIND = "ingest.http.bind";

    /**
     * Port of the health and metrics endpoints unless configured: beside the sink's 8085, clear of
     * 8081-8083 (Schema Registry, REST Proxy, Connect) that Kafka machines often run.
     */
    public static final int DEFAULT_HTTP_PORT = 8086;

    /** Prefix of this service's keys; other prefixes in a shared file belong to other services. */
    public static final String PREFIX = "ingest.";

    private final Map<String, Object> values;
    private final Map<String, Object> kafkaSettings;
    private final List<FeedSpec> feeds;
    private final AddressGuard guard;

    private IngestConfig(IngestConfig base, Map<String, Object> kafkaSettings) {
        this.values = base.values;
        this.kafkaSettings = Collections.unmodifiableMap(new HashMap<>(kafkaSettings));
        this.feeds = base.feeds;
        this.guard = base.guard;
    }

    private IngestConfig(Map<String, Object> values, Map<String, Object> kafkaSettings) {
        // Map.copyOf refuses the null default of optional keys
        this.values = Collections.unmodifiableMap(new HashMap<>(values));
        this.kafkaSettings = Map.copyOf(kafkaSettings);
        long base = (Long) values.get(BACKOFF_BASE_MS);
        long max = (Long) values.get(BACKOFF_MAX_MS);
        if (max < base) {
            throw new ConfigException(BACKOFF_MAX_MS, max, "must be at least " + BACKOFF_BASE_MS + " (" + base + ")");
        }
        try {
            this.guard = AddressGuard.of((Boolean) values.get(HTTP_ALLOW_PRIVATE), list(HTTP_ALLOWED_HOSTS));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(HTTP_ALLOWED_HOSTS, values.get(HTTP_ALLOWED_HOSTS), e.getMessage());
        }
        this.feeds = loadFeeds();
    }

    /** The definition of every ingest key: type, default, validator, one-line doc. */
    public static ConfigDef configDef() {
        ConfigDef def = new ConfigDef()
                .define(FEEDS, Type.LIST, "", Importance.HIGH,
                        "Feeds to poll, comma-separated; each 'url', or 'url|name|interval' (interval like 90s, 5m, PT5M).")
                .define(FEEDS_FILE, Type.STRING, null, Importance.HIGH,
                        "File listing feeds, one 'url | name | interval' per line; # starts a comment. Added to ingest.feeds.")
                .define(POLL_INTERVAL_MS, Type.LONG, 300_000L, Range.atLeast(FeedList.MIN_INTERVAL.toMillis()), Importance.MEDIUM,
                        "Poll interval of feeds that do not set their own, in ms.")
                .define(WORKER_THREADS, Type.INT, 2, Range.between(1, 64), Importance.LOW,
                        "Threads that parse fetched documents and produce their articles; fetching itself holds no thread.")
                .define(HTTP_CONNECT_TIMEOUT_MS, Type.LONG, 10_000L, Range.between(1, 600_000), Importance.MEDIUM,
                        "Time allowed to connect to a feed server, in ms.")
                .define(HTTP_READ_TIMEOUT_MS, Type.LONG, 30_000L, Range.between(1, 3_600_000), Importance.MEDIUM,
                        "Time allowed for a whole response, headers and body, in ms.")
                .define(HTTP_MAX_BYTES, Type.INT, 10 * 1024 * 1024, Range.between(1024, 512 * 1024 * 1024), Importance.MEDIUM,
                        "Largest feed document accepted, counted after decompression, in bytes.")
                .define(HTTP_MAX_REDIRECTS, Type.INT, 5, Range.between(0, 20), Importance.LOW,
                        "Redirects followed per fetch; each target is checked against the address guard again.")
                .define(HTTP_ALLOW_PRIVATE, Type.BOOLEAN, false, Importance.MEDIUM,
                        "Allow feeds on loopback, private, link-local and CGNAT addresses (never cloud metadata).")
                .define(HTTP_ALLOWED_HOSTS, Type.LIST, "", Importance.MEDIUM,
                        "IPs, CIDRs or host names allowed although not public, e.g. 127.0.0.1,10.20.0.0/16,feeds.internal.")
                .define(HTTP_USER_AGENT, Type.STRING, "Newsline-Ingest/0.1 (feed reader)", new ConfigDef.NonEmptyString(),
                        Importance.LOW, "User-Agent header sent to feed servers.")
                .define(BACKOFF_BASE_MS, Type.LONG, 30_000L, Range.atLeast(1), Importance.LOW,
                        "First retry delay after a failed poll, doubled per further failure, with jitter, in ms.")
                .define(BACKOFF_MAX_MS, Type.LONG, 3_600_000L, Range.atLeast(1), Importance.LOW,
                        "Longest retry delay after failed polls, in ms.")
                .define(ITEM_MAX_CHARS, Type.INT, FeedParser.DEFAULT_MAX_ITEM_CHARS, Range.between(1024, 64 * 1024 * 1024),
                        Importance.LOW, "Largest feed item accepted (title, summary, body ...), in characters.")
                .define(SEEN_TOPIC, Type.STRING, SeenTopic.DEFAULT_NAME, new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Compacted topic remembering produced articles (id -> content hash) across restarts.")
                .define(SEEN_PARTITIONS, Type.INT, SeenTopic.DEFAULT_PARTITIONS, Range.between(1, 1000), Importance.LOW,
                        "Partitions of the seen topic when the service creates it.")
                .define(SEEN_LOAD_TIMEOUT_MS, Type.LONG, 120_000L, Range.atLeast(1), Importance.LOW,
                        "Time allowed to create and read the seen topic at start-up, in ms.")
                .define(SHUTDOWN_TIMEOUT_MS, Type.LONG, 30_000L, Range.atLeast(0), Importance.LOW,
                        "Time close() waits for polls in progress to finish, in ms.");
        return OpsConfig.define(def, HTTP_PORT, DEFAULT_HTTP_PORT, HTTP_BIND);
    }

    /**
     * Builds the configuration from merged values (see {@link LayeredConfig#merge}). Keys of other
     * services in a shared file are ignored; unknown {@code ingest.*} keys are errors.
     */
    public static IngestConfig fromValues(Map<String, String> merged) {
        return of(merged, LayeredConfig.kafkaSettings(merged));
    }

    /**
     * Builds the configuration from ingest values and separately supplied Kafka client settings
     * (which win over {@code kafka.*} keys among the values).
     */
    public static IngestConfig of(Map<String, String> merged, Map<String, Object> kafkaSettings) {
        Set<String> otherPrefixes = new LinkedHashSet<>();
        for (String key : merged.keySet()) {
            int dot = key.indexOf('.');
            if (!key.startsWith(PREFIX) && !key.startsWith(LayeredConfig.KAFKA_PREFIX)) {
                otherPrefixes.add(dot < 0 ? key : key.substring(0, dot + 1));
            }
        }
        Map<String, Object> parsed = LayeredConfig.parse(configDef(), merged, otherPrefixes.toArray(String[]::new));
        Map<String, Object> kafka = new HashMap<>(LayeredConfig.kafkaSettings(merged));
        kafka.putAll(kafkaSettings);
        return new IngestConfig(parsed, kafka);
    }

    /** Layers defaults, an optional properties file, {@code NEWS_*} environment and overrides. */
    public static IngestConfig load(Path propertiesFile, Map<String, String> env, Map<String, String> overrides) {
        return fromValues(LayeredConfig.merge(propertiesFile, env, overrides));
    }

    public List<FeedSpec> feeds() {
        return feeds;
    }

    public Duration defaultPollInterval() {
        return Duration.ofMillis((Long) values.get(POLL_INTERVAL_MS));
    }

    public int workerThreads() {
        return (Integer) values.get(WORKER_THREADS);
    }

    public FetchSettings fetchSettings() {
        return new FetchSettings(
                Duration.ofMillis((Long) values.get(HTTP_CONNECT_TIMEOUT_MS)),
                Duration.ofMillis((Long) values.get(HTTP_READ_TIMEOUT_MS)),
                (Integer) values.get(HTTP_MAX_BYTES),
                (Integer) values.get(HTTP_MAX_REDIRECTS),
                (String) values.get(HTTP_USER_AGENT),
                guard);
    }

    public AddressGuard addressGuard() {
        return guard;
    }

    public Duration backoffBase() {
        return Duration.ofMillis((Long) values.get(BACKOFF_BASE_MS));
    }

    public Duration backoffMax() {
        return Duration.ofMillis((Long) values.get(BACKOFF_MAX_MS));
    }

    public int itemMaxChars() {
        return (Integer) values.get(ITEM_MAX_CHARS);
    }

    /** The dedup memory topic, shared by the poller and archive replays. */
    public Topic<String, String> seenTopic() {
        return SeenTopic.named((String) values.get(SEEN_TOPIC), (Integer) values.get(SEEN_PARTITIONS));
    }

    public Duration seenLoadTimeout() {
        return Duration.ofMillis((Long) values.get(SEEN_LOAD_TIMEOUT_MS));
    }

    public Duration shutdownTimeout() {
        return Duration.ofMillis((Long) values.get(SHUTDOWN_TIMEOUT_MS));
    }

    /** Port of the health and metrics endpoints; 0 means they are off. */
    public int httpPort() {
        return (Integer) values.get(HTTP_PORT);
    }

    /** Address the health and metrics endpoints listen on. */
    public String httpBind() {
        return ((String) values.get(HTTP_BIND)).strip();
    }

    /**
     * This configuration with {@code extra} Kafka client settings added (they win), e.g. a metrics
     * reporter; everything else, the feed list included, is shared, not read again.
     */
    public IngestConfig withKafkaSettings(Map<String, ?> extra) {
        Map<String, Object> kafka = new HashMap<>(kafkaSettings);
        kafka.putAll(extra);
        return new IngestConfig(this, kafka);
    }

    /** Kafka client settings ({@code kafka.*} keys without the prefix). */
    public Map<String, Object> kafkaSettings() {
        return kafkaSettings;
    }

    /** The parsed value of a key, for diagnostics ({@code newsctl config}). */
    public Object value(String key) {
        if (!values.containsKey(key)) {
            throw new ConfigException(key, null, "not an ingest configuration key");
        }
        return values.get(key);
    }

    @SuppressWarnings("unchecked")
    private List<String> list(String key) {
        return (List<String>) values.get(key);
    }

    private List<FeedSpec> loadFeeds() {
        Duration interval = defaultPollInterval();
        List<FeedSpec> out = new ArrayList<>();
        try {
            out.addAll(FeedList.parse(list(FEEDS), interval, "entry"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(FEEDS, values.get(FEEDS), e.getMessage());
        }
        String file = (String) values.get(FEEDS_FILE);
        if (file != null && !file.isBlank()) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ConfigException(FEEDS_FILE, file, "cannot read the feed list: " + e);
            }
            try {
                out.addAll(FeedList.parse(lines, interval, "line"));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(FEEDS_FILE, file, e.getMessage());
            }
        }
        Set<String> urls = new LinkedHashSet<>();
        for (FeedSpec f : out) {
            if (!urls.add(f.url().toString())) {
                throw new ConfigException(FEEDS_FILE, file, "feed " + f.url() + " is listed in both " + FEEDS + " and the file");
            }
        }
        return List.copyOf(out);
    }
}
