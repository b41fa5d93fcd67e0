package dev.newsline.model.topic;

import dev.newsline.model.DeadLetter;
import dev.newsline.model.EnrichedArticle;
import dev.newsline.model.EntityMention;
import dev.newsline.model.EntityTrend;
import dev.newsline.model.RawArticle;
import dev.newsline.model.serde.AvroSerde;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topic catalogue: every topic Newsline reads or writes, with its serdes. Topology and
 * client code refer to these constants and never repeat a topic name or build a serde inline.
 */
public final class Topics {

    private static final Serde<String> KEY = Serdes.String();

    public static final AvroSerde<RawArticle> RAW_ARTICLE_SERDE = new AvroSerde<>(RawArticle.class);
    public static final AvroSerde<EnrichedArticle> ENRICHED_ARTICLE_SERDE = new AvroSerde<>(EnrichedArticle.class);
    public static final AvroSerde<EntityMention> ENTITY_MENTION_SERDE = new AvroSerde<>(EntityMention.class);
    public static final AvroSerde<EntityTrend> ENTITY_TREND_SERDE = new AvroSerde<>(EntityTrend.class);
    public static final AvroSerde<DeadLetter> DEAD_LETTER_SERDE = new AvroSerde<>(DeadLetter.class);

    public static final Topic<String, RawArticle> ARTICLES_RAW = new Topic<>(
            "news.articles.raw", KEY, RAW_ARTICLE_SERDE, 6, false,
            "Raw articles from feeds and archives; key = article id; timestamp = published time");
    public static final Topic<String, EnrichedArticle> ARTICLES_ENRICHED = new Topic<>(
            "news.articles.enriched", KEY, ENRICHED_ARTICLE_SERDE, 6, false,
            "Enriched articles; key = article id; timestamp = published time");
    public static final Topic<String, EntityMention> ENTITY_MENTIONS = new Topic<>(
            "news.entity.mentions", KEY, ENTITY_MENTION_SERDE, 6, false,
            "One record per entity per article; key = entity id");
    public static final Topic<String, EntityTrend> ENTITY_TRENDS = new Topic<>(
            "news.entity.trends", KEY, ENTITY_TREND_SERDE, 6, true,
            "Hourly per-entity counts and mean sentiment; key = entity id@window start; compacted");
    public static final Topic<String, String> INGEST_SEEN = new Topic<>(
            "news.ingest.seen", KEY, Serdes.String(), 3, true,
            "Ingest dedup memory: key = article id, value = content hash of the last version produced; compacted");
    public static final Topic<String, DeadLetter> INGEST_DLQ = new Topic<>(
            "news.ingest.dlq", KEY, DEAD_LETTER_SERDE, 1, false,
            "Feed items and archive lines the ingest service rejected; reason in headers");
    public static final Topic<String, DeadLetter> ENRICH_DLQ = new Topic<>(
            "news.enrich.dlq", KEY, DEAD_LETTER_SERDE, 1, false,
            "Raw records the enrich service could not read or enrich; reason in headers");
    public static final Topic<String, DeadLetter> SINK_DLQ = new Topic<>(
            "news.sink.dlq", KEY, DEAD_LETTER_SERDE, 1, false,
            "Enriched records the sink could not write; reason in headers");

    /** Every topic, in pipeline order. */
    public static final List<Topic<?, ?>> ALL = List.of(
            ARTICLES_RAW, ARTICLES_ENRICHED, ENTITY_MENTIONS, ENTITY_TRENDS,
            INGEST_SEEN, INGEST_DLQ, ENRICH_DLQ, SINK_DLQ);

    private Topics() {
    }

    public static Optional<Topic<?, ?>> byName(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
