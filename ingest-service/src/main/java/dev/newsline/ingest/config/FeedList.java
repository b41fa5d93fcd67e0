package dev.newsline.ingest.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the feed list: one feed per entry, written {@code url [| name [| interval]]}.
 *
 * <pre>
 * # outlet feeds; blank lines and lines starting with # are ignored
 * https://news.example/rss.xml                | Example News | 5m
 * https://other.example/atom.xml              | Other Outlet
 * https://third.example/feed.json             |              | PT90S
 * https://fourth.example/index.rdf
 * </pre>
 *
 * <p>The name defaults to the URL's host and the interval to {@code ingest.poll.interval.ms}.
 * Intervals are {@code 1500ms}, {@code 90s}, {@code 5m}, {@code 1h}, or ISO-8601 ({@code PT5M}).
 */
public final class FeedList {

    /** Shortest interval accepted; anything faster is a mistake, not a feed poll. */
    public static final Duration MIN_INTERVAL = Duration.ofMillis(100);

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private FeedList() {
    }

    /**
     * Parses feed entries.
     *
     * @param entries         entry text, one per element (file lines or inline list items)
     * @param defaultInterval interval for entries without one
     * @param where           describes the source for error messages, e.g. "line" or "entry"
     * @throws IllegalArgumentException naming the entry number on the first bad entry
     */
    public static List<FeedSpec> parse(List<String> entries, Duration defaultInterval, String where) {
        List<FeedSpec> feeds = new ArrayList<>();
        Set<URI> urls = new HashSet<>();
        int number = 0;
        for (String raw : entries) {
            number++;
            String entry = raw.strip();
            if (entry.isEmpty() || entry.startsWith("#")) {
                continue;
            }
            FeedSpec spec;
            try {
                spec = parseEntry(entry, defaultInterval);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + " " + number + ": " + e.getMessage(), e);
            }
            if (!urls.add(spec.url())) {
                throw new IllegalArgumentException(where + " " + number + ": feed " + spec.url() + " is listed twice");
            }
            feeds.add(spec);
        }
        return feeds;
    }

    static FeedSpec parseEntry(String entry, Duration defaultInterval) {
        String[] parts = entry.split("\\|", -1);
        if (parts.length > 3) {
            throw new IllegalArgumentException("expected 'url | name | interval', found " + parts.length + " fields");
        }
        URI url = feedUrl(parts[0].strip());
        String name = parts.length > 1 && !parts[1].isBlank() ? parts[1].strip() : url.getHost();
        Duration interval = parts.length > 2 && !parts[2].isBlank() ? parseInterval(parts[2].strip()) : defaultInterval;
        if (interval.compareTo(MIN_INTERVAL) < 0) {
            throw new IllegalArgumentException("poll interval " + interval + " is shorter than " + MIN_INTERVAL);
        }
        return new FeedSpec(url, name, interval);
    }

    static URI feedUrl(String text) {
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed feed URL '" + text + "': " + e.getMessage());
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            throw new IllegalArgumentException("feed URL '" + text + "' is not an absolute http(s) URL");
        }
        return url;
    }

    /** Parses {@code 1500ms}, {@code 90s}, {@code 5m}, {@code 1h}, {@code 1d} or ISO-8601 {@code PT5M}. */
    public static Duration parseInterval(String text) {
        Matcher m = SIMPLE_DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("bad interval '" + text + "'; use e.g. 500ms, 90s, 5m, 1h or PT5M");
        }
    }
}
