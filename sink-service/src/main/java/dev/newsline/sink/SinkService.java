package dev.newsline.sink;

import dev.newsline.model.EnrichedArticle;
import dev.newsline.ops.OpsServer;
import dev.newsline.ops.KafkaClientMeterReporter;
import dev.newsline.ops.ServiceMeters;
import dev.newsline.sink.metrics.MicrometerSinkMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import dev.newsline.model.config.LayeredConfig;
import dev.newsline.model.serde.InvalidRecordException;
import dev.newsline.sink.consume.Backoff;
import dev.newsline.sink.consume.DeadLetterPublisher;
import dev.newsline.sink.consume.RecordDecoder;
import dev.newsline.sink.http.ApiAddressFile;
import dev.newsline.sink.http.SinkHttpServer;
import dev.newsline.sink.query.SinkQueries;
import dev.newsline.sink.store.ArticleStore;
import dev.newsline.sink.store.StoreException;
import dev.newsline.sink.store.StoredRecord;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink: {@code news.articles.enriched} and {@code news.entity.trends} into the
 * {@link ArticleStore}; records it cannot store go to {@code news.sink.dlq}.
 *
 * <p>Offset rule: each poll batch is written in one database transaction together with the
 * next offset of every partition it covers, and only then are the same offsets committed to
 * Kafka, for lag monitoring. On assignment the consumer seeks to the offsets stored in the
 * database (to the beginning where none are stored), whatever Kafka has committed, so a crash
 * between the two commits neither loses nor repeats a record.
 *
 * <p>Failure rule: a record that cannot be decoded is dead-lettered and its offset still
 * recorded. A batch the database rejects is retried record by record and only the records it
 * rejects are dead-lettered. While the database is unreachable the batch is retried with
 * exponential backoff, partitions are paused and the consumer keeps polling so it stays in
 * its group, and {@link #healthy()} is false.
 *
 * <p>Reading: unless {@code sink.http.port} is 0, {@link #start()} also serves the
 * {@link SinkHttpServer} JSON API (queries and health) on {@code sink.http.bind}; failing to
 * bind is logged and the sink runs on without it, because writing matters more than serving
 * reads. With an embedded H2 store the API's URL is written to the store's
 * {@link ApiAddressFile}, the way {@code newsctl query} finds the API while this process holds
 * the store's file lock.
 *
 * <p>One poll thread ({@value #THREAD_NAME}) does all the work; the counters and
 * {@link #healthy()} may be read from any thread.
 */
public final class SinkService implements AutoCloseable {

    public static final String THREAD_NAME = "newsline-sink";
    public static final String REASON_STORE_REJECTED = "store-rejected";

    private static final Logger LOG = LoggerFactory.getLogger(SinkService.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final SinkConfig config;
    private final ArticleStore store;
    private final boolean ownsStore;
    private final SinkMetrics metrics;
    private final PrometheusMeterRegistry registry;
    private final Backoff backoff;

    private final AtomicLong written = new AtomicLong();
    private final AtomicLong articlesWritten = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private volatile boolean running;
    private volatile boolean degraded;
    private volatile Throwable failure;
    private Thread thread;
    private SinkHttpServer http;
    private Path apiAddressFile;

    // touched by the poll thread only
    private Consumer<byte[], byte[]> consumer;
    private DeadLetterPublisher deadLetters;
    private final Set<TopicPartition> owned = new HashSet<>();
    private final Set<TopicPartition> unpositioned = new HashSet<>();
    private final List<Pending> inFlight = new ArrayList<>();

    /** A consumed record and what to store for it. */
    private record Pending(ConsumerRecord<byte[], byte[]> source, StoredRecord record) {
        TopicPartition topicPartition() {
            return record.topicPartition();
        }
    }

    /** A service writing to {@code store}; the caller keeps ownership of the store and closes it. */
    public SinkService(SinkConfig config, ArticleStore store) {
        this(config, store, SinkMetrics.NONE, null, false);
    }

    /**
     * A service writing to {@code store} and reporting to {@code metrics}; with a registry the
     * HTTP API also serves {@code /metrics}. The caller keeps ownership of the store.
     */
    public SinkService(SinkConfig config, ArticleStore store, SinkMetrics metrics, PrometheusMeterRegistry registry) {
        this(config, store, metrics, registry, false);
    }

    private SinkService(SinkConfig config, ArticleStore store, SinkMetrics metrics, PrometheusMeterRegistry registry,
                        boolean ownsStore) {
        this.config = Objects.requireNonNull(config, "config");
        this.store = Objects.requireNonNull(store, "store");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.registry = registry;
        this.ownsStore = ownsStore;
        this.backoff = new Backoff(config.retryBackoff(), config.retryBackoffMax());
    }

    /** A service with its own store opened from the configuration; {@link #close()} closes it. */
    public static SinkService create(SinkConfig config) {
        return create(config, SinkMetrics.NONE, null);
    }

    private static SinkService create(SinkConfig config, SinkMetrics metrics, PrometheusMeterRegistry registry) {
        ArticleStore store = ArticleStore.open(config.jdbcUrl(), config.jdbcUser(), config.jdbcPassword(),
                config.poolSize(), config.connectionTimeout());
        return new SinkService(config, store, metrics, registry, true);
    }

    /** Loads configuration (optional properties file as the only argument, then NEWS_* variables) and runs. */
    public static void main(String[] args) {
        Path file = args.length > 0 ? Path.of(args[0]) : null;
        SinkConfig config = SinkConfig.from(LayeredConfig.merge(file, System.getenv(), Map.of()));
        ServiceMeters meters = ServiceMeters.create("sink");
        SinkService service = create(config, new MicrometerSinkMetrics(meters.registry()), meters.registry());
        // the service drains and commits first; the meters go last
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                service.close();
            } finally {
                meters.close();
            }
        }, "newsline-sink-shutdown"));
        service.start();
    }

    /** Starts the poll loop on its own thread. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        consumer = new KafkaConsumer<>(metered(config.consumerConfig()), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        deadLetters = new DeadLetterPublisher(metered(config.producerConfig()));
        running = true;
        thread = new Thread(this::run, THREAD_NAME);
        thread.start();
        startHttpApi();
        LOG.info("sink started: {}", config);
    }

    /** Client settings that report the client's metrics to the registry, when there is one. */
    private Map<String, Object> metered(Map<String, Object> settings) {
        return registry == null ? settings : KafkaClientMeterReporter.settings(settings, registry);
    }

    private void startHttpApi() {
        if (config.httpPort() == 0) {
            return;
        }
        InetSocketAddress address = new InetSocketAddress(config.httpBind(), config.httpPort());
        try {
            if (address.isUnresolved()) {
                throw new IOException("unknown host " + config.httpBind());
            }
            http = SinkHttpServer.start(address, new SinkQueries(store), this::healthy, this::counters);
            if (registry != null) {
                http.serve(OpsServer.METRICS, OpsServer.metricsHandler(registry));
            }
        } catch (IOException e) {
            LOG.warn("cannot serve the HTTP API on {}:{} (set {} and {}): {}; the sink runs on without it",
                    config.httpBind(), config.httpPort(), SinkConfig.HTTP_BIND, SinkConfig.HTTP_PORT, e.toString());
            return;
        }
        apiAddressFile = ApiAddressFile.forStore(config.jdbcUrl()).orElse(null);
        if (apiAddressFile != null) {
            try {
                ApiAddressFile.write(apiAddressFile, http.baseUri());
            } catch (IOException e) {
                LOG.warn("cannot write the API address file {} ('newsctl query' will not find the API): {}",
                        apiAddressFile, e.toString());
                apiAddressFile = null;
            }
        }
    }

    /** Base URL of the HTTP API on this machine, if it is being served. */
    public synchronized Optional<URI> httpApi() {
        return Optional.ofNullable(http).map(SinkHttpServer::baseUri);
    }

    /** The counters, by name, as {@code /health/ready} reports them. */
    public Map<String, Long> counters() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("written", written());
        counters.put("articlesWritten", articlesWritten());
        counters.put("deadLettered", deadLettered());
        counters.put("batches", batches());
        counters.put("retries", retries());
        return counters;
    }

    /** True while the loop runs and the store accepts writes; false during retries and after a fatal error. */
    public boolean healthy() {
        Thread t = thread;
        return running && t != null && t.isAlive() && !degraded && failure == null;
    }

    /** Articles and trends written (a record rewritten after a restart counts again). */
    public long written() {
        return written.get();
    }

    /** Articles written (an article rewritten after a restart counts again). */
    public long articlesWritten() {
        return articlesWritten.get();
    }

    /** Records sent to {@code news.sink.dlq}. */
    public long deadLettered() {
        return deadLettered.get();
    }

    /** Poll batches fully applied. */
    public long batches() {
        return batches.get();
    }

    /** Times the store was found unreachable and an operation retried after backing off. */
    public long retries() {
        return retries.get();
    }

    /** The error that stopped the loop, if one did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Stops gracefully: the batch in hand is finished (unless the store is unreachable, in
     * which case it is read again on the next start), its offsets committed, the consumer closed.
     */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
            stopHttpApi();
        }
        if (t != null && t != Thread.currentThread()) {
            join(t, CLOSE_TIMEOUT);
            if (t.isAlive()) {
                LOG.warn("sink did not stop within {} s; interrupting its poll", CLOSE_TIMEOUT.toSeconds());
                consumer.wakeup();
                join(t, Duration.ofSeconds(5));
            }
        }
        if (ownsStore) {
            store.close();
        }
    }

    private void stopHttpApi() {
        if (http == null) {
            return;
        }
        if (apiAddressFile != null) {
            ApiAddressFile.deleteIfOurs(apiAddressFile, http.baseUri());
        }
        http.close();
        http = null;
    }

    // --- poll thread ---

    private void run() {
        try {
            consumer.subscribe(RecordDecoder.TOPICS, new Rebalance());
            while (running) {
                if (positionAssigned()) {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(config.pollTimeout());
                    if (!records.isEmpty()) {
                        process(records);
                    }
                }
            }
        } catch (WakeupException e) {
            LOG.warn("sink poll interrupted while stopping");
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.error("sink stopped by an unrecoverable error: {}", e.toString(), e);
        } finally {
            running = false;
            closeClients();
            LOG.info("sink stopped: {} written, {} dead-lettered, {} batches", written, deadLettered, batches);
        }
    }

    private void process(ConsumerRecords<byte[], byte[]> records) {
        long started = System.nanoTime();
        int undecodable = 0;
        inFlight.clear();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            StoredRecord decoded;
            try {
                decoded = RecordDecoder.decode(r);
            } catch (InvalidRecordException e) {
                LOG.warn("dead-lettering undecodable record {}-{}@{} ({}): {}", r.topic(), r.partition(), r.offset(),
                        e.reason(), e.getMessage());
                deadLetters.send(r, e.reason(), e.getMessage(), e);
                metrics.deadLettered(e.reason());
                decoded = StoredRecord.positionOnly(r.topic(), r.partition(), r.offset());
                undecodable++;
            }
            inFlight.add(new Pending(r, decoded));
        }
        // dead letters are acknowledged before their offsets can be stored as applied
        deadLetters.confirm();
        deadLettered.addAndGet(undecodable);
        Map<TopicPartition, OffsetAndMetadata> positions = nextOffsets(inFlight);
        if (writeInFlight()) {
            batches.incrementAndGet();
            metrics.batch(records.count(), Duration.ofNanos(System.nanoTime() - started));
            commitToKafka(positions);
            LOG.debug("applied batch of {} records ({} undecodable) in {} ms", records.count(), undecodable,
                    (System.nanoTime() - started) / 1_000_000);
        }
        inFlight.clear();
    }

    /** Writes the batch in hand; false if it was abandoned because the service is stopping. */
    private boolean writeInFlight() {
        while (true) {
            dropUnowned();
            if (inFlight.isEmpty()) {
                return true;
            }
            List<StoredRecord> batch = inFlight.stream().map(Pending::record).toList();
            try {
                store.apply(batch, config.groupId());
                written.addAndGet(batch.stream().filter(r -> r.value() != null).count());
                reportWritten(batch);
                recovered();
                return true;
            } catch (StoreException e) {
                if (!e.isTransient()) {
                    LOG.warn("store rejected a batch of {} records ({}); retrying them one by one",
                            batch.size(), e.getMessage());
                    return writeOneByOne();
                }
                if (!awaitRetry(e, "writing a batch of " + batch.size() + " records")) {
                    return false;
                }
            }
        }
    }

    /** Reports committed records by topic, and for articles the time since their ingestion. */
    private void reportWritten(List<StoredRecord> committed) {
        Map<String, Long> byTopic = new HashMap<>();
        Instant now = Instant.now();
        for (StoredRecord r : committed) {
            if (r.value() == null) {
                continue;
            }
            byTopic.merge(r.topic(), 1L, Long::sum);
            if (r.value() instanceof EnrichedArticle article) {
                articlesWritten.incrementAndGet();
                if (article.getFetchedAt() != null) {
                    metrics.endToEndLatency(Duration.between(article.getFetchedAt(), now));
                }
            }
        }
        byTopic.forEach(metrics::written);
    }

    /** Writes each record in its own transaction, dead-lettering those the store rejects. */
    private boolean writeOneByOne() {
        for (Pending p : List.copyOf(inFlight)) {
            StoredRecord record = p.record();
            while (owned.contains(record.topicPartition())) {
                try {
                    store.apply(List.of(record), config.groupId());
                    if (record.value() != null) {
                        written.incrementAndGet();
                        reportWritten(List.of(record));
                    }
                    recovered();
                    break;
                } catch (StoreException e) {
                    if (e.isTransient()) {
                        if (!awaitRetry(e, "writing record " + record.position())) {
                            return false;
                        }
                    } else if (record.value() == null) {
                        throw new IllegalStateException("store rejects the position of " + record.position(), e);
                    } else {
                        LOG.warn("dead-lettering record {}-{}@{} the store rejects: {}", record.topic(),
                                record.partition(), record.offset(), e.getMessage());
                        deadLetters.send(p.source(), REASON_STORE_REJECTED, e.getMessage(), e);
                        deadLetters.confirm();
                        deadLettered.incrementAndGet();
                        metrics.deadLettered(REASON_STORE_REJECTED);
                        record = record.withoutValue();
                    }
                }
            }
        }
        return true;
    }

    /**
     * Seeks newly assigned partitions to the positions stored in the database. Until that
     * succeeds they stay paused; false means the store was unreachable and a backoff was waited.
     */
    private boolean positionAssigned() {
        if (unpositioned.isEmpty()) {
            return true;
        }
        Map<TopicPartition, Long> applied;
        try {
            applied = store.appliedOffsets(config.groupId());
        } catch (StoreException e) {
            awaitRetry(e, "reading the applied offsets");
            return false;
        }
        List<TopicPartition> fresh = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> stored = new HashMap<>();
        for (TopicPartition tp : unpositioned) {
            Long next = applied.get(tp);
            if (next == null) {
                fresh.add(tp);
            } else {
                consumer.seek(tp, next);
                stored.put(tp, new OffsetAndMetadata(next));
            }
        }
        // nothing applied yet: start from the beginning even if Kafka has a committed offset
        consumer.seekToBeginning(fresh);
        LOG.info("positioned {} partitions from the store ({} from the beginning)", unpositioned.size(), fresh.size());
        consumer.resume(List.copyOf(unpositioned));
        unpositioned.clear();
        recovered();
        // after a crash between the two commits Kafka lags the store; align it so lag reads true
        commitToKafka(stored);
        return true;
    }

    /**
     * Marks the service degraded and waits out the next backoff with every partition paused,
     * polling meanwhile so the consumer keeps its place in the group. False if stopping.
     */
    private boolean awaitRetry(StoreException e, String action) {
        if (!running) {
            LOG.warn("stopping while the store is unreachable; unapplied records will be read again on restart");
            return false;
        }
        degraded = true;
        retries.incrementAndGet();
        metrics.retried();
        Duration wait = backoff.next();
        LOG.warn("store unreachable while {}; retrying in {} ms: {}", action, wait.toMillis(), e.getMessage());
        consumer.pause(consumer.assignment());
        long deadline = System.nanoTime() + wait.toNanos();
        long left;
        while (running && (left = deadline - System.nanoTime()) > 0) {
            ConsumerRecords<byte[], byte[]> stray = consumer.poll(Duration.ofNanos(Math.min(left,
                    config.pollTimeout().toNanos())));
            // everything is paused; should a record still arrive, rewind so it is read again later
            for (TopicPartition tp : stray.partitions()) {
                consumer.seek(tp, stray.records(tp).get(0).offset());
            }
        }
        return running;
    }

    private void recovered() {
        if (degraded) {
            LOG.info("store reachable again after {} retries", retries);
            degraded = false;
            Set<TopicPartition> resume = new HashSet<>(consumer.paused());
            resume.removeAll(unpositioned);
            consumer.resume(resume);
        }
        backoff.reset();
    }

    private void dropUnowned() {
        inFlight.removeIf(p -> !owned.contains(p.topicPartition()));
    }

    private Map<TopicPartition, OffsetAndMetadata> nextOffsets(List<Pending> batch) {
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (Pending p : batch) {
            next.merge(p.topicPartition(), new OffsetAndMetadata(p.record().offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        return next;
    }

    private void commitToKafka(Map<TopicPartition, OffsetAndMetadata> positions) {
        positions.keySet().retainAll(owned);
        if (positions.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(positions);
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            // the store already holds these offsets; Kafka's copy only feeds lag monitoring
            LOG.warn("cannot commit offsets to Kafka (the store has them, nothing is lost): {}", e.toString());
        }
    }

    private void closeClients() {
        try {
            consumer.close();
        } catch (RuntimeException e) {
            LOG.warn("error closing the consumer: {}", e.toString());
        }
        try {
            deadLetters.close();
        } catch (RuntimeException e) {
            LOG.warn("error closing the dead-letter producer: {}", e.toString());
        }
    }

    private static void join(Thread t, Duration timeout) {
        try {
            t.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Keeps the owned-partition bookkeeping; positions are set by the poll loop, not here. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            owned.addAll(partitions);
            unpositioned.addAll(partitions);
            // held until positioned from the store, which may be unreachable right now
            consumer.pause(partitions);
            LOG.info("assigned {}", partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            release(partitions, "revoked");
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            release(partitions, "lost");
        }

        private void release(Collection<TopicPartition> partitions, String how) {
            if (partitions.isEmpty()) {
                return;
            }
            owned.removeAll(partitions);
            unpositioned.removeAll(partitions);
            // their new owner starts from the stored offsets; writing them here too could go backwards
            dropUnowned();
            LOG.info("{} {}", how, partitions);
        }
    }
}
