package dev.newsline.ingest.dedup;

import dev.newsline.ingest.produce.ArticleProducer;
import dev.newsline.model.RawArticle;
import java.util.function.Consumer;

/**
 * Produces an article unless the seen memory already holds it with the same content; a known
 * article with new content is produced again as an update. The memory is confirmed only once
 * Kafka acknowledged the article.
 */
public final class DedupingPublisher {

    /** What became of an article. */
    public enum Outcome { PRODUCED, UPDATED, DUPLICATE }

    private final ArticleProducer producer;
    private final SeenArticles seen;

    public DedupingPublisher(ArticleProducer producer, SeenArticles seen) {
        this.producer = producer;
        this.seen = seen;
    }

    /**
     * @param onAcked given the outcome on the producer's thread once Kafka acknowledged the
     *                article; must not block; may be null
     */
    public Outcome publish(RawArticle article, Consumer<Outcome> onAcked) {
        String id = article.getId();
        String hash = article.getContentHash();
        SeenArticles.Verdict verdict = seen.claim(id, hash);
        if (verdict == SeenArticles.Verdict.SAME) {
            return Outcome.DUPLICATE;
        }
        Outcome outcome = verdict == SeenArticles.Verdict.NEW ? Outcome.PRODUCED : Outcome.UPDATED;
        producer.send(article, () -> {
            seen.confirm(id, hash);
            if (onAcked != null) {
                onAcked.accept(outcome);
            }
        });
        return outcome;
    }
}
