package dev.newsline.ingest.article;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.newsline.model.RawArticle;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON shape of an article in archives and in {@code newsctl enrich} input: one object per
 * line with {@code url} and {@code body} required, and optional {@code title}, {@code id},
 * {@code guid}, {@code summary}, {@code published} (ISO-8601 with offset), {@code source},
 * {@code language}, {@code authors} and {@code categories} (arrays of strings).
 */
public final class ArticleJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ArticleJson() {
    }

    /**
     * Parses one line into a raw article.
     *
     * @throws RejectedInputException with a reason code when the line cannot become an article
     */
    public static RawArticle parse(String line, Instant fetchedAt) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new RejectedInputException("invalid-json", "not valid JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode obj)) {
            throw new RejectedInputException("invalid-json", "expected a JSON object");
        }
        String url = text(obj, "url");
        String guid = text(obj, "guid");
        if (url == null && guid == null) {
            throw new RejectedInputException("missing-url", "field 'url' is required");
        }
        JsonNode body = obj.get("body");
        if (body == null || !body.isTextual()) {
            throw new RejectedInputException("missing-body", "field 'body' is required and must be a string");
        }
        String canonical;
        String id;
        if (url != null) {
            try {
                canonical = ArticleIds.canonicalUrl(url);
            } catch (IllegalArgumentException e) {
                throw new RejectedInputException("invalid-url", e.getMessage());
            }
            id = ArticleIds.idForUrl(canonical);
        } else {
            canonical = "urn:newsline:guid:" + guid;
            id = ArticleIds.idForGuid(guid);
        }
        String explicitId = text(obj, "id");
        if (explicitId != null) {
            id = explicitId;
        }
        String title = orEmpty(text(obj, "title"));
        String summary = text(obj, "summary");
        return ArticleLimits.check(RawArticle.newBuilder()
                .setId(id)
                .setUrl(url == null ? canonical : url)
                .setCanonicalUrl(canonical)
                .setGuid(guid)
                .setTitle(title)
                .setSummary(summary)
                .setBody(body.asText())
                .setAuthors(strings(obj, "authors"))
                .setCategories(strings(obj, "categories"))
                .setLanguage(text(obj, "language"))
                .setPublished(instant(obj, "published"))
                .setFetchedAt(fetchedAt)
                .setSource(text(obj, "source"))
                .setContentHash(ArticleIds.contentHash(title, orEmpty(summary), body.asText()))
                .build(), "the article");
    }

    private static String text(ObjectNode obj, String field) {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isValueNode()) {
            throw new RejectedInputException("invalid-field", "field '" + field + "' must be a string");
        }
        String s = v.asText().strip();
        return s.isEmpty() ? null : s;
    }

    private static List<String> strings(ObjectNode obj, String field) {
        JsonNode v = obj.get(field);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isTextual()) {
            out.add(v.asText());
            return out;
        }
        if (!v.isArray()) {
            throw new RejectedInputException("invalid-field", "field '" + field + "' must be an array of strings");
        }
        v.forEach(item -> out.add(item.asText()));
        return out;
    }

    private static Instant instant(ObjectNode obj, String field) {
        String s = text(obj, field);
        if (s == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e2) {
                throw new RejectedInputException("invalid-date", "field '" + field + "' is not an ISO-8601 time: " + s);
            }
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
