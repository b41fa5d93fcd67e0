package dev.newsline.ingest;

import dev.newsline.ingest.config.FeedSpec;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Service-wide totals, kept by the service itself and read through {@link #snapshot()}. */
public final class IngestCounters implements IngestMetrics {

    /**
     * Totals since start.
     *
     * @param produced      articles acknowledged by Kafka, updates included
     * @param updates       of which updates of an article produced before
     * @param duplicates    items skipped as already produced with the same content
     * @param deadLettered  items and documents sent to the dead-letter topic
     * @param polls         polls finished
     * @param notModified   polls answered 304
     * @param pollFailures  polls failed (fetch errors and unreadable documents)
     * @param errorsByFeed  failed polls per feed URL
     * @param deadLettersByReason dead letters per reason code
     */
    public record Snapshot(long produced, long updates, long duplicates, long deadLettered, long polls,
                           long notModified, long pollFailures, Map<String, Long> errorsByFeed,
                           Map<String, Long> deadLettersByReason) {
    }

    private final LongAdder produced = new LongAdder();
    private final LongAdder updates = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private final LongAdder polls = new LongAdder();
    private final LongAdder notModified = new LongAdder();
    private final LongAdder pollFailures = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> errorsByFeed = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> deadLettersByReason = new ConcurrentHashMap<>();

    @Override
    public void polled(FeedSpec feed) {
        polls.increment();
    }

    @Override
    public void notModified(FeedSpec feed) {
        notModified.increment();
    }

    @Override
    public void pollFailed(FeedSpec feed, String reason) {
        pollFailures.increment();
        errorsByFeed.computeIfAbsent(feed.url().toString(), k -> new LongAdder()).increment();
    }

    @Override
    public void produced(FeedSpec feed, boolean update) {
        produced.increment();
        if (update) {
            updates.increment();
        }
    }

    @Override
    public void duplicate(FeedSpec feed) {
        duplicates.increment();
    }

    @Override
    public void deadLettered(FeedSpec feed, String reason) {
        deadLettered.increment();
        deadLettersByReason.computeIfAbsent(reason, k -> new LongAdder()).increment();
    }

    public Snapshot snapshot() {
        return new Snapshot(produced.sum(), updates.sum(), duplicates.sum(), deadLettered.sum(), polls.sum(),
                notModified.sum(), pollFailures.sum(), sums(errorsByFeed), sums(deadLettersByReason));
    }

    private static Map<String, Long> sums(Map<String, LongAdder> adders) {
        Map<String, Long> out = new TreeMap<>();
        adders.forEach((k, v) -> out.put(k, v.sum()));
        return Map.copyOf(out);
    }
}
