package dev.newsline.enrich.metrics;

import dev.newsline.enrich.EnrichMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * {@link EnrichMetrics} as Micrometer meters; histograms have fixed buckets, so each is a bounded
 * number of series:
 * <pre>
 *   newsline.enrich.articles                  counter    articles enriched
 *   newsline.enrich.dead.letters{reason}      counter    records sent to news.enrich.dlq
 *   newsline.enrich.article.entities          histogram  distinct entities per article
 *   newsline.enrich.article.stances           histogram  stances per article
 *   newsline.enrich.duration                  histogram  time the enrichment of one article took
 *   newsline.enrich.end.to.end.latency        histogram  ingestion (fetchedAt) to enrichment (enrichedAt)
 * </pre>
 * In Prometheus: {@code newsline_enrich_articles_total}, {@code newsline_enrich_dead_letters_total},
 * {@code newsline_enrich_article_entities_bucket}, ..., {@code newsline_enrich_duration_seconds_bucket},
 * {@code newsline_enrich_end_to_end_latency_seconds_bucket}, each histogram with {@code _count},
 * {@code _sum} and {@code _max}.
 */
public final class MicrometerEnrichMetrics implements EnrichMetrics {

    public static final String ARTICLES = "newsline.enrich.articles";
    public static final String DEAD_LETTERS = "newsline.enrich.dead.letters";
    public static final String ENTITIES = "newsline.enrich.article.entities";
    public static final String STANCES = "newsline.enrich.article.stances";
    public static final String DURATION = "newsline.enrich.duration";
    public static final String END_TO_END = "newsline.enrich.end.to.end.latency";

    private final MeterRegistry registry;
    private final Counter articles;
    private final DistributionSummary entities;
    private final DistributionSummary stances;
    private final Timer duration;
    private final Timer endToEnd;

    public MicrometerEnrichMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.articles = Counter.builder(ARTICLES).description("Articles enriched").register(registry);
        this.entities = DistributionSummary.builder(ENTITIES).description("Distinct entities per enriched article")
                .serviceLevelObjectives(1, 2, 5, 10, 20, 50, 100).register(registry);
        this.stances = DistributionSummary.builder(STANCES).description("Stances per enriched article")
                .serviceLevelObjectives(1, 2, 5, 10, 20, 50).register(registry);
        this.duration = Timer.builder(DURATION).description("Time the enrichment of one article took")
                .serviceLevelObjectives(millis(10), millis(25), millis(50), millis(100), millis(250), millis(500),
                        seconds(1), millis(2500), seconds(5), seconds(10), seconds(30))
                .register(registry);
        this.endToEnd = Timer.builder(END_TO_END)
                .description("Time from ingestion (fetchedAt) to enrichment (enrichedAt) of an article")
                .serviceLevelObjectives(millis(100), millis(250), millis(500), seconds(1), millis(2500), seconds(5),
                        seconds(10), seconds(30), seconds(60), seconds(300), seconds(900), seconds(3600), seconds(6 * 3600))
                .register(registry);
    }

    @Override
    public void enriched(int entityCount, int stanceCount, Duration took) {
        articles.increment();
        entities.record(entityCount);
        stances.record(stanceCount);
        duration.record(took);
    }

    @Override
    public void endToEndLatency(Duration fetchedToEnriched) {
        endToEnd.record(fetchedToEnriched);
    }

    @Override
    public void deadLettered(String reason) {
        Counter.builder(DEAD_LETTERS).description("Records sent to news.enrich.dlq")
                .tag("reason", reason).register(registry).increment();
    }

    private static Duration millis(long ms) {
        return Duration.ofMillis(ms);
    }

    private static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }
}
