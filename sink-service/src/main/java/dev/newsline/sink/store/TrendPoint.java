package dev.newsline.sink.store;

import java.time.Instant;

/**
 * One hourly window of an entity's trend.
 *
 * @param windowStart   window start (inclusive)
 * @param windowEnd     window end (exclusive)
 * @param articleCount  articles naming the entity in the window
 * @param meanSentiment mean per-article sentiment in the window
 */
public record TrendPoint(Instant windowStart, Instant windowEnd, long articleCount, double meanSentiment) {
}
