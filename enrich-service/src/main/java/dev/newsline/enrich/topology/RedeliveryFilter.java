package dev.newsline.enrich.topology;

import dev.newsline.model.RawArticle;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
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
 */
final class RedeliveryFilter implements FixedKeyProcessor<String, RawArticle, RawArticle> {

    private static final Logger LOG = LoggerFactory.getLogger(RedeliveryFilter.class);

    private FixedKeyProcessorContext<String, RawArticle> context;
    private KeyValueStore<String, String> versions;

    @Override
    public void init(FixedKeyProcessorContext<String, RawArticle> context) {
        this.context = context;
        this.versions = context.getStateStore(EnrichTopology.ARTICLE_VERSIONS_STORE);
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
