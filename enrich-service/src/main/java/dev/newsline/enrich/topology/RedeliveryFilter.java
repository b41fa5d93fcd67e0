package dev.newsline.enrich.topology;

import dev.newsline.model.RawArticle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops a raw record that is the previous record of its article delivered again: same article id,
 * same content hash and same fetch time. Anything else passes (a new version, or the same content
 * fetched or replayed again, which is enriched again as before), and its fingerprint (content hash
 * and fetch time) is kept in {@value EnrichTopology#ARTICLE_VERSIONS_STORE}, by article id.
 *
 * <p>Why: {@code news.articles.raw} is at least once. Its idempotent producer cannot always prevent
 * a repeat: a restarting broker forgets every producer whose last record timestamp is older than
 * {@code producer.id.expiration.ms} (one day by default), and raw records carry the article's
 * published time, usually older, so a send retried across a broker restart is appended a second
 * time, byte for byte. Under exactly-once the store and the outputs commit together, so such a
 * redelivery is enriched once. Records without a content hash (other producers) always pass.
 *
 * <p>A redelivery comes within minutes of the first delivery (a producer gives up on a send after
 * its {@code delivery.timeout.ms}, two minutes by default), so a fingerprint is kept for the
 * configured retention after its fetch time (seven days by default) and then deleted, so that the
 * store does not grow with every article ever read. Once a minute of wall-clock time the store is
 * swept from where the last sweep stopped, {@value #SWEEP_BATCH} entries at a time, so one sweep
 * holds the stream thread for milliseconds however large the store is.
 */
final class RedeliveryFilter implements FixedKeyProcessor<String, RawArticle, RawArticle> {

    private static final Logger LOG = LoggerFactory.getLogger(RedeliveryFilter.class);

    static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);
    static final int SWEEP_BATCH = 10_000;

    private final long retentionMs;
    private FixedKeyProcessorContext<String, RawArticle> context;
    private KeyValueStore<String, String> versions;
    /** Where the next sweep starts; null for the beginning of the store. */
    private String sweepFrom;

    /** @param retention how long after its fetch time a fingerprint is kept; zero keeps them for ever */
    RedeliveryFilter(Duration retention) {
        this.retentionMs = retention.toMillis();
    }

    @Override
    public void init(FixedKeyProcessorContext<String, RawArticle> context) {
        this.context = context;
        this.versions = context.getStateStore(EnrichTopology.ARTICLE_VERSIONS_STORE);
        if (retentionMs > 0) {
            context.schedule(SWEEP_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::sweep);
        }
    }

    /** Deletes the expired fingerprints among the next {@value #SWEEP_BATCH} entries. */
    private void sweep(long now) {
        long oldest = now - retentionMs;
        List<String> expired = new ArrayList<>();
        String next = null;
        int examined = 0;
        try (KeyValueIterator<String, String> entries = versions.range(sweepFrom, null)) {
            while (entries.hasNext()) {
                KeyValue<String, String> entry = entries.next();
                if (examined++ == SWEEP_BATCH) {
                    next = entry.key;
                    break;
                }
                if (fetchedAtMillis(entry.value) < oldest) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(versions::delete);
        sweepFrom = next;
        if (!expired.isEmpty()) {
            LOG.debug("forgot {} record fingerprints fetched before {}", expired.size(), Instant.ofEpochMilli(oldest));
        }
    }

    /** The fetch time of a fingerprint "contentHash@fetchedAtMillis"; one that cannot be read counts as expired. */
    private static long fetchedAtMillis(String fingerprint) {
        int at = fingerprint == null ? -1 : fingerprint.lastIndexOf('@');
        try {
            return at < 0 ? Long.MIN_VALUE : Long.parseLong(fingerprint.substring(at + 1));
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    @Override
    public void process(FixedKeyRecord<String, RawArticle> record) {
        RawArticle article = record.value();
        if (record.key() == null || article == null || article.getContentHash().isEmpty()) {
            context.forward(record);
            return;
        }
        String fingerprint = article.getContentHash() + "@" + article.getFetchedAt().toEpochMilli();
        if (fingerprint.equals(versions.get(record.key()))) {
            context.recordMetadata().ifPresentOrElse(
                    m -> LOG.info("skipping article {} at {}-{}@{}: the same record as the one before it (a redelivery)",
                            record.key(), m.topic(), m.partition(), m.offset()),
                    () -> LOG.info("skipping article {}: the same record as the one before it (a redelivery)", record.key()));
            return;
        }
        versions.put(record.key(), fingerprint);
        context.forward(record);
    }
}
