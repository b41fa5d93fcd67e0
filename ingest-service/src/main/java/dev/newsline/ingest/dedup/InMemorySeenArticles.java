package dev.newsline.ingest.dedup;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Seen-article memory held in this process only: the base of {@link KafkaSeenStore}, and enough
 * on its own for a dry run or a one-off replay. Content hashes are kept as their first 64 bits,
 * which is plenty to tell two versions of one article apart.
 */
public class InMemorySeenArticles implements SeenArticles {

    private final ConcurrentHashMap<String, Long> hashes = new ConcurrentHashMap<>();

    @Override
    public Verdict check(String id, String contentHash) {
        Long known = hashes.get(id);
        return known == null ? Verdict.NEW : known == fingerprint(contentHash) ? Verdict.SAME : Verdict.CHANGED;
    }

    @Override
    public Verdict claim(String id, String contentHash) {
        long fingerprint = fingerprint(contentHash);
        Verdict[] verdict = new Verdict[1];
        hashes.compute(id, (key, known) -> {
            verdict[0] = known == null ? Verdict.NEW : known == fingerprint ? Verdict.SAME : Verdict.CHANGED;
            return fingerprint;
        });
        return verdict[0];
    }

    /** Memory already holds what {@link #claim} stored, which may be a newer version than this one. */
    @Override
    public void confirm(String id, String contentHash) {
        hashes.putIfAbsent(id, fingerprint(contentHash));
    }

    @Override
    public int size() {
        return hashes.size();
    }

    /** Loads a remembered article (start-up) or forgets it when {@code contentHash} is null. */
    protected void load(String id, String contentHash) {
        if (contentHash == null) {
            hashes.remove(id);
        } else {
            hashes.put(id, fingerprint(contentHash));
        }
    }

    static long fingerprint(String contentHash) {
        if (contentHash.length() >= 16) {
            try {
                return Long.parseUnsignedLong(contentHash.substring(0, 16), 16);
            } catch (NumberFormatException e) {
                // not hex: fall through to hashing the text
            }
        }
        return Long.parseUnsignedLong(dev.newsline.ingest.article.ArticleIds.contentHash(contentHash).substring(0, 16), 16);
    }
}
