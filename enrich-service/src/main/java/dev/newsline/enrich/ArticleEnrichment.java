package dev.newsline.enrich;

import dev.newsline.model.EnrichedArticle;
import dev.newsline.model.RawArticle;

/** The enrichment step as the topology sees it; {@link Enricher} is the implementation. */
@FunctionalInterface
public interface ArticleEnrichment {

    EnrichedArticle enrich(RawArticle raw);
}
