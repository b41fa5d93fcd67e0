package dev.newsline.ingest.feed;

import dev.newsline.ingest.config.FeedSpec;
import java.nio.file.Path;

/**
 * Where a feed document came from.
 *
 * @param feedUrl URL of the feed, stored on each article and used to resolve relative links;
 *                null for saved documents in archives
 * @param name    source name for the articles; null to use the document's own title
 * @param origin  origin recorded on dead letters: the feed URL or the archive path
 */
public record FeedSource(String feedUrl, String name, String origin) {

    public static FeedSource of(FeedSpec feed) {
        return new FeedSource(feed.url().toString(), feed.name(), feed.url().toString());
    }

    public static FeedSource ofArchive(Path file) {
        return new FeedSource(null, null, file.toString());
    }
}
