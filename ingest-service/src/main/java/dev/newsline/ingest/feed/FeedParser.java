package dev.newsline.ingest.feed;

import dev.newsline.ingest.article.RejectedInputException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;

/**
 * Turns one feed document (RSS 0.9x/1.0/2.0, Atom, JSON Feed; format detected from the content)
 * into articles and rejected items. A document that cannot be read as a whole (not well-formed,
 * a DOCTYPE, an unknown format) throws {@link RejectedInputException}; a bad item only rejects
 * that item. Stateless and thread-safe.
 */
public final class FeedParser {

    /** Default limit on an item's text (title, summary, body, link, authors, categories) in characters. */
    public static final int DEFAULT_MAX_ITEM_CHARS = 1 << 20;

    private final int maxItemChars;

    public FeedParser() {
        this(DEFAULT_MAX_ITEM_CHARS);
    }

    public FeedParser(int maxItemChars) {
        if (maxItemChars < 1) {
            throw new IllegalArgumentException("maxItemChars must be >= 1");
        }
        this.maxItemChars = maxItemChars;
    }

    /**
     * @param document    the document bytes, already decompressed
     * @param contentType the HTTP Content-Type, for its charset; may be null
     * @param source      where the document came from
     * @param fetchedAt   ingestion time put on every article
     * @throws RejectedInputException with reason {@code empty-document}, {@code unknown-format},
     *         {@code malformed-feed}, {@code doctype-forbidden} or {@code unsupported-charset}
     */
    public ParsedFeed parse(byte[] document, String contentType, FeedSource source, Instant fetchedAt) {
        FeedText.Decoded text = FeedText.decode(document, contentType);
        int first = firstSignificant(text.text());
        if (first < 0) {
            throw new RejectedInputException("empty-document", "the feed document is empty");
        }
        return switch (text.text().charAt(first)) {
            case '<' -> XmlFeedReader.read(text, source, fetchedAt, maxItemChars);
            case '{' -> JsonFeedReader.read(text, source, fetchedAt, maxItemChars);
            default -> throw new RejectedInputException("unknown-format",
                    "the document is neither XML nor a JSON Feed (starts with '" + text.text().charAt(first) + "')");
        };
    }

    /**
     * Whether a stream holds a JSON Feed document rather than JSON Lines; reads at most the first
     * JSON value.
     */
    public static boolean isJsonFeed(InputStream in) throws IOException {
        return JsonFeedReader.isJsonFeed(in);
    }

    private static int firstSignificant(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Character.isWhitespace(c) && c != '\uFEFF') {
                return i;
            }
        }
        return -1;
    }
}
