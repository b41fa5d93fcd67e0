package dev.newsline.enrich;

import java.time.Duration;

/**
 * What the enrich service reports, for an exporter (Micrometer, Prometheus) wired at the edge.
 * Called from stream threads: implementations must be thread-safe and must not block.
 *
 * <p>Reports count processing, not commits: under exactly-once a transaction that aborts is
 * processed again, and its records are reported again.
 */
public interface EnrichMetrics {

    /** Reports nothing. */
    EnrichMetrics NONE = new EnrichMetrics() {
    };

    /** An article was enriched: its distinct entities and its stances, and how long enrichment took. */
    default void enriched(int entities, int stances, Duration took) {
    }

    /**
     * Time from ingestion to enrichment of an article ({@code enrichedAt - fetchedAt}); reported
     * only for articles that carry their fetch time, and not when clocks disagree (negative).
     */
    default void endToEndLatency(Duration fetchedToEnriched) {
    }

    /** A record went to {@code news.enrich.dlq}; {@code reason} as in its headers. */
    default void deadLettered(String reason) {
    }
}
