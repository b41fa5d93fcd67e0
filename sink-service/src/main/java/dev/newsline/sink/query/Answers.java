package dev.newsline.sink.query;

import dev.newsline.sink.store.ArticleSummary;
import dev.newsline.sink.store.EntitySummary;
import dev.newsline.sink.store.StanceView;
import dev.newsline.sink.store.TopEntity;
import dev.newsline.sink.store.TrendPoint;
import java.time.Instant;
import java.util.List;

/**
 * The answers {@link SinkQueries} gives, one record per question. {@link QueryJson} turns each
 * into the JSON the HTTP API serves and {@code newsctl query --json} prints, and back.
 */
public final class Answers {

    private Answers() {
    }

    /**
     * The latest articles, all of them or those naming one entity.
     *
     * @param entity   the entity asked about, or null for all articles
     * @param articles most recently published first, undated last
     */
    public record Latest(EntitySummary entity, List<ArticleSummary> articles) {
        public Latest {
            articles = List.copyOf(articles);
        }
    }

    /**
     * Entities ranked by the articles naming them in a period.
     *
     * @param from     start of the period (inclusive), or null for open
     * @param to       end of the period (exclusive), or null for open
     * @param entities most articles first
     */
    public record Top(Instant from, Instant to, List<TopEntity> entities) {
        public Top {
            entities = List.copyOf(entities);
        }
    }

    /**
     * An entity's stances, as the one who takes them and as their target.
     *
     * @param entity   the entity
     * @param asHolder stances it takes, latest articles first
     * @param asTarget stances towards it, latest articles first
     */
    public record Stances(EntitySummary entity, List<StanceView> asHolder, List<StanceView> asTarget) {
        public Stances {
            asHolder = List.copyOf(asHolder);
            asTarget = List.copyOf(asTarget);
        }
    }

    /**
     * An entity's hourly trend.
     *
     * @param entity the entity
     * @param from   start of the period asked for (inclusive), or null for open
     * @param to     end of the period asked for (exclusive), or null for open
     * @param points hourly windows, oldest first
     */
    public record Trend(EntitySummary entity, Instant from, Instant to, List<TrendPoint> points) {
        public Trend {
            points = List.copyOf(points);
        }
    }
}
