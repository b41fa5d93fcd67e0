package dev.newsline.sink.query;

import dev.newsline.sink.store.ArticleStore;
import dev.newsline.sink.store.EntitySummary;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The questions analysts ask of the store, checked and answered: latest articles (optionally for
 * an entity), top entities in a period, an entity's stances as holder and as target, and an
 * entity's hourly trend. Served by the sink's HTTP API and by {@code newsctl query}, so both
 * accept the same parameters and give the same answers.
 *
 * <p>An entity is given by its canonical id ({@code per:elena-varga}) or by its canonical name,
 * matched ignoring case ({@code elena varga}); a name several entities share is refused with
 * the candidates. Bad parameters raise {@link QueryException}; store failures
 * {@link dev.newsline.sink.store.StoreException}. Thread-safe.
 */
public final class SinkQueries {

    /** Most rows one question returns, except for trends. */
    public static final int MAX_LIMIT = 1_000;
    /** Most hourly windows one trend returns: more than a year. */
    public static final int MAX_TREND_WINDOWS = 10_000;
    public static final int DEFAULT_ARTICLES = 20;
    public static final int DEFAULT_TOP = 10;
    public static final int DEFAULT_STANCES = 20;
    /** A week, had the entity been named every hour. */
    public static final int DEFAULT_TREND_WINDOWS = 168;

    /** Candidates listed when a name is ambiguous. */
    private static final int MAX_CANDIDATES = 10;

    private final ArticleStore store;

    public SinkQueries(ArticleStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** The entity with this id, else the one entity with this name (ignoring case). */
    public EntitySummary entity(String idOrName) {
        String key = idOrName == null ? "" : idOrName.strip();
        if (key.isEmpty()) {
            throw QueryException.badParameter("entity", idOrName, "must be an entity id or name");
        }
        Optional<EntitySummary> byId = store.entity(key);
        if (byId.isPresent()) {
            return byId.get();
        }
        List<EntitySummary> named = store.entitiesNamed(key, MAX_CANDIDATES);
        if (named.isEmpty()) {
            throw QueryException.unknownEntity(key);
        }
        if (named.size() > 1) {
            throw QueryException.ambiguous(key, named);
        }
        return named.get(0);
    }

    /** The latest {@code limit} articles; only those naming the entity when one is given (not null). */
    public Answers.Latest latest(String entityIdOrNameOrNull, int limit) {
        checkLimit(limit, MAX_LIMIT);
        EntitySummary entity = entityIdOrNameOrNull == null ? null : entity(entityIdOrNameOrNull);
        return new Answers.Latest(entity, store.latestArticles(entity == null ? null : entity.id(), limit));
    }

    /** The {@code limit} entities named in most articles published in {@code [from, to)}; null bounds are open. */
    public Answers.Top top(Instant from, Instant to, int limit) {
        checkLimit(limit, MAX_LIMIT);
        checkPeriod(from, to);
        return new Answers.Top(from, to, store.topEntities(from, to, limit));
    }

    /** Up to {@code limit} stances the entity takes and up to {@code limit} towards it. */
    public Answers.Stances stances(String entityIdOrName, int limit) {
        checkLimit(limit, MAX_LIMIT);
        EntitySummary entity = entity(entityIdOrName);
        return new Answers.Stances(entity, store.stancesHeldBy(entity.id(), limit),
                store.stancesTargeting(entity.id(), limit));
    }

    /** The entity's latest {@code limit} hourly windows starting in {@code [from, to)}, oldest first. */
    public Answers.Trend trend(String entityIdOrName, Instant from, Instant to, int limit) {
        checkLimit(limit, MAX_TREND_WINDOWS);
        checkPeriod(from, to);
        EntitySummary entity = entity(entityIdOrName);
        return new Answers.Trend(entity, from, to, store.trend(entity.id(), from, to, limit));
    }

    /**
     * Parses a point in time: an instant ({@code 2026-11-24T09:00:00Z}), a time with an offset
     * ({@code 2026-11-24T10:00+01:00}), a time without one (taken as UTC) or a date (its start, UTC).
     *
     * @param name parameter name, for the error message
     * @return the instant, or null for a null or blank value
     */
    public static Instant parseTime(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            if (text.endsWith("Z") || text.endsWith("z")) {
                return Instant.parse(text.toUpperCase(Locale.ROOT));
            }
            if (text.matches(".*[+-]\\d{2}(:?\\d{2})?$") && text.indexOf('T') > 0) {
                return OffsetDateTime.parse(text).toInstant();
            }
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw QueryException.badParameter(name, value,
                    "must be a date (2026-11-24) or an ISO-8601 time (2026-11-24T09:00:00Z)");
        }
    }

    /** Parses a row limit in {@code 1..max}; a null or blank value gives {@code defaultValue}. */
    public static int parseLimit(String name, String value, int defaultValue, int max) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int limit = Integer.parseInt(value.strip());
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw QueryException.badParameter(name, value, "must be a whole number from 1 to " + max);
    }

    private static void checkLimit(int limit, int max) {
        if (limit < 1 || limit > max) {
            throw QueryException.badParameter("limit", String.valueOf(limit), "must be a whole number from 1 to " + max);
        }
    }

    private static void checkPeriod(Instant from, Instant to) {
        if (from != null && to != null && !from.isBefore(to)) {
            throw QueryException.badParameter("to", to.toString(), "must be after 'from' (" + from + ")");
        }
    }
}
