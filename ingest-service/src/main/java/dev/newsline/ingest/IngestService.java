package dev.newsline.ingest;

import dev.newsline.ingest.config.FeedSpec;
import dev.newsline.ingest.config.IngestConfig;
import dev.newsline.ingest.dedup.DedupingPublisher;
import dev.newsline.ingest.dedup.KafkaSeenStore;
import dev.newsline.ingest.feed.Backoff;
import dev.newsline.ingest.feed.FeedParser;
import dev.newsline.ingest.feed.FeedPoller;
import dev.newsline.ingest.feed.FeedStatus;
import dev.newsline.ingest.http.FeedFetcher;
import dev.newsline.ingest.produce.ArticleProducer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live half of ingest: polls every configured feed on its own schedule and produces new and
 * changed items to {@code news.articles.raw}, bad items and documents to {@code news.ingest.dlq},
 * and remembers what it produced in the seen topic ({@code ingest.seen.topic}) so that neither a
 * later poll nor a restart produces an unchanged item again.
 *
 * <p>Fetches are asynchronous and each feed is rescheduled only when its own poll ends, so a slow,
 * hanging or failing feed never delays another. A Kafka failure is fatal: polling stops,
 * {@link #failure()} tells why, and the owner should {@link #close()}.
 */
public final class IngestService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);

    private final IngestConfig config;
    private final IngestCounters counters = new IngestCounters();
    private final IngestMetrics metrics;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CompletableFuture<Throwable> failed = new CompletableFuture<>();
    private volatile List<FeedPoller> pollers = List.of();

    private ScheduledThreadPoolExecutor scheduler;
    private ExecutorService workers;
    private ExecutorService lookups;
    private KafkaSeenStore seen;
    private ArticleProducer producer;
    private volatile boolean started;
    private volatile boolean stopping;
    private boolean closed;

    public IngestService(IngestConfig config) {
        this(config, IngestMetrics.NONE);
    }

    /**
     * @param listener also receives every metric event (an exporter); the service keeps its own
     *                 totals in {@link #counters()} regardless
     */
    public IngestService(IngestConfig config, IngestMetrics listener) {
        this.config = config;
        this.metrics = IngestMetrics.both(counters, listener);
    }

    /**
     * Loads configuration (optional properties file as the only argument, then NEWS_* variables)
     * and runs the service with its health and metrics endpoints ({@link IngestProcess}). On
     * SIGTERM the hook closes the service first, then the endpoints (see {@link IngestProcess}).
     */
    public static void main(String[] args) {
        java.nio.file.Path file = args.length > 0 ? java.nio.file.Path.of(args[0]) : null;
        IngestConfig config = IngestConfig.fromValues(
                dev.newsline.model.config.LayeredConfig.merge(file, System.getenv(), java.util.Map.of()));
        IngestProcess process = IngestProcess.of(config);
        Runtime.getRuntime().addShutdownHook(new Thread(process::close, "newsline-ingest-shutdown"));
        process.start();
        // a Kafka failure stops polling for good: exit non-zero (the shutdown hook closes the process)
        // so that an orchestrator restarts the service instead of leaving it alive and never ready
        Throwable fatal = process.service().orElseThrow().failed().toCompletableFuture().join();
        LOG.error("exiting with status 1 after a fatal Kafka failure: {}", fatal.toString());
        System.exit(1);
    }

    /**
     * Loads the dedup memory from the seen topic (creating it if needed), then starts polling.
     *
     * @throws ConfigException if no feed is configured or Kafka is not
     * @throws org.apache.kafka.common.KafkaException if the seen topic cannot be prepared or read
     */
    public synchronized void start() {
        if (started || closed) {
            throw new IllegalStateException("an ingest service starts once");
        }
        if (config.feeds().isEmpty()) {
            throw new ConfigException(IngestConfig.FEEDS, "", "no feeds to poll: set " + IngestConfig.FEEDS
                    + " or " + IngestConfig.FEEDS_FILE);
        }
        if (!config.kafkaSettings().containsKey(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new ConfigException("kafka.bootstrap.servers", null, "required to run the ingest service");
        }
        started = true;
        try {
            seen = KafkaSeenStore.open(config.kafkaSettings(), config.seenTopic(), config.seenLoadTimeout());
            producer = new ArticleProducer(config.kafkaSettings());
            scheduler = new ScheduledThreadPoolExecutor(1, threads("ingest-scheduler", false));
            scheduler.setRemoveOnCancelPolicy(true);
            workers = Executors.newFixedThreadPool(config.workerThreads(), threads("ingest-worker", false));
            lookups = Executors.newCachedThreadPool(threads("ingest-lookup", true));
            FeedFetcher fetcher = new FeedFetcher(config.fetchSettings(), lookups, scheduler);
            FeedParser parser = new FeedParser(config.itemMaxChars());
            DedupingPublisher publisher = new DedupingPublisher(producer, seen);
            List<FeedPoller> created = new ArrayList<>();
            for (FeedSpec feed : config.feeds()) {
                created.add(new FeedPoller(feed, fetcher, parser, publisher, producer,
                        new Backoff(config.backoffBase(), config.backoffMax()), metrics));
            }
            pollers = List.copyOf(created);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        pollers.forEach(p -> schedule(p, Duration.ZERO));
        LOG.info("ingest service polling {} feeds into news.articles.raw; dedup memory {} ({} articles)",
                pollers.size(), seen.topicName(), seen.size());
    }

    /** Totals since start. */
    public IngestCounters.Snapshot counters() {
        return counters.snapshot();
    }

    /** Each feed's state and totals, in configuration order. */
    public List<FeedStatus> feeds() {
        return pollers.stream().map(FeedPoller::status).toList();
    }

    /** Whether feeds are being polled: started, not closed, and no fatal error. */
    public boolean isRunning() {
        return started && !stopping;
    }

    /** The fatal error that stopped polling, if any. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** Completes with the fatal error once one has stopped polling; never on a normal close. */
    public CompletionStage<Throwable> failed() {
        return failed;
    }

    /**
     * Stops polling, lets polls in progress finish (up to {@code ingest.shutdown.timeout.ms}),
     * flushes what they produced, then closes the clients. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopping = true;
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        pollers.forEach(FeedPoller::cancel);
        if (workers != null) {
            workers.shutdown();
            try {
                if (!workers.awaitTermination(config.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("polls still running after {} ms; interrupting them", config.shutdownTimeout().toMillis());
                    workers.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                workers.shutdownNow();
            }
        }
        if (lookups != null) {
            lookups.shutdownNow();
        }
        try {
            if (producer != null) {
                // acknowledgements confirm entries of the seen store, so the producer closes first
                producer.close();
            }
        } catch (org.apache.kafka.common.KafkaException e) {
            if (failure.get() == null) {
                throw e;
            }
            // the failure that stopped the service, found again by the closing flush: reported once
            LOG.debug("producer closed after the failure that stopped ingest: {}", e.toString());
        } finally {
            if (seen != null) {
                seen.close();
            }
        }
        Optional<Throwable> error = failure();
        if (started) {
            LOG.info("ingest service stopped{}: {}", error.map(e -> " after a failure").orElse(""), counters());
        }
    }

    private void schedule(FeedPoller poller, Duration delay) {
        if (stopping) {
            return;
        }
        try {
            scheduler.schedule(() -> runPoll(poller), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    private void runPoll(FeedPoller poller) {
        if (stopping) {
            return;
        }
        poller.poll(workers).whenComplete((next, error) -> {
            if (error == null) {
                schedule(poller, next);
            } else if (!stopping && !isCancellation(error)) {
                fail(poller, error);
            }
        });
    }

    private void fail(FeedPoller poller, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (failure.compareAndSet(null, cause)) {
            stopping = true;
            LOG.error("ingest stopped: polling {} failed: {}", poller.feed(), cause.toString(), cause);
            failed.complete(cause);
        }
    }

    private static boolean isCancellation(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof CancellationException || t instanceof RejectedExecutionException;
    }

    private static ThreadFactory threads(String prefix, boolean daemon) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(daemon);
            return t;
        };
    }
}
