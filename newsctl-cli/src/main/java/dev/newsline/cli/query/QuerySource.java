package dev.newsline.cli.query;

import dev.newsline.sink.query.Answers;
import java.time.Instant;

/**
 * Where {@code newsctl query} gets its answers: the store itself or a running sink's HTTP API.
 * Both answer the same questions with the same {@link Answers}; parameters are as in
 * {@link dev.newsline.sink.query.SinkQueries}.
 */
public interface QuerySource extends AutoCloseable {

    Answers.Latest latest(String entityOrNull, int limit);

    Answers.Top top(Instant from, Instant to, int limit);

    Answers.Stances stances(String entity, int limit);

    Answers.Trend trend(String entity, Instant from, Instant to, int limit);

    /** Where the answers come from, for messages. */
    String describe();

    @Override
    void close();
}
