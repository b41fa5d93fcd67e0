package dev.newsline.enrich.lexicon;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Word valence (-4..4), negators, intensifiers and directed verbs, from {@code lexicon/sentiment.tsv},
 * {@code negators.txt}, {@code intensifiers.tsv} and {@code directed-verbs.txt} (written for
 * Newsline; see lexicon/README.md). Immutable once loaded.
 */
public final class SentimentLexicon {

    private final Map<String, Double> valence;
    private final Set<String> negators;
    private final Map<String, Double> intensifiers;
    private final Set<String> directed;

    private SentimentLexicon(Map<String, Double> valence, Set<String> negators, Map<String, Double> intensifiers,
                             Set<String> directed) {
        this.valence = Map.copyOf(valence);
        this.negators = Set.copyOf(negators);
        this.intensifiers = Map.copyOf(intensifiers);
        this.directed = Set.copyOf(directed);
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
        Set<String> directed = new HashSet<>();
        for (String[] row : LexiconFile.resource("/lexicon/directed-verbs.txt", 1)) {
            directed.add(row[0]);
        }
        return new SentimentLexicon(valence, negators, intensifiers, directed);
    }

    /**
     * Valence of a lower-cased word, 0 when unknown. A hyphenated word not listed takes the
     * valence of its last part ("hard-won" as "won"), reversed after "anti" ("anti-corruption")
     * and none after "non".
     */
    public double valence(String lower) {
        Double v = valence.get(lower);
        if (v != null) {
            return v;
        }
        int hyphen = lower.lastIndexOf('-');
        if (hyphen <= 0 || hyphen == lower.length() - 1) {
            return 0.0;
        }
        double last = valence.getOrDefault(lower.substring(hyphen + 1), 0.0);
        if (last == 0.0) {
            return 0.0;
        }
        String first = lower.substring(0, lower.indexOf('-'));
        return switch (first) {
            case "anti" -> -last;
            case "non" -> 0.0;
            default -> last;
        };
    }

    /** Whether the word is a verb whose sentiment portrays its object, not its subject ("praised"). */
    public boolean isDirected(String lower) {
        return directed.contains(lower);
    }

    public boolean isNegator(String lower) {
        return negators.contains(lower);
    }

    /** Multiplier of a degree word, 1 when it is none. */
    public double intensity(String lower) {
        return intensifiers.getOrDefault(lower, 1.0);
    }
}
