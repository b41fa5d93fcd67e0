package dev.newsline.enrich.lexicon;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Word valence (-4..4), negators and intensifiers, from {@code lexicon/sentiment.tsv},
 * {@code negators.txt} and {@code intensifiers.tsv} (written for Newsline; see lexicon/README.md).
 * Immutable once loaded.
 */
public final class SentimentLexicon {

    private final Map<String, Double> valence;
    private final Set<String> negators;
    private final Map<String, Double> intensifiers;

    private SentimentLexicon(Map<String, Double> valence, Set<String> negators, Map<String, Double> intensifiers) {
        this.valence = Map.copyOf(valence);
        this.negators = Set.copyOf(negators);
        this.intensifiers = Map.copyOf(intensifiers);
    }

    public static SentimentLexicon load() {
        Map<String, Double> valence = new HashMap<>();
        for (String[] row : LexiconFile.resource("/lexicon/sentiment.tsv", 2)) {
            valence.put(row[0], Double.parseDouble(row[1]));
        }
        Set<String> negators = new HashSet<>();
        for (String[] row : LexiconFile.resource("/lexicon/negators.txt", 1)) {
            negators.add(row[0]);
        }
        Map<String, Double> intensifiers = new HashMap<>();
        for (String[] row : LexiconFile.resource("/lexicon/intensifiers.tsv", 2)) {
            intensifiers.put(row[0], Double.parseDouble(row[1]));
        }
        return new SentimentLexicon(valence, negators, intensifiers);
    }

    /** Valence of a lower-cased word, 0 when unknown. */
    public double valence(String lower) {
        return valence.getOrDefault(lower, 0.0);
    }

    public boolean isNegator(String lower) {
        return negators.contains(lower);
    }

    /** Multiplier of a degree word, 1 when it is none. */
    public double intensity(String lower) {
        return intensifiers.getOrDefault(lower, 1.0);
    }
}
