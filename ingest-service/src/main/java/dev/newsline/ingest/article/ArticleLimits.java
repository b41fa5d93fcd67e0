package dev.newsline.ingest.article;

import dev.newsline.model.RawArticle;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The largest article ingest produces, in UTF-8 bytes of its text. An article travels as one
 * Kafka record twice, as the raw article and again as the enriched one, which adds the entities,
 * mentions and stances found in it; both must fit in Kafka's default record limit
 * ({@code max.request.size} of producers, {@code message.max.bytes} of brokers: 1 MiB), or the
 * producer's send fails and stops ingest, or the enrich task fails on every retry. A character
 * limit alone does not bound the bytes: a CJK character takes three.
 */
public final class ArticleLimits {

    /** Half of Kafka's default record limit; the other half is left to what enrichment adds. */
    public static final int MAX_TEXT_BYTES = 512 * 1024;

    private ArticleLimits() {
    }

    /**
     * @param what names the input in the message, e.g. "item 3" or "line"
     * @return the article, when its text fits
     * @throws RejectedInputException with reason {@code too-large} when it does not
     */
    public static RawArticle check(RawArticle article, String what) {
        // a char is at most 3 bytes of UTF-8 (a surrogate pair 4 for two), so short text needs no count
        if (3 * sum(article, CharSequence::length) <= MAX_TEXT_BYTES) {
            return article;
        }
        long bytes = sum(article, ArticleLimits::utf8);
        if (bytes > MAX_TEXT_BYTES) {
            throw new RejectedInputException("too-large", what + " has " + bytes + " bytes of text (UTF-8), more than the "
                    + "limit of " + MAX_TEXT_BYTES + " that keeps its raw and enriched records within Kafka's 1 MiB");
        }
        return article;
    }

    private static long sum(RawArticle a, ToLongFunction<CharSequence> size) {
        return size(a.getId(), size) + size(a.getUrl(), size) + size(a.getCanonicalUrl(), size)
                + size(a.getGuid(), size) + size(a.getTitle(), size) + size(a.getSummary(), size)
                + size(a.getBody(), size) + size(a.getAuthors(), size) + size(a.getCategories(), size)
                + size(a.getLanguage(), size) + size(a.getFeedUrl(), size) + size(a.getSource(), size)
                + size(a.getContentHash(), size);
    }

    private static long size(List<String> values, ToLongFunction<CharSequence> size) {
        long n = 0;
        if (values != null) {
            for (String v : values) {
                n += size(v, size);
            }
        }
        return n;
    }

    private static long size(CharSequence s, ToLongFunction<CharSequence> size) {
        return s == null ? 0 : size.applyAsLong(s);
    }

    /** UTF-8 length without encoding; an unpaired surrogate counts as the three bytes of U+FFFD. */
    static long utf8(CharSequence s) {
        if (s == null) {
            return 0;
        }
        long n = 0;
        int length = s.length();
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
