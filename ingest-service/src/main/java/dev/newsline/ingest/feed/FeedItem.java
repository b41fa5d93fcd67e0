package dev.newsline.ingest.feed;

import java.time.Instant;
import java.util.List;

/**
 * The fields of one item as read from any feed format, before validation.
 *
 * @param invalidDate the text of a date element that could not be read, or null
 * @param payload     the item as found, for dead letters
 */
record FeedItem(int index, String link, String guid, String title, String summary, String body,
                List<String> authors, List<String> categories, String language,
                Instant published, String invalidDate, String payload) {
}
