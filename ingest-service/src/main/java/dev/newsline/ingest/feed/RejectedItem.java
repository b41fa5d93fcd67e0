package dev.newsline.ingest.feed;

/**
 * A feed item that cannot become an article.
 *
 * @param index   1-based position of the item in its document
 * @param reason  dead-letter reason code ({@code missing-link}, {@code invalid-date}, {@code invalid-utf8},
 *                {@code invalid-url}, {@code too-large})
 * @param detail  human-readable explanation
 * @param payload the item as found (XML or JSON text), for the dead letter
 */
public record RejectedItem(int index, String reason, String detail, byte[] payload) {
}
