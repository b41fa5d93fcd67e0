package dev.newsline.enrich.text;

import java.util.List;

/**
 * A sentence of one field: its token range and character span.
 *
 * @param index      sentence index within the field
 * @param firstToken index of the first token
 * @param endToken   index after the last token
 * @param start      start offset of the first token
 * @param end        end offset of the last token
 */
public record Sentence(int index, int firstToken, int endToken, int start, int end) {

    public List<Token> tokens(List<Token> fieldTokens) {
        return fieldTokens.subList(firstToken, endToken);
    }
}
