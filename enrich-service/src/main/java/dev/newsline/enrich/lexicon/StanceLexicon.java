package dev.newsline.enrich.lexicon;

import dev.newsline.model.StancePolarity;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Stance cues ({@code lexicon/stance-cues.tsv}: surface form, SUPPORT/OPPOSE, VERB/NOUN/ADJ,
 * lemma; a form may be several words) and the prepositions that introduce the target of a noun
 * or adjective cue ({@code lexicon/stance-prepositions.tsv}). Immutable once loaded.
 */
public final class StanceLexicon {

    /** Part of speech of a cue. */
    public enum Kind { VERB, NOUN, ADJ }

    /** A cue: its words (lower case), polarity, kind and lemma. */
    public record Cue(List<String> words, StancePolarity polarity, Kind kind, String lemma) {
    }

    private final Map<String, List<Cue>> byFirstWord;
    private final Map<String, Set<String>> prepositions;
    private final int longest;

    private StanceLexicon(Map<String, List<Cue>> byFirstWord, Map<String, Set<String>> prepositions, int longest) {
        this.byFirstWord = byFirstWord;
        this.prepositions = prepositions;
        this.longest = longest;
    }

    public static StanceLexicon load() {
        Map<String, List<Cue>> byFirst = new HashMap<>();
        int longest = 1;
        for (String[] row : LexiconFile.resource("/lexicon/stance-cues.tsv", 4)) {
            List<String> words = List.of(row[0].toLowerCase(Locale.ROOT).split("\\s+"));
            Cue cue = new Cue(words, StancePolarity.valueOf(row[1]), Kind.valueOf(row[2]), row[3]);
            byFirst.computeIfAbsent(words.get(0), k -> new java.util.ArrayList<>()).add(cue);
            longest = Math.max(longest, words.size());
        }
        // longest cue first, so "voted against" wins over "voted"
        byFirst.values().forEach(list -> list.sort((a, b) -> b.words().size() - a.words().size()));
        Map<String, Set<String>> preps = new HashMap<>();
        for (String[] row : LexiconFile.resource("/lexicon/stance-prepositions.tsv", 2)) {
            preps.computeIfAbsent(row[0].toLowerCase(Locale.ROOT), k -> new HashSet<>()).add(row[1].toLowerCase(Locale.ROOT));
        }
        Map<String, List<Cue>> frozen = new HashMap<>();
        byFirst.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        Map<String, Set<String>> frozenPreps = new HashMap<>();
        preps.forEach((k, v) -> frozenPreps.put(k, Set.copyOf(v)));
        return new StanceLexicon(Map.copyOf(frozen), Map.copyOf(frozenPreps), longest);
    }

    /** The longest cue starting at {@code words[from]}, or null. */
    public Cue match(List<String> lowerWords, int from) {
        List<Cue> candidates = byFirstWord.get(lowerWords.get(from));
        if (candidates == null) {
            return null;
        }
        for (Cue cue : candidates) {
            int n = cue.words().size();
            if (from + n <= lowerWords.size() && lowerWords.subList(from, from + n).equals(cue.words())) {
                return cue;
            }
        }
        return null;
    }

    /** Prepositions that introduce the target of a noun or adjective cue (by form or lemma). */
    public Set<String> prepositionsFor(Cue cue) {
        Set<String> out = new HashSet<>();
        out.addAll(prepositions.getOrDefault(String.join(" ", cue.words()), Set.of()));
        out.addAll(prepositions.getOrDefault(cue.lemma().toLowerCase(Locale.ROOT), Set.of()));
        return out;
    }

    public int longestCue() {
        return longest;
    }
}
