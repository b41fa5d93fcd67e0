package dev.newsline.sink.query;

import dev.newsline.sink.store.EntitySummary;
import java.util.List;

/**
 * A question {@link SinkQueries} cannot answer because of how it was asked: a bad parameter,
 * an entity the store does not know, or a name several entities share. The message is meant
 * for the person asking; store failures are {@link dev.newsline.sink.store.StoreException}s.
 */
public final class QueryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the question cannot be answered. */
    public enum Kind {
        /** A parameter is malformed or out of range. */
        BAD_PARAMETER,
        /** No entity has that id or name. */
        UNKNOWN_ENTITY,
        /** Several entities have that name; {@link #candidates()} lists them. */
        AMBIGUOUS_ENTITY
    }

    private final Kind kind;
    private final transient List<EntitySummary> candidates;

    private QueryException(Kind kind, String message, List<EntitySummary> candidates) {
        super(message);
        this.kind = kind;
        this.candidates = List.copyOf(candidates);
    }

    public static QueryException badParameter(String name, String value, String expected) {
        return new QueryException(Kind.BAD_PARAMETER,
                "parameter '" + name + "' " + expected + (value == null ? "" : ", was '" + value + "'"), List.of());
    }

    static QueryException unknownEntity(String idOrName) {
        return new QueryException(Kind.UNKNOWN_ENTITY, "no entity with id or name '" + idOrName + "' in the store",
                List.of());
    }

    static QueryException ambiguous(String name, List<EntitySummary> candidates) {
        StringBuilder message = new StringBuilder("'" + name + "' names several entities; use one of their ids:");
        for (EntitySummary e : candidates) {
            message.append(' ').append(e.id()).append(" (").append(e.type()).append(')');
        }
        return new QueryException(Kind.AMBIGUOUS_ENTITY, message.toString(), candidates);
    }

    public Kind kind() {
        return kind;
    }

    /** The entities an ambiguous name matched; empty for the other kinds. */
    public List<EntitySummary> candidates() {
        return candidates;
    }
}
