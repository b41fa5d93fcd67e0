package dev.newsline.ingest.feed;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.newsline.ingest.article.RejectedInputException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1) through Jackson. {@code content_html}
 * is preferred to {@code content_text} for the body; dates are RFC 3339.
 */
final class JsonFeedReader {

    static final String VERSION_PREFIX = "https://jsonfeed.org/version/";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonFeedReader() {
    }

    static ParsedFeed read(FeedText.Decoded document, FeedSource source, Instant fetchedAt, int maxItemChars) {
        JsonNode root;
        try {
            root = MAPPER.readTree(document.text());
        } catch (JsonProcessingException e) {
            throw new RejectedInputException("malformed-feed", "not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new RejectedInputException("malformed-feed", "a JSON Feed is a JSON object");
        }
        String version = text(root, "version");
        if (version == null || !version.startsWith(VERSION_PREFIX)) {
            throw new RejectedInputException("malformed-feed", "not a JSON Feed: 'version' must start with " + VERSION_PREFIX);
        }
        JsonNode items = root.get("items");
        if (items == null || !items.isArray()) {
            throw new RejectedInputException("malformed-feed", "a JSON Feed needs an 'items' array");
        }
        String title = text(root, "title");
        List<String> feedAuthors = authors(root);
        ItemMapper mapper = new ItemMapper(source, title, text(root, "language"), document, fetchedAt, maxItemChars);
        int index = 0;
        for (JsonNode item : items) {
            index++;
            mapper.add(item(index, item, feedAuthors));
        }
        return mapper.result("json_feed_" + version.substring(VERSION_PREFIX.length()), title);
    }

    /**
     * Whether a stream holds a JSON Feed rather than JSON Lines: its first JSON value is an object
     * with a top-level {@code version} of JSON Feed. Reads no further than that first object.
     */
    static boolean isJsonFeed(InputStream in) throws IOException {
        try (JsonParser parser = MAPPER.getFactory().createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("version")) {
                    return value == JsonToken.VALUE_STRING && parser.getText().startsWith(VERSION_PREFIX);
                }
                parser.skipChildren();
            }
            return false;
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static FeedItem item(int index, JsonNode item, List<String> feedAuthors) {
        if (!item.isObject()) {
            return new FeedItem(index, null, null, null, null, null, List.of(), List.of(), null, null, null, item.toString());
        }
        String link = text(item, "url") != null ? text(item, "url") : text(item, "external_url");
        String body = text(item, "content_html") != null ? text(item, "content_html") : text(item, "content_text");
        List<String> authors = authors(item);
        String invalidDate = null;
        Instant published = null;
        for (String field : List.of("date_published", "date_modified")) {
            String value = text(item, field);
            if (value == null) {
                continue;
            }
            Instant parsed = rfc3339(value);
            if (parsed == null) {
                invalidDate = value;
            } else if (published == null) {
                published = parsed;
            }
        }
        List<String> tags = new ArrayList<>();
        JsonNode tagNode = item.get("tags");
        if (tagNode != null && tagNode.isArray()) {
            tagNode.forEach(t -> tags.add(t.asText()));
        }
        return new FeedItem(index, link, text(item, "id"), text(item, "title"), text(item, "summary"), body,
                authors.isEmpty() ? feedAuthors : authors, tags, text(item, "language"),
                published, invalidDate, item.toString());
    }

    private static List<String> authors(JsonNode node) {
        List<String> out = new ArrayList<>();
        JsonNode many = node.get("authors");
        if (many != null && many.isArray()) {
            many.forEach(a -> {
                if (a.hasNonNull("name")) {
                    out.add(a.get("name").asText());
                }
            });
        }
        JsonNode one = node.get("author");
        if (out.isEmpty() && one != null && one.hasNonNull("name")) {
            out.add(one.get("name").asText());
        }
        return out;
    }

    private static Instant rfc3339(String value) {
        try {
            return OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A scalar field as text (JSON Feed ids may be numbers), or null. */
    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || !v.isValueNode()) {
            return null;
        }
        String s = v.asText();
        return s.isBlank() ? null : s;
    }
}
