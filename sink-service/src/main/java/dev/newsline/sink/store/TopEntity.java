package dev.newsline.sink.store;

import dev.newsline.model.EntityType;

/**
 * An entity ranked by the articles naming it in a period.
 *
 * @param id            canonical entity id
 * @param name          canonical name
 * @param type          entity type
 * @param articleCount  articles in the period naming the entity
 * @param meanSentiment mean of the entity's per-article sentiment score over those articles
 */
public record TopEntity(String id, String name, EntityType type, long articleCount, double meanSentiment) {
}
