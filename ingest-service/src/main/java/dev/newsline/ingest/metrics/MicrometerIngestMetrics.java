package dev.newsline.ingest.metrics;

import dev.newsline.ingest.IngestMetrics;
import dev.newsline.ingest.config.FeedSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link IngestMetrics} as Micrometer counters, each tagged with the feed's configured name
 * ({@code feed}; the name and not the URL, which may carry access tokens):
 * <pre>
 *   newsline.ingest.articles{feed, outcome=new|updated|duplicate}   items acknowledged by Kafka, or skipped as seen
 *   newsline.ingest.dead.letters{feed, reason}                      items and documents sent to news.ingest.dlq
 *   newsline.ingest.polls{feed}                                     polls finished, whatever the outcome
 *   newsline.ingest.polls.not.modified{feed}                        polls answered 304
 *   newsline.ingest.feed.errors{feed, reason}                       failed polls (fetch errors, unreadable documents)
 * </pre>
 * Prometheus shows them with {@code _total}, e.g. {@code newsline_ingest_articles_total}.
 * Reasons are the service's short codes, so the number of series stays bounded.
 */
public final class MicrometerIngestMetrics implements IngestMetrics {

    public static final String ARTICLES = "newsline.ingest.articles";
    public static final String DEAD_LETTERS = "newsline.ingest.dead.letters";
    public static final String POLLS = "newsline.ingest.polls";
    public static final String NOT_MODIFIED = "newsline.ingest.polls.not.modified";
    public static final String FEED_ERRORS = "newsline.ingest.feed.errors";

    private final MeterRegistry registry;
    private final Map<FeedSpec, FeedMeters> feeds = new ConcurrentHashMap<>();

    public MicrometerIngestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void polled(FeedSpec feed) {
        meters(feed).polls.increment();
    }

    @Override
    public void notModified(FeedSpec feed) {
        meters(feed).notModified.increment();
    }

    @Override
    public void pollFailed(FeedSpec feed, String reason) {
        Counter.builder(FEED_ERRORS).description("Failed polls: fetch errors and unreadable documents")
                .tag("feed", feed.name()).tag("reason", reason).register(registry).increment();
    }

    @Override
    public void produced(FeedSpec feed, boolean update) {
        FeedMeters m = meters(feed);
        (update ? m.updated : m.created).increment();
    }

    @Override
    public void duplicate(FeedSpec feed) {
        meters(feed).duplicates.increment();
    }

    @Override
    public void deadLettered(FeedSpec feed, String reason) {
        Counter.builder(DEAD_LETTERS).description("Feed items and documents sent to news.ingest.dlq")
                .tag("feed", feed.name()).tag("reason", reason).register(registry).increment();
    }

    private FeedMeters meters(FeedSpec feed) {
        return feeds.computeIfAbsent(feed, f -> new FeedMeters(registry, f.name()));
    }

    /** The meters every poll touches, looked up once per feed. */
    private static final class FeedMeters {
        final Counter created;
        final Counter updated;
        final Counter duplicates;
        final Counter polls;
        final Counter notModified;

        FeedMeters(MeterRegistry registry, String feed) {
            created = article(registry, feed, "new");
            updated = article(registry, feed, "updated");
            duplicates = article(registry, feed, "duplicate");
            polls = Counter.builder(POLLS).description("Feed polls finished, whatever the outcome")
                    .tag("feed", feed).register(registry);
            notModified = Counter.builder(NOT_MODIFIED).description("Feed polls answered 304 Not Modified")
                    .tag("feed", feed).register(registry);
        }

        private static Counter article(MeterRegistry registry, String feed, String outcome) {
            return Counter.builder(ARTICLES)
                    .description("Feed items produced to news.articles.raw (new, updated) or skipped as already produced (duplicate)")
                    .tag("feed", feed).tag("outcome", outcome).register(registry);
        }
    }
}
