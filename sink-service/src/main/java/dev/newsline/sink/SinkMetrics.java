package dev.newsline.sink;

import java.time.Duration;

/**
 * What the sink reports as it works; the exporter (Micrometer, see
 * {@link dev.newsline.sink.metrics.MicrometerSinkMetrics}) is wired at the edge. Every method is
 * called from the poll thread after the database commit it describes.
 */
public interface SinkMetrics {

    /** Reports nothing. */
    SinkMetrics NONE = new SinkMetrics() { };

    /** Records of one topic written in a committed transaction. */
    default void written(String topic, long records) {
    }

    /** A poll batch applied: its size and how long decoding, writing and committing took. */
    default void batch(int records, Duration took) {
    }

    /** A record sent to news.sink.dlq, by reason. */
    default void deadLettered(String reason) {
    }

    /** The store was unreachable and an operation is retried after a backoff. */
    default void retried() {
    }

    /** From ingestion (fetchedAt) of an article to the commit of its row: the pipeline's end-to-end latency. */
    default void endToEndLatency(Duration fetchedToStored) {
    }
}
