package dev.newsline.sink.store;

import dev.newsline.model.EntityType;
import java.time.Instant;

/**
 * A stored entity.
 *
 * @param id        canonical entity id, e.g. {@code per:elena-varga}
 * @param name      canonical name
 * @param type      entity type
 * @param firstSeen earliest publication time of an article naming it, or null if none was dated
 * @param lastSeen  latest publication time of an article naming it, or null if none was dated
 */
public record EntitySummary(String id, String name, EntityType type, Instant firstSeen, Instant lastSeen) {
}
