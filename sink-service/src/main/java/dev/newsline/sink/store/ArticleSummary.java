package dev.newsline.sink.store;

import java.time.Instant;

/**
 * An article without its body, as listed by {@link ArticleStore#latestArticles}.
 *
 * @param id           article id
 * @param url          canonical URL
 * @param title        normalised title
 * @param source       source name, or null
 * @param language     language, or null
 * @param published    publication time, or null when unknown
 * @param tonePolarity document tone balance in -1..1
 */
public record ArticleSummary(String id, String url, String title, String source, String language,
                             Instant published, double tonePolarity) {
}
