package dev.newsline.enrich.stance;

import dev.newsline.enrich.lexicon.SentimentLexicon;
import dev.newsline.enrich.lexicon.StanceLexicon;
import dev.newsline.enrich.lexicon.StanceLexicon.Cue;
import dev.newsline.enrich.lexicon.StanceLexicon.Kind;
import dev.newsline.enrich.nlp.ResolvedEntity;
import dev.newsline.enrich.nlp.Span;
import dev.newsline.enrich.text.FieldText;
import dev.newsline.enrich.text.Sentence;
import dev.newsline.enrich.text.Token;
import dev.newsline.model.EntityType;
import dev.newsline.model.Evidence;
import dev.newsline.model.Stance;
import dev.newsline.model.StanceHolder;
import dev.newsline.model.StancePolarity;
import dev.newsline.model.StanceTarget;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Who supports or opposes what, read sentence by sentence from a cue lexicon and the shape of
 * the sentence around the cue:
 * <ul>
 *   <li>active verbs: "Varga rejected the plan" (holder = nearest subject-like entity before
 *       the cue, target = the phrase after it up to the clause end);</li>
 *   <li>passive verbs: "The plan was rejected by Varga";</li>
 *   <li>nouns and adjectives with their preposition: "voiced support for", "skeptical of",
 *       including relative clauses ("Varga, who has long been skeptical of the deal");</li>
 *   <li>negation flips the polarity ("did not support");</li>
 *   <li>pronoun subjects resolve to the last person (he/she) or organisation (it/they), and
 *       "we"/"I" inside a quote resolve to the quote's speaker.</li>
 * </ul>
 */
public final class StanceExtractor {

    private static final Set<String> BE = Set.of("was", "were", "is", "are", "been", "being", "be", "has", "have");
    private static final Set<String> PREPOSITIONS = Set.of("in", "at", "from", "of", "for", "with", "on", "to",
            "by", "into", "across", "against", "over", "under", "near", "about", "between", "among", "like");
    private static final Set<String> NOUN_DETERMINERS = Set.of("the", "a", "an", "its", "his", "her", "their", "our",
            "my", "your", "'s", "of", "for", "with", "no", "any", "strong", "broad", "public", "full", "growing",
            "widespread", "fierce", "firm", "vocal", "initial", "this", "that", "such", "some", "much", "little");
    private static final Set<String> CLAUSE_END = Set.of(".", ";", ":", "!", "?", "--", "(", ")");
    private static final Set<String> CLAUSE_WORDS = Set.of("and", "but", "because", "after", "while", "saying",
            "which", "who", "as", "when", "since", "although", "though", "if", "before", "despite", "amid", "arguing");
    private static final Set<String> SPEECH_VERBS = Set.of("said", "says", "say", "told", "added", "stated", "argued",
            "insisted", "warned", "wrote", "declared", "explained", "noted", "claimed", "replied", "tweeted", "according");
    /** Before "to" and a cue, these reverse it: "refused to endorse", "declined to back". */
    private static final Set<String> REFUSALS = Set.of("refused", "refuses", "refuse", "refusing", "declined",
            "declines", "decline", "declining");
    /** Bare "back" is a verb only after these ("would back", "to back"); elsewhere it is an adverb. */
    private static final Set<String> BEFORE_VERB_BACK = Set.of("would", "will", "to", "could", "should", "must",
            "might", "may", "can", "not", "n't", "did", "does", "do", "also", "strongly", "fully", "firmly", "cannot");
    private static final Cue BACK = new Cue(List.of("back"), StancePolarity.SUPPORT, Kind.VERB, "back");
    private static final Set<String> RELATIVE = Set.of("who", "which", "that", "whose");
    private static final int MAX_TARGET_TOKENS = 12;
    private static final int HOLDER_WINDOW = 25;

    private final StanceLexicon cues;
    private final SentimentLexicon sentiment;

    public StanceExtractor(StanceLexicon cues, SentimentLexicon sentiment) {
        this.cues = cues;
        this.sentiment = sentiment;
    }

    /** The stances of one field. {@code entityOfToken[i]} is the entity index of token i or -1. */
    public List<Stance> extract(FieldText text, List<ResolvedEntity> entities, int[] entityOfToken) {
        List<Stance> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<Token> tokens = text.tokens();
        List<String> lower = text.lowerWords();
        for (Sentence sentence : text.sentences()) {
            for (int i = sentence.firstToken(); i < sentence.endToken(); i++) {
                if (entityOfToken[i] >= 0) {
                    continue;
                }
                Cue cue = cues.match(lower.subList(0, sentence.endToken()), i);
                if (cue == null && lower.get(i).equals("back") && i > sentence.firstToken()
                        && BEFORE_VERB_BACK.contains(lower.get(i - 1))) {
                    cue = BACK;
                }
                if (cue == null) {
                    continue;
                }
                for (Stance stance : read(text, entities, entityOfToken, lower, sentence, i, cue)) {
                    String key = stance.getHolder().getId() + "|" + stance.getTarget().getText() + "|" + sentence.index();
                    if (seen.add(key)) {
                        out.add(stance);
                    }
                }
                i += cue.words().size() - 1;
            }
        }
        return out;
    }

    private List<Stance> read(FieldText text, List<ResolvedEntity> entities, int[] entityOfToken, List<String> lower,
                              Sentence sentence, int cueAt, Cue cue) {
        int afterCue = cueAt + cue.words().size();
        Kind kind = cue.kind();
        int targetStart;
        if (kind == Kind.VERB) {
            targetStart = afterCue;
        } else {
            Set<String> preps = cues.prepositionsFor(cue);
            if (afterCue < sentence.endToken() && preps.contains(lower.get(afterCue))) {
                targetStart = afterCue + 1;
            } else if (afterCue + 1 < sentence.endToken() && preps.contains(lower.get(afterCue) + " " + lower.get(afterCue + 1))) {
                targetStart = afterCue + 2;
            } else if (cueAt > sentence.firstToken() && !NOUN_DETERMINERS.contains(lower.get(cueAt - 1))
                    && !BE.contains(lower.get(cueAt - 1))
                    && (kind == Kind.NOUN || lower.get(cueAt).endsWith("ed"))
                    && afterCue < sentence.endToken() && !CLAUSE_END.contains(lower.get(afterCue))) {
                // a noun or participle form used as a verb: "unions support the bill", "Reinholt opposed it"
                kind = Kind.VERB;
                targetStart = afterCue;
            } else {
                return List.of();
            }
        }

        Holder holder = null;
        boolean passiveForm = kind == Kind.VERB && cueAt > sentence.firstToken() && BE.contains(lower.get(cueAt - 1))
                && !lower.get(cueAt - 1).equals("has") && !lower.get(cueAt - 1).equals("have");
        boolean passive = passiveForm && afterCue < sentence.endToken() && lower.get(afterCue).equals("by");
        if (passiveForm && !passive) {
            // "Ferrante was praised for ...": the subject is the target and the holder is unnamed
            return List.of();
        }
        int targetEnd;
        if (passive) {
            holder = agentAfter(text, entityOfToken, entities, afterCue + 1, sentence);
            int subjectStart = clauseStartBefore(lower, sentence, cueAt - 1);
            targetStart = subjectStart;
            targetEnd = cueAt - 1;
        } else {
            holder = holderBefore(text, entities, entityOfToken, lower, sentence, cueAt);
            targetEnd = clauseEnd(lower, sentence, targetStart);
        }
        if (holder == null || targetEnd <= targetStart) {
            return List.of();
        }
        while (targetEnd > targetStart && CLAUSE_END.contains(lower.get(targetEnd - 1))) {
            targetEnd--;
        }
        if (targetEnd <= targetStart) {
            return List.of();
        }
        ResolvedEntity target = headEntity(entityOfToken, entities, lower, targetStart, targetEnd);
        StancePolarity polarity = cue.polarity();
        if (negatedBefore(lower, Math.max(holder.endToken, cueAt - 4), cueAt) || refusedBefore(lower, holder.endToken, cueAt)) {
            polarity = polarity == StancePolarity.SUPPORT ? StancePolarity.OPPOSE : StancePolarity.SUPPORT;
        }
        List<Holder> holders = new ArrayList<>();
        holders.add(holder);
        if (!passive && !holder.viaPronoun) {
            holders.addAll(coordinated(entityOfToken, entities, lower, sentence, holder));
        }
        List<Stance> out = new ArrayList<>();
        for (Holder h : holders) {
            if (target != null && target.id().equals(h.entity.id())) {
                continue;
            }
            double confidence = 0.55 + (target != null ? 0.2 : 0) + (cueAt - h.endToken <= 3 ? 0.1 : 0)
                    - (h.viaPronoun ? 0.15 : 0) + (kind == Kind.VERB ? 0.05 : 0);
            out.add(Stance.newBuilder()
                    .setHolder(StanceHolder.newBuilder().setId(h.entity.id()).setName(h.entity.name()).build())
                    .setTarget(StanceTarget.newBuilder()
                            .setId(target == null ? null : target.id())
                            .setText(text.span(targetStart, targetEnd))
                            .build())
                    .setPolarity(polarity)
                    .setCue(text.span(cueAt, cueAt + cue.words().size()))
                    .setEvidence(Evidence.newBuilder().setField(text.field()).setStart(sentence.start()).setEnd(sentence.end()).build())
                    .setConfidence(Math.round(Math.min(1.0, Math.max(0.0, confidence)) * 100) / 100.0)
                    .build());
        }
        return out;
    }

    /**
     * Further holders joined to the first by "and" or commas: "Varga and Reinholt rejected",
     * "Greenfield Alliance, the unions and the Farmers Union backed".
     */
    private static List<Holder> coordinated(int[] entityOfToken, List<ResolvedEntity> entities, List<String> lower,
                                            Sentence sentence, Holder holder) {
        List<Holder> more = new ArrayList<>();
        int k = holder.startToken - 1;
        if (k >= sentence.firstToken() && lower.get(k).equals("the")) {
            k--;
        }
        while (k - 1 >= sentence.firstToken() && (lower.get(k).equals("and") || lower.get(k).equals(","))) {
            int e = k - 1;
            if (lower.get(e).equals("the") && e - 1 >= sentence.firstToken()) {
                e--;
            }
            if (entityOfToken[e] < 0) {
                break;
            }
            int start = e;
            while (start - 1 >= sentence.firstToken() && entityOfToken[start - 1] == entityOfToken[e]) {
                start--;
            }
            if (start - 1 >= sentence.firstToken() && PREPOSITIONS.contains(lower.get(start - 1))) {
                break;
            }
            more.add(new Holder(entities.get(entityOfToken[e]), start, e + 1, false));
            k = start - 1;
        }
        return more;
    }

    /** "refused to endorse": a refusal verb, then "to", right before the cue. */
    private static boolean refusedBefore(List<String> lower, int from, int cueAt) {
        for (int k = Math.max(from, cueAt - 3); k + 1 < cueAt; k++) {
            if (REFUSALS.contains(lower.get(k)) && lower.get(k + 1).equals("to")) {
                return true;
            }
        }
        return false;
    }

    private record Holder(ResolvedEntity entity, int startToken, int endToken, boolean viaPronoun) {
    }

    private Holder holderBefore(FieldText text, List<ResolvedEntity> entities, int[] entityOfToken, List<String> lower,
                                Sentence sentence, int cueAt) {
        List<Token> tokens = text.tokens();
        int[] quote = quoteDepth(tokens, sentence);
        boolean cueQuoted = quote[cueAt - sentence.firstToken()] > 0;
        int from = Math.max(sentence.firstToken(), cueAt - HOLDER_WINDOW);
        for (int k = cueAt - 1; k >= from; k--) {
            String w = lower.get(k);
            if (w.equals(";")) {
                break;
            }
            if (entityOfToken[k] >= 0) {
                int start = k;
                while (start - 1 >= sentence.firstToken() && entityOfToken[start - 1] == entityOfToken[k]) {
                    start--;
                }
                boolean objectOfPreposition = start - 1 >= sentence.firstToken()
                        && (PREPOSITIONS.contains(lower.get(start - 1))
                            || (start - 2 >= sentence.firstToken() && lower.get(start - 1).equals("the")
                                && PREPOSITIONS.contains(lower.get(start - 2))));
                boolean possessor = k + 1 < cueAt && (lower.get(k + 1).equals("'s") || lower.get(k + 1).equals("\u2019s"));
                // "drafted by Lindqvist, who has shown skepticism towards ...": the relative clause's subject
                boolean relative = (k + 1 < cueAt && RELATIVE.contains(lower.get(k + 1)))
                        || (k + 2 < cueAt && lower.get(k + 1).equals(",") && RELATIVE.contains(lower.get(k + 2)));
                if (!objectOfPreposition || possessor || relative) {
                    return new Holder(entities.get(entityOfToken[k]), start, k + 1, false);
                }
                k = start;
                continue;
            }
            if (cueAt - k <= 5) {
                Holder pronoun = resolvePronoun(text, entities, entityOfToken, lower, sentence, k, cueQuoted);
                if (pronoun != null) {
                    return pronoun;
                }
            }
        }
        return null;
    }

    private Holder resolvePronoun(FieldText text, List<ResolvedEntity> entities, int[] entityOfToken, List<String> lower,
                                  Sentence sentence, int at, boolean quoted) {
        String w = lower.get(at);
        if (quoted && (w.equals("we") || w.equals("i"))) {
            ResolvedEntity speaker = quoteSpeaker(text, entities, entityOfToken, lower, sentence);
            return speaker == null ? null : new Holder(speaker, at, at + 1, true);
        }
        EntityType wanted = switch (w) {
            case "he", "she" -> EntityType.PERSON;
            case "it" -> EntityType.ORGANIZATION;
            default -> null;
        };
        if (wanted == null) {
            return null;
        }
        for (int k = at - 1; k >= 0; k--) {
            int e = entityOfToken[k];
            if (e >= 0 && entities.get(e).type() == wanted) {
                return new Holder(entities.get(e), at, at + 1, true);
            }
        }
        return null;
    }

    /** The entity that speaks the quote of this sentence: "…," Varga said / Varga said: "…". */
    private ResolvedEntity quoteSpeaker(FieldText text, List<ResolvedEntity> entities, int[] entityOfToken,
                                        List<String> lower, Sentence sentence) {
        for (int k = sentence.firstToken(); k < sentence.endToken(); k++) {
            if (SPEECH_VERBS.contains(lower.get(k))) {
                for (int d = 1; d <= 3; d++) {
                    for (int j : new int[] {k - d, k + d}) {
                        if (j >= sentence.firstToken() && j < sentence.endToken() && entityOfToken[j] >= 0) {
                            ResolvedEntity e = entities.get(entityOfToken[j]);
                            if (e.type() == EntityType.PERSON || e.type() == EntityType.ORGANIZATION) {
                                return e;
                            }
                        }
                    }
                }
            }
        }
        return null;
    }

    private static int[] quoteDepth(List<Token> tokens, Sentence sentence) {
        int[] depth = new int[sentence.endToken() - sentence.firstToken()];
        boolean inside = false;
        for (int i = sentence.firstToken(); i < sentence.endToken(); i++) {
            if (tokens.get(i).isQuote()) {
                inside = !inside;
            }
            depth[i - sentence.firstToken()] = inside ? 1 : 0;
        }
        return depth;
    }

    private boolean negatedBefore(List<String> lower, int from, int to) {
        for (int k = Math.max(0, from); k < to; k++) {
            if (sentiment.isNegator(lower.get(k))) {
                return true;
            }
        }
        return false;
    }

    /** The agent of a passive: the entity after "by", past "the" and a title ("by President Okoye"). */
    private static Holder agentAfter(FieldText text, int[] entityOfToken, List<ResolvedEntity> entities, int at,
                                     Sentence sentence) {
        int k = at;
        while (k < sentence.endToken() && k < at + 4 && entityOfToken[k] < 0
                && (text.lowerWords().get(k).equals("the") || text.tokens().get(k).isCapitalised())) {
            k++;
        }
        if (k >= sentence.endToken() || entityOfToken[k] < 0) {
            return null;
        }
        int end = k;
        while (end < sentence.endToken() && entityOfToken[end] == entityOfToken[k]) {
            end++;
        }
        return new Holder(entities.get(entityOfToken[k]), k, end, false);
    }

    /**
     * The entity the target is about when it heads the target phrase ("Alpine Steel Corp over the
     * layoffs", "the Valdoria plan"); none when the entity only stands in a modifier ("the arrest of
     * journalists in Port Kessel" is about the arrest).
     */
    private static ResolvedEntity headEntity(int[] entityOfToken, List<ResolvedEntity> entities, List<String> lower,
                                             int from, int to) {
        int k = from;
        if (k < to && (lower.get(k).equals("the") || lower.get(k).equals("a") || lower.get(k).equals("an"))) {
            k++;
        }
        return k < to && entityOfToken[k] >= 0 ? entities.get(entityOfToken[k]) : null;
    }

    private static int clauseStartBefore(List<String> lower, Sentence sentence, int before) {
        int k = before - 1;
        while (k >= sentence.firstToken() && !lower.get(k).equals(",") && !CLAUSE_END.contains(lower.get(k))) {
            k--;
        }
        return k + 1;
    }

    private static int clauseEnd(List<String> lower, Sentence sentence, int start) {
        int limit = Math.min(sentence.endToken(), start + MAX_TARGET_TOKENS);
        for (int k = start; k < limit; k++) {
            String w = lower.get(k);
            boolean boundary = CLAUSE_END.contains(w) || w.equals("\"") || w.equals("''") || w.equals("``")
                    || ((w.equals(",") || CLAUSE_WORDS.contains(w)) && k > start);
            if (boundary) {
                return k;
            }
        }
        return limit;
    }
}
