package dev.newsline.cli.query;

import dev.newsline.sink.query.Answers;
import dev.newsline.sink.query.SinkQueries;
import dev.newsline.sink.store.ArticleStore;
import java.time.Instant;

/** Answers read from the store directly, over a read-only connection. */
public final class StoreQuerySource implements QuerySource {

    private final ArticleStore store;
    private final SinkQueries queries;
    private final String description;

    StoreQuerySource(ArticleStore store, String description) {
        this.store = store;
        this.queries = new SinkQueries(store);
        this.description = description;
    }

    @Override
    public Answers.Latest latest(String entityOrNull, int limit) {
        return queries.latest(entityOrNull, limit);
    }

    @Override
    public Answers.Top top(Instant from, Instant to, int limit) {
        return queries.top(from, to, limit);
    }

    @Override
    public Answers.Stances stances(String entity, int limit) {
        return queries.stances(entity, limit);
    }

    @Override
    public Answers.Trend trend(String entity, Instant from, Instant to, int limit) {
        return queries.trend(entity, from, to, limit);
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        store.close();
    }
}
