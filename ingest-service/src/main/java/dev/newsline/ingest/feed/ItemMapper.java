package dev.newsline.ingest.feed;

import dev.newsline.ingest.article.ArticleIds;
import dev.newsline.ingest.article.ArticleLimits;
import dev.newsline.ingest.article.RejectedInputException;
import dev.newsline.model.RawArticle;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Validates a {@link FeedItem} and turns it into a {@link RawArticle}, the same way for every
 * format: id from the canonical link, or from the guid when there is no link; body from the
 * full content, else the summary; content hash over title, summary and body.
 */
final class ItemMapper {

    /** A published time further ahead than this is a broken date, not a scheduled article. */
    static final Duration MAX_FUTURE = Duration.ofDays(1);

    private final FeedSource source;
    private final String sourceName;
    private final String feedLanguage;
    private final FeedText.Decoded document;
    private final Instant fetchedAt;
    private final int maxItemChars;
    private final List<RawArticle> articles = new ArrayList<>();
    private final List<RejectedItem> rejected = new ArrayList<>();

    ItemMapper(FeedSource source, String feedTitle, String feedLanguage, FeedText.Decoded document,
               Instant fetchedAt, int maxItemChars) {
        this.source = source;
        this.sourceName = source.name() != null ? source.name() : blankToNull(FeedText.clean(feedTitle));
        this.feedLanguage = blankToNull(FeedText.clean(feedLanguage));
        this.document = document;
        this.fetchedAt = fetchedAt;
        this.maxItemChars = maxItemChars;
    }

    void add(FeedItem item) {
        try {
            articles.add(toArticle(item));
        } catch (RejectedInputException e) {
            String payload = item.payload() == null ? "" : item.payload();
            rejected.add(new RejectedItem(item.index(), e.reason(), e.getMessage(), payload.getBytes(StandardCharsets.UTF_8)));
        }
    }

    ParsedFeed result(String format, String title) {
        return new ParsedFeed(format, blankToNull(FeedText.clean(title)), articles, rejected);
    }

    RawArticle toArticle(FeedItem item) {
        String title = strip(item.title());
        String summary = blankToNull(item.summary());
        String content = blankToNull(item.body());
        String body = content != null ? content : summary;
        String link = blankToNull(strip(item.link()));
        String guid = blankToNull(strip(item.guid()));
        List<String> authors = distinct(item.authors());
        List<String> categories = distinct(item.categories());

        long size = length(title) + length(summary) + length(body) + length(link) + length(guid)
                + authors.stream().mapToLong(String::length).sum() + categories.stream().mapToLong(String::length).sum();
        if (size > maxItemChars) {
            throw new RejectedInputException("too-large", "item " + item.index() + " has " + size
                    + " characters, more than the limit of " + maxItemChars + " (ingest.item.max.chars)");
        }
        List<String> damaged = damagedFields(title, summary, content, link, guid, authors, categories);
        if (!damaged.isEmpty()) {
            throw new RejectedInputException(document.malformedReason(), "item " + item.index() + " has bytes that are not valid "
                    + document.charset().name() + " in " + String.join(", ", damaged));
        }
        if (link == null && guid == null) {
            throw new RejectedInputException("missing-link", "item " + item.index() + " has neither a link nor a guid/id");
        }
        String url;
        String canonical;
        String id;
        if (link != null) {
            url = absolute(link);
            try {
                canonical = ArticleIds.canonicalUrl(url);
            } catch (IllegalArgumentException e) {
                throw new RejectedInputException("invalid-url", "item " + item.index() + ": " + e.getMessage());
            }
            id = ArticleIds.idForUrl(canonical);
        } else {
            canonical = "urn:newsline:guid:" + guid;
            url = canonical;
            id = ArticleIds.idForGuid(guid);
        }
        if (item.invalidDate() != null) {
            throw new RejectedInputException("invalid-date", "item " + item.index() + " has an unreadable date '"
                    + abbreviate(item.invalidDate()) + "'");
        }
        Instant published = item.published();
        if (published != null && published.isAfter(fetchedAt.plus(MAX_FUTURE))) {
            throw new RejectedInputException("invalid-date", "item " + item.index() + " is dated " + published
                    + ", more than " + MAX_FUTURE.toHours() + " h in the future");
        }
        String language = blankToNull(strip(item.language()));
        String finalTitle = title == null ? "" : title;
        String finalBody = body == null ? "" : body;
        return ArticleLimits.check(RawArticle.newBuilder()
                .setId(id)
                .setUrl(url)
                .setCanonicalUrl(canonical)
                .setGuid(guid)
                .setTitle(finalTitle)
                .setSummary(summary)
                .setBody(finalBody)
                .setAuthors(authors)
                .setCategories(categories)
                .setLanguage(language != null ? language : feedLanguage)
                .setPublished(published)
                .setFetchedAt(fetchedAt)
                .setFeedUrl(source.feedUrl())
                .setSource(sourceName)
                .setContentHash(ArticleIds.contentHash(finalTitle, summary == null ? "" : summary, finalBody))
                .build(), "item " + item.index());
    }

    private String absolute(String link) {
        if (source.feedUrl() == null) {
            return link;
        }
        try {
            URI uri = new URI(link);
            return uri.isAbsolute() ? link : new URI(source.feedUrl()).resolve(uri).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return link;
        }
    }

    private static List<String> damagedFields(String title, String summary, String body, String link, String guid,
                                              List<String> authors, List<String> categories) {
        List<String> out = new ArrayList<>();
        if (FeedText.isDamaged(title)) {
            out.add("title");
        }
        if (FeedText.isDamaged(summary)) {
            out.add("summary");
        }
        if (FeedText.isDamaged(body)) {
            out.add("body");
        }
        if (FeedText.isDamaged(link)) {
            out.add("link");
        }
        if (FeedText.isDamaged(guid)) {
            out.add("guid");
        }
        if (authors.stream().anyMatch(FeedText::isDamaged)) {
            out.add("authors");
        }
        if (categories.stream().anyMatch(FeedText::isDamaged)) {
            out.add("categories");
        }
        return out;
    }

    private static List<String> distinct(List<String> values) {
        Set<String> out = new LinkedHashSet<>();
        if (values != null) {
            for (String v : values) {
                String s = strip(v);
                if (s != null && !s.isEmpty()) {
                    out.add(s);
                }
            }
        }
        return new ArrayList<>(out);
    }

    private static long length(String s) {
        return s == null ? 0 : s.length();
    }

    private static String strip(String s) {
        return s == null ? null : s.strip();
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() <= 80 ? t : t.substring(0, 77) + "...";
    }
}
