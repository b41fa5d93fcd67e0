package dev.newsline.ingest.feed;

import dev.newsline.model.RawArticle;
import java.util.List;

/**
 * A feed document turned into articles.
 *
 * @param format   {@code rss_2.0}, {@code rss_1.0}, {@code atom_1.0}, {@code json_feed_1.1} ...
 * @param title    the document's title, or null
 * @param articles items that became articles, in document order
 * @param rejected items that could not, with their reasons
 */
public record ParsedFeed(String format, String title, List<RawArticle> articles, List<RejectedItem> rejected) {

    public ParsedFeed {
        articles = List.copyOf(articles);
        rejected = List.copyOf(rejected);
    }

    /** Items in the document. */
    public int items() {
        return articles.size() + rejected.size();
    }
}
