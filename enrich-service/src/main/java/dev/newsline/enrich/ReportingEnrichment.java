package dev.newsline.enrich;

import dev.newsline.model.EnrichedArticle;
import dev.newsline.model.RawArticle;
import java.time.Duration;

/**
 * The enrichment step, reporting each enriched article to {@link EnrichMetrics}. An article that
 * fails is not reported here: it reaches the dead-letter handler, which reports it.
 */
final class ReportingEnrichment implements ArticleEnrichment {

    private final ArticleEnrichment enrichment;
    private final EnrichMetrics metrics;

    ReportingEnrichment(ArticleEnrichment enrichment, EnrichMetrics metrics) {
        this.enrichment = enrichment;
        this.metrics = metrics;
    }

    @Override
    public EnrichedArticle enrich(RawArticle raw) {
        long start = System.nanoTime();
        EnrichedArticle article = enrichment.enrich(raw);
        metrics.enriched(article.getEntities().size(), article.getStances().size(),
                Duration.ofNanos(System.nanoTime() - start));
        if (article.getFetchedAt() != null && article.getEnrichedAt() != null) {
            Duration latency = Duration.between(article.getFetchedAt(), article.getEnrichedAt());
            if (!latency.isNegative()) {
                metrics.endToEndLatency(latency);
            }
        }
        return article;
    }
}
