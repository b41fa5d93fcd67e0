package dev.newsline.ingest;

import dev.newsline.ingest.config.FeedSpec;

/**
 * What the ingest service reports, for an exporter (Micrometer, Prometheus) wired at the edge.
 * Called from service threads: implementations must be thread-safe and must not block.
 */
public interface IngestMetrics {

    /** Reports nothing. */
    IngestMetrics NONE = new IngestMetrics() {
    };

    /** A poll finished, whatever its outcome. */
    default void polled(FeedSpec feed) {
    }

    /** The feed answered 304 Not Modified. */
    default void notModified(FeedSpec feed) {
    }

    /** A poll failed: fetch error or unreadable document. */
    default void pollFailed(FeedSpec feed, String reason) {
    }

    /** Kafka acknowledged an article; {@code update} if an earlier version had been produced. */
    default void produced(FeedSpec feed, boolean update) {
    }

    /** An item was skipped: produced before with the same content. */
    default void duplicate(FeedSpec feed) {
    }

    /** An item or a whole document went to the dead-letter topic. */
    default void deadLettered(FeedSpec feed, String reason) {
    }

    /** Reports to both. */
    static IngestMetrics both(IngestMetrics a, IngestMetrics b) {
        return new IngestMetrics() {
            @Override
            public void polled(FeedSpec feed) {
                a.polled(feed);
                b.polled(feed);
            }

            @Override
            public void notModified(FeedSpec feed) {
                a.notModified(feed);
                b.notModified(feed);
            }

            @Override
            public void pollFailed(FeedSpec feed, String reason) {
                a.pollFailed(feed, reason);
                b.pollFailed(feed, reason);
            }

            @Override
            public void produced(FeedSpec feed, boolean update) {
                a.produced(feed, update);
                b.produced(feed, update);
            }

            @Override
            public void duplicate(FeedSpec feed) {
                a.duplicate(feed);
                b.duplicate(feed);
            }

            @Override
            public void deadLettered(FeedSpec feed, String reason) {
                a.deadLettered(feed, reason);
                b.deadLettered(feed, reason);
            }
        };
    }
}
