package dev.newsline.ingest.dedup;

/**
 * Memory of the articles already produced, as article id -> content hash. An article whose id is
 * known with the same hash is a duplicate; a known id with a new hash is an update.
 *
 * <p>{@link #claim} is atomic per id, so two feeds carrying the same article produce it once.
 * {@link #confirm} makes a claim durable and is called only after Kafka acknowledged the article,
 * so the memory never holds an article that was not produced (a crash in between re-produces it
 * once: at least once, never lost).
 */
public interface SeenArticles {

    /** What the memory says about an article. */
    enum Verdict {
        /** never produced */
        NEW,
        /** produced before with another content hash: an update */
        CHANGED,
        /** produced before with this content hash: a duplicate */
        SAME
    }

    /** Looks the article up without remembering it (dry runs). */
    Verdict check(String id, String contentHash);

    /** Looks the article up and, unless it is {@link Verdict#SAME}, remembers it in memory. */
    Verdict claim(String id, String contentHash);

    /** Records durably that the article was produced. */
    void confirm(String id, String contentHash);

    /** Articles remembered. */
    int size();
}
