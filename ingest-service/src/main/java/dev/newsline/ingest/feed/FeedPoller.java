package dev.newsline.ingest.feed;

import dev.newsline.ingest.IngestMetrics;
import dev.newsline.ingest.article.ArticleIds;
import dev.newsline.ingest.article.RejectedInputException;
import dev.newsline.ingest.config.FeedSpec;
import dev.newsline.ingest.dedup.DedupingPublisher;
import dev.newsline.ingest.http.FeedFetcher;
import dev.newsline.ingest.http.FetchException;
import dev.newsline.ingest.http.FetchResult;
import dev.newsline.ingest.http.Validators;
import dev.newsline.ingest.produce.ArticleProducer;
import dev.newsline.model.RawArticle;
import dev.newsline.model.topic.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls one feed: fetch (conditional GET), parse, produce the new and changed items, dead-letter
 * the bad ones, and say when to poll next: the feed's interval after a success, a jittered
 * exponential backoff (never shorter than the interval, never shorter than the server's
 * Retry-After) after a failure.
 *
 * <p>A document or item that is dead-lettered once is not dead-lettered again on later polls of
 * the same content, so a broken feed does not flood {@code news.ingest.dlq}. One poll of a feed
 * runs at a time; {@link #status()} may be read from any thread.
 */
public final class FeedPoller {

    private static final Logger LOG = LoggerFactory.getLogger(FeedPoller.class);
    private static final int REMEMBERED_REJECTIONS = 10_000;

    private final FeedSpec feed;
    private final FeedSource source;
    private final FeedFetcher fetcher;
    private final FeedParser parser;
    private final DedupingPublisher publisher;
    private final ArticleProducer producer;
    private final Backoff backoff;
    private final IngestMetrics metrics;

    private final Set<String> rejectedItems = Collections.newSetFromMap(new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_REJECTIONS;
        }
    });
    private Validators validators = Validators.NONE;
    private String rejectedDocument;
    private volatile int consecutiveFailures;
    private volatile String lastError;
    private volatile Instant lastSuccess;
    private volatile CompletableFuture<?> inFlight;

    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong fetched = new AtomicLong();
    private final AtomicLong notModified = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong produced = new AtomicLong();
    private final AtomicLong updates = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();

    public FeedPoller(FeedSpec feed, FeedFetcher fetcher, FeedParser parser, DedupingPublisher publisher,
                      ArticleProducer producer, Backoff backoff, IngestMetrics metrics) {
        this.feed = feed;
        this.source = FeedSource.of(feed);
        this.fetcher = fetcher;
        this.parser = parser;
        this.publisher = publisher;
        this.producer = producer;
        this.backoff = backoff;
        this.metrics = metrics;
    }

    public FeedSpec feed() {
        return feed;
    }

    /**
     * Starts one poll. Fetching holds no thread; the document is handled on {@code workers}.
     *
     * @return the delay until the next poll; fails only on a fatal error (Kafka), never on a
     *         feed's own failure
     */
    public CompletableFuture<Duration> poll(Executor workers) {
        try {
            // an earlier send that Kafka finally refused fails this poll, even when every item is
            // now a duplicate in memory and nothing would be sent (which would have hidden it)
            producer.ensureHealthy();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        Validators sent;
        synchronized (this) {
            sent = validators;
        }
        CompletableFuture<FetchResult> fetch = fetcher.fetch(feed.url(), sent);
        inFlight = fetch;
        return fetch.handleAsync(this::handle, workers);
    }

    /** Abandons the fetch in progress, if any (shutdown). */
    public void cancel() {
        CompletableFuture<?> f = inFlight;
        if (f != null) {
            f.cancel(true);
        }
    }

    public FeedStatus status() {
        return new FeedStatus(feed.name(), feed.url().toString(), polls.get(), fetched.get(), notModified.get(),
                errors.get(), consecutiveFailures, lastError, lastSuccess, produced.get(), updates.get(),
                duplicates.get(), deadLettered.get());
    }

    private synchronized Duration handle(FetchResult result, Throwable error) {
        inFlight = null;
        try {
            if (error != null) {
                FetchException failure = FetchException.find(error);
                if (failure == null) {
                    throw error instanceof CompletionException ce ? ce : new CompletionException(error);
                }
                return failed(failure.reason(), failure.getMessage(), failure.retryAfter());
            }
            if (result instanceof FetchResult.NotModified nm) {
                validators = nm.validators();
                notModified.incrementAndGet();
                metrics.notModified(feed);
                LOG.debug("feed {}: not modified", feed);
                return succeeded();
            }
            FetchResult.Fetched document = (FetchResult.Fetched) result;
            fetched.incrementAndGet();
            validators = document.validators();
            return handleDocument(document);
        } finally {
            polls.incrementAndGet();
            metrics.polled(feed);
        }
    }

    private Duration handleDocument(FetchResult.Fetched document) {
        ParsedFeed parsed;
        try {
            parsed = parser.parse(document.body(), document.contentType(), source, Instant.now());
        } catch (RejectedInputException e) {
            String fingerprint = e.reason() + ':' + ArticleIds.contentHash(HexFormat.of().formatHex(document.body()));
            if (!fingerprint.equals(rejectedDocument)) {
                rejectedDocument = fingerprint;
                deadLetter(e.reason(), e.getMessage(), null, document.body());
            } else {
                LOG.debug("feed {}: same rejected document as before ({}), not dead-lettered again", feed, e.reason());
            }
            return failed(e.reason(), e.getMessage(), null);
        } catch (RuntimeException e) {
            LOG.error("feed {}: parser failed on a {} byte document", feed, document.body().length, e);
            return failed("parser-error", e.toString(), null);
        }
        rejectedDocument = null;
        for (RejectedItem item : parsed.rejected()) {
            String fingerprint = item.reason() + ':' + ArticleIds.contentHash(new String(item.payload(), StandardCharsets.UTF_8));
            if (rejectedItems.add(fingerprint)) {
                deadLetter(item.reason(), item.detail(), (long) item.index(), item.payload());
            }
        }
        int fresh = 0;
        int changed = 0;
        for (RawArticle article : parsed.articles()) {
            switch (publisher.publish(article, this::acked)) {
                case DUPLICATE -> {
                    duplicates.incrementAndGet();
                    metrics.duplicate(feed);
                }
                case UPDATED -> changed++;
                case PRODUCED -> fresh++;
            }
        }
        LOG.debug("feed {}: {} items ({}), {} new, {} updated, {} rejected", feed, parsed.items(), parsed.format(),
                fresh, changed, parsed.rejected().size());
        return succeeded();
    }

    private void acked(DedupingPublisher.Outcome outcome) {
        boolean update = outcome == DedupingPublisher.Outcome.UPDATED;
        produced.incrementAndGet();
        if (update) {
            updates.incrementAndGet();
        }
        metrics.produced(feed, update);
    }

    private void deadLetter(String reason, String detail, Long index, byte[] payload) {
        producer.deadLetter(DeadLetters.of("ingest", reason, detail, null, feed.url().toString(), null, index, null, payload));
        deadLettered.incrementAndGet();
        metrics.deadLettered(feed, reason);
    }

    private Duration succeeded() {
        consecutiveFailures = 0;
        lastSuccess = Instant.now();
        return feed.pollInterval();
    }

    private Duration failed(String reason, String detail, Duration retryAfter) {
        int failures = consecutiveFailures + 1;
        consecutiveFailures = failures;
        lastError = reason + ": " + detail;
        // Counted last: status() reads the count first, so a reader that sees this failure counted
        // also sees its reason.
        errors.incrementAndGet();
        metrics.pollFailed(feed, reason);
        Duration delay = backoff.delay(failures);
        if (delay.compareTo(feed.pollInterval()) < 0) {
            delay = feed.pollInterval();
        }
        if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
            delay = retryAfter;
        }
        LOG.warn("feed {}: poll failed ({} in a row): {}: {}; next poll in {} ms", feed, failures, reason, detail,
                delay.toMillis());
        return delay;
    }
}
