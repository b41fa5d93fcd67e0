package dev.newsline.enrich.text;

import java.util.Locale;

/**
 * One token of a normalised text field.
 *
 * @param word     the token as it stands in the text
 * @param start    start offset in the field (inclusive)
 * @param end      end offset in the field (exclusive)
 * @param index    position among all tokens of the field
 * @param sentence index of the sentence (within the field) holding the token
 */
public record Token(String word, int start, int end, int index, int sentence) {

    public String lower() {
        return word.toLowerCase(Locale.ROOT);
    }

    public boolean isCapitalised() {
        return !word.isEmpty() && Character.isUpperCase(word.codePointAt(0));
    }

    public boolean isQuote() {
        return word.equals("\"") || word.equals("``") || word.equals("''") || word.equals("\u201c")
                || word.equals("\u201d");
    }
}
