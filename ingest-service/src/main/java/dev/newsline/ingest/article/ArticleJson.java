package dev.newsline.ingest.article;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.newsline.model.RawArticle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON shape of an article in archives and in {@code newsctl enrich} input: one object per
 * line with {@code url} and {@code body} required, and optional {@code title}, {@code id},
 * {@code guid}, {@code summary}, {@code published} (ISO-8601 with offset), {@code source},
 * {@code language}, {@code authors} and {@code categories} (arrays of strings, or one string).
 *
 * <p>Read with Jackson's streaming parser, field by field, since this is most of a replay's
 * CPU: a tree of every line cost about twice as much. Text fields take strings, and numbers
 * and booleans as their text; an object or array there is rejected as {@code invalid-field}.
 * A list is an array of strings, numbers or booleans (null items are skipped) or one string. Other fields are skipped whatever they hold; if a field
 * appears twice the last one counts; anything after the object is rejected as
 * {@code invalid-json}.
 */
public final class ArticleJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private ArticleJson() {
    }

    /**
     * Parses one line into a raw article.
     *
     * @throws RejectedInputException with a reason code when the line cannot become an article
     */
    public static RawArticle parse(String line, Instant fetchedAt) {
        Fields f;
        try (JsonParser p = FACTORY.createParser(line)) {
            f = read(p);
        } catch (JsonProcessingException e) {
            throw new RejectedInputException("invalid-json", "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("reading a string cannot fail", e);
        }
        String url = f.text("url", f.url);
        String guid = f.text("guid", f.guid);
        if (url == null && guid == null) {
            throw new RejectedInputException("missing-url", "field 'url' is required");
        }
        if (f.body == null || f.body.nonString) {
            throw new RejectedInputException("missing-body", "field 'body' is required and must be a string");
        }
        String body = f.body.text;
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
        String explicitId = f.text("id", f.id);
        if (explicitId != null) {
            id = explicitId;
        }
        String title = orEmpty(f.text("title", f.title));
        String summary = f.text("summary", f.summary);
        return ArticleLimits.check(RawArticle.newBuilder()
                .setId(id)
                .setUrl(url == null ? canonical : url)
                .setCanonicalUrl(canonical)
                .setGuid(guid)
                .setTitle(title)
                .setSummary(summary)
                .setBody(body)
                .setAuthors(f.list("authors", f.authors))
                .setCategories(f.list("categories", f.categories))
                .setLanguage(f.text("language", f.language))
                .setPublished(instant("published", f.text("published", f.published)))
                .setFetchedAt(fetchedAt)
                .setSource(f.text("source", f.source))
                .setContentHash(ArticleIds.contentHash(title, orEmpty(summary), body))
                .build(), "the article");
    }

    private static Fields read(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new RejectedInputException("invalid-json", "expected a JSON object");
        }
        Fields f = new Fields();
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken token = p.nextToken();
            switch (name) {
                case "url" -> f.url = Value.of(p, token);
                case "guid" -> f.guid = Value.of(p, token);
                case "body" -> f.body = Value.of(p, token);
                case "id" -> f.id = Value.of(p, token);
                case "title" -> f.title = Value.of(p, token);
                case "summary" -> f.summary = Value.of(p, token);
                case "published" -> f.published = Value.of(p, token);
                case "source" -> f.source = Value.of(p, token);
                case "language" -> f.language = Value.of(p, token);
                case "authors" -> f.authors = Strings.of(p, token);
                case "categories" -> f.categories = Strings.of(p, token);
                default -> p.skipChildren();
            }
        }
        if (p.nextToken() != null) {
            throw new RejectedInputException("invalid-json", "unexpected content after the object");
        }
        return f;
    }

    /** A field's value: its text (null for JSON null), or an object or array where text belongs. */
    private record Value(String text, boolean nonString, boolean container) {

        static Value of(JsonParser p, JsonToken token) throws IOException {
            return switch (token) {
                case VALUE_STRING -> new Value(p.getText(), false, false);
                case VALUE_NULL -> null;
                case START_OBJECT, START_ARRAY -> {
                    p.skipChildren();
                    yield new Value(null, true, true);
                }
                default -> new Value(p.getText(), true, false);
            };
        }
    }

    /** A list field: its strings, or null with {@code invalid} set when it holds something else. */
    private record Strings(List<String> values, boolean invalid) {

        static Strings of(JsonParser p, JsonToken token) throws IOException {
            List<String> out = new ArrayList<>();
            switch (token) {
                case VALUE_NULL -> {
                    return new Strings(out, false);
                }
                case START_ARRAY -> {
                    boolean invalid = false;
                    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                            p.skipChildren();
                            invalid = true;
                        } else if (t != JsonToken.VALUE_NULL) {
                            out.add(p.getText());
                        }
                    }
                    return new Strings(out, invalid);
                }
                case VALUE_STRING -> {
                    out.add(p.getText());
                    return new Strings(out, false);
                }
                default -> {
                    p.skipChildren();
                    return new Strings(out, true);
                }
            }
        }
    }

    /** The fields this shape knows, as read; null where the line does not have them. */
    private static final class Fields {
        Value url;
        Value guid;
        Value body;
        Value id;
        Value title;
        Value summary;
        Value published;
        Value source;
        Value language;
        Strings authors;
        Strings categories;

        /** Stripped text, null when absent or blank. */
        String text(String field, Value v) {
            if (v == null) {
                return null;
            }
            if (v.container()) {
                throw new RejectedInputException("invalid-field", "field '" + field + "' must be a string");
            }
            String s = v.text().strip();
            return s.isEmpty() ? null : s;
        }

        List<String> list(String field, Strings s) {
            if (s == null) {
                return new ArrayList<>();
            }
            if (s.invalid()) {
                throw new RejectedInputException("invalid-field", "field '" + field + "' must be an array of strings");
            }
            return s.values();
        }
    }

    private static Instant instant(String field, String s) {
        if (s == null) {
            return null;
        }
        Instant parsed = IsoTimes.parse(s);
        if (parsed == null) {
            throw new RejectedInputException("invalid-date", "field '" + field + "' is not an ISO-8601 time: " + s);
        }
        return parsed;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
