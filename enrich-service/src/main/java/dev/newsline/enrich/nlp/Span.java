package dev.newsline.enrich.nlp;

import dev.newsline.model.EntityType;
import dev.newsline.model.TextField;

/**
 * A run of tokens in one field named as an entity.
 *
 * @param field      field of the text
 * @param firstToken index of the first token in the field
 * @param endToken   index after the last token
 * @param start      start offset (inclusive)
 * @param end        end offset (exclusive)
 * @param text       the covered text
 * @param type       entity type given by the tagger (or by document consistency)
 */
public record Span(TextField field, int firstToken, int endToken, int start, int end, String text, EntityType type) {

    public Span withType(EntityType newType) {
        return new Span(field, firstToken, endToken, start, end, text, newType);
    }

    public boolean overlaps(Span other) {
        return field == other.field && firstToken < other.endToken && other.firstToken < endToken;
    }

    public int length() {
        return endToken - firstToken;
    }
}
