package dev.newsline.enrich.topology;

import dev.newsline.enrich.EnrichConfig;
import dev.newsline.enrich.ArticleEnrichment;
import dev.newsline.model.EnrichedArticle;
import dev.newsline.model.Entity;
import dev.newsline.model.EntityMention;
import dev.newsline.model.EntityTrend;
import dev.newsline.model.RawArticle;
import dev.newsline.model.topic.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The enrich topology:
 * <pre>
 * news.articles.raw --enrich--> news.articles.enriched                (key = article id)
 *                          \--> news.entity.mentions                  (key = entity id)
 *                                  --hourly event-time windows--> news.entity.trends
 *                                                                 (key = entity id@window start)
 * </pre>
 * Before enrichment, a raw record that repeats the previous record of its article (same id, content
 * hash and fetch time: a redelivery) is dropped by {@link RedeliveryFilter}. Records that cannot be
 * read or enriched go to news.enrich.dlq through {@link DeadLetterHandler}.
 */
public final class EnrichTopology {

    public static final String TRENDS_STORE = "entity-trends-hourly";
    /** Article id -> content hash and fetch time of its last raw record; drops redeliveries ({@link RedeliveryFilter}). */
    public static final String ARTICLE_VERSIONS_STORE = "raw-article-versions";
    static final Duration TREND_WINDOW = Duration.ofHours(1);

    private EnrichTopology() {
    }

    public static Topology buildTopology(EnrichConfig config, ArticleEnrichment enricher) {
        StreamsBuilder builder = new StreamsBuilder();
        // raw key (article id) -> "contentHash@fetchedAtMillis" of its last record, a string like the seen topic's values
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ARTICLE_VERSIONS_STORE),
                Topics.ARTICLES_RAW.keySerde(), Topics.INGEST_SEEN.valueSerde()));
        Duration versionRetention = Duration.ofMillis(config.getLong(EnrichConfig.REDELIVERY_RETENTION_MS));
        KStream<String, EnrichedArticle> enriched = builder
                .stream(Topics.ARTICLES_RAW.name(), Consumed.with(Topics.ARTICLES_RAW.keySerde(),
                        Topics.ARTICLES_RAW.valueSerde()).withName("raw-articles"))
                .processValues(() -> new RedeliveryFilter(versionRetention), Named.as("drop-redelivered"),
                        ARTICLE_VERSIONS_STORE)
                .mapValues(article -> enrichOne(enricher, article), Named.as("enrich"));
        enriched.to(Topics.ARTICLES_ENRICHED.name(), Produced.with(Topics.ARTICLES_ENRICHED.keySerde(),
                Topics.ARTICLES_ENRICHED.valueSerde()).withName("enriched-articles"));

        KStream<String, EntityMention> mentions = enriched.flatMap(
                (articleId, article) -> mentionsOf(article), Named.as("entity-mentions"));
        mentions.to(Topics.ENTITY_MENTIONS.name(), Produced.with(Topics.ENTITY_MENTIONS.keySerde(),
                Topics.ENTITY_MENTIONS.valueSerde()).withName("entity-mentions-out"));

        // the flatMap re-keyed by entity id, so grouping repartitions: one entity's windows live together
        mentions.groupByKey(Grouped.with("mentions-by-entity", Topics.ENTITY_MENTIONS.keySerde(),
                        Topics.ENTITY_MENTIONS.valueSerde()))
                .windowedBy(TimeWindows.ofSizeAndGrace(TREND_WINDOW,
                        Duration.ofMillis(config.getLong(EnrichConfig.TRENDS_GRACE_MS))))
                .aggregate(() -> null, (entityId, mention, trend) -> add(trend, mention),
                        Named.as("aggregate-trends"),
                        Materialized.<String, EntityTrend, WindowStore<Bytes, byte[]>>as(TRENDS_STORE)
                                .withKeySerde(Topics.ENTITY_TRENDS.keySerde())
                                .withValueSerde(Topics.ENTITY_TRENDS.valueSerde()))
                .toStream(Named.as("trend-updates"))
                .map((window, trend) -> KeyValue.pair(trendKey(window.key(), window.window().start()),
                        withWindow(trend, window.window().startTime(), window.window().endTime())), Named.as("trend-keys"))
                .to(Topics.ENTITY_TRENDS.name(), Produced.with(Topics.ENTITY_TRENDS.keySerde(),
                        Topics.ENTITY_TRENDS.valueSerde()).withName("entity-trends-out"));
        return builder.build();
    }

    /**
     * Enriches one article. A stack overflow on it (pathologically nested or repetitive input) is
     * that article's failure, dead-lettered like any other: as an Error it would kill the stream
     * thread, and the thread that replaced it would fail on the same uncommitted record for ever.
     */
    static EnrichedArticle enrichOne(ArticleEnrichment enricher, RawArticle article) {
        try {
            return enricher.enrich(article);
        } catch (StackOverflowError e) {
            throw new IllegalStateException("stack overflow while enriching article " + article.getId(), e);
        }
    }

    public static String trendKey(String entityId, long windowStartMs) {
        return entityId + "@" + windowStartMs;
    }

    static List<KeyValue<String, EntityMention>> mentionsOf(EnrichedArticle article) {
        List<KeyValue<String, EntityMention>> out = new ArrayList<>(article.getEntities().size());
        for (Entity e : article.getEntities()) {
            out.add(KeyValue.pair(e.getId(), EntityMention.newBuilder()
                    .setEntityId(e.getId())
                    .setName(e.getName())
                    .setType(e.getType())
                    .setArticleId(article.getId())
                    .setPublished(article.getPublished())
                    .setMentionCount(e.getMentions().size())
                    .setSalience(e.getSalience())
                    .setSentimentLabel(e.getSentiment().getLabel())
                    .setSentimentScore(e.getSentiment().getScore())
                    .build()));
        }
        return out;
    }

    private static EntityTrend add(EntityTrend trend, EntityMention mention) {
        long count = trend == null ? 1 : trend.getArticleCount() + 1;
        double sum = (trend == null ? 0 : trend.getSentimentSum()) + mention.getSentimentScore();
        return EntityTrend.newBuilder()
                .setEntityId(mention.getEntityId())
                .setName(mention.getName())
                .setType(mention.getType())
                .setWindowStart(trend == null ? Instant.EPOCH : trend.getWindowStart())
                .setWindowEnd(trend == null ? Instant.EPOCH : trend.getWindowEnd())
                .setArticleCount(count)
                .setSentimentSum(sum)
                .setMeanSentiment(Math.round(sum / count * 1000) / 1000.0)
                .build();
    }

    private static EntityTrend withWindow(EntityTrend trend, Instant start, Instant end) {
        return EntityTrend.newBuilder(trend).setWindowStart(start).setWindowEnd(end).build();
    }
}
