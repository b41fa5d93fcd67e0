package dev.newsline.ingest.article;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Canonical URLs and article ids. The id is stable across feeds, polls and replays: the first
 * 32 hex digits of SHA-256 over the canonical URL, or over {@code "guid:" + guid} for an item
 * without a link.
 */
public final class ArticleIds {

    private static final Set<String> TRACKING_PARAMS = Set.of(
            "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid",
            "_ga", "_gl", "ref_src", "cmpid", "ocid", "smid", "ncid");

    private ArticleIds() {
    }

    /**
     * Canonical form of an absolute http(s) URL: lower-cased scheme and host, default port
     * dropped, empty path as "/", no fragment, tracking parameters (utm_* and the usual click
     * ids) removed, the remaining query kept in order.
     *
     * @throws IllegalArgumentException if the URL is not an absolute http(s) URL
     */
    public static String canonicalUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("missing URL");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("not an absolute http(s) URL: " + abbreviate(url));
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("URL has no host: " + abbreviate(url));
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        StringBuilder out = new StringBuilder(scheme).append("://").append(host);
        if (!defaultPort) {
            out.append(':').append(port);
        }
        out.append(path);
        String query = cleanQuery(uri.getRawQuery());
        if (!query.isEmpty()) {
            out.append('?').append(query);
        }
        return out.toString();
    }

    public static String idForUrl(String canonicalUrl) {
        return sha256Prefix(canonicalUrl);
    }

    public static String idForGuid(String guid) {
        return sha256Prefix("guid:" + guid.strip());
    }

    /** Hex SHA-256 of the parts joined by NUL, for content hashes. */
    public static String contentHash(String... parts) {
        // the digest of String.join("\u0000", parts) in UTF-8, without building the joined copy
        MessageDigest sha = sha256();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                sha.update((byte) 0);
            }
            sha.update(parts[i].getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String cleanQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String> kept = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String name = pair.split("=", 2)[0].toLowerCase(Locale.ROOT);
            if (!name.startsWith("utm_") && !TRACKING_PARAMS.contains(name)) {
                kept.add(pair);
            }
        }
        return String.join("&", kept);
    }

    private static String sha256Prefix(String s) {
        return HexFormat.of().formatHex(digest(s)).substring(0, 32);
    }

    private static byte[] digest(String s) {
        return sha256().digest(s.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
