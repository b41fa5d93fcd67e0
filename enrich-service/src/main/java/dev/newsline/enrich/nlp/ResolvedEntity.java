package dev.newsline.enrich.nlp;

import dev.newsline.model.EntityType;
import java.util.List;

/**
 * One entity of a document with every span that names it.
 *
 * @param id       canonical id, e.g. {@code per:elena-varga}
 * @param name     canonical name
 * @param type     entity type
 * @param mentions spans in document order (title first)
 */
public record ResolvedEntity(String id, String name, EntityType type, List<Span> mentions) {
}
