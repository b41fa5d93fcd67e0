package dev.newsline.enrich.sentiment;

import dev.newsline.enrich.lexicon.SentimentLexicon;
import dev.newsline.enrich.lexicon.StanceLexicon;
import dev.newsline.enrich.lexicon.StanceLexicon.Cue;
import dev.newsline.enrich.lexicon.StanceLexicon.Kind;
import dev.newsline.enrich.nlp.ResolvedEntity;
import dev.newsline.enrich.nlp.Span;
import dev.newsline.enrich.text.FieldText;
import dev.newsline.enrich.text.Sentence;
import dev.newsline.enrich.text.Token;
import dev.newsline.model.SentimentLabel;
import dev.newsline.model.StancePolarity;
import dev.newsline.model.TextField;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Target-dependent sentiment: how the article portrays one entity. Only the words of the
 * sentences that mention the entity count, weighted by their distance to the mention and by
 * who they are about:
 * <ul>
 *   <li>the entity's own words do not describe it: a quote it speaks or the speech it reports
 *       ("Varga said the plan was a disaster") is left out, while a quote by someone else in a
 *       sentence that names the entity counts, a little less than the narrator's words;</li>
 *   <li>a directed verb portrays its object, not its subject: in "Varga praised Reinholt" the
 *       praise is Reinholt's (and "Reinholt was praised by Varga" the same), and Varga gets only
 *       a little of it; the stance verbs count as directed, and their object takes a modest
 *       valence of their polarity when the verb has none of its own ("Varga backed Reinholt");</li>
 *   <li>a stance noun or adjective followed by its preposition portrays what the preposition
 *       introduces ("support for Reinholt", "critical of Reinholt") in the same way, and anyone
 *       else in the sentence only a little;</li>
 *   <li>words inside entity names do not count; a negator shortly before a word flips it; a
 *       degree word before it scales it.</li>
 * </ul>
 * The weights were set by hand and checked on the NewsMTSC development splits (see the enrich
 * issue); the word lists were not derived from those data.
 */
public final class EntitySentiment {

    /** Scores at or beyond these bounds get a non-neutral label. */
    static final double POSITIVE_AT = 0.05;
    static final double NEGATIVE_AT = -0.05;
    private static final int NEGATION_WINDOW = 3;
    private static final double NORMALISER = 6.0;
    /** Weight of a word in a quote that the entity neither speaks nor stands in. */
    static final double OTHER_QUOTE = 0.7;
    /** Weight of a directed verb for its subject ("Varga" in "Varga praised Reinholt"). */
    static final double SUBJECT_OF_DIRECTED = 0.25;
    /** Valence the object of a stance verb takes when the verb has none of its own. */
    static final double STANCE_OBJECT_VALENCE = 1.0;

    private static final Set<String> SPEECH_VERBS = Set.of("said", "says", "say", "told", "tells", "added", "adds",
            "stated", "states", "argued", "argues", "insisted", "insists", "wrote", "writes", "declared", "declares",
            "explained", "explains", "noted", "notes", "claimed", "claims", "tweeted", "tweets", "replied", "replies",
            "responded", "responds", "asked", "asks", "suggested", "suggests", "recalled", "recalls", "acknowledged",
            "acknowledges", "admitted", "admits", "warned", "warns", "announced", "announces", "believes", "believed",
            "thinks", "contended", "contends", "maintained", "maintains", "posted", "testified", "predicted");
    /** Words that may stand between a speaker and the speech verb: "Varga also said", "Varga has said". */
    private static final Set<String> SPEECH_FILLERS = Set.of("also", "later", "then", "again", "has", "had", "have",
            "previously", "recently", "once", "reportedly", "publicly", "privately", "repeatedly", "further", "would",
            "will", "earlier", "often", "always", "never");
    private static final Set<String> PUNCTUATION = Set.of(",", ".", ";", ":", "!", "?", "(", ")", "--", "-",
            "\u2014", "\u2013");
    private static final Set<String> BE = Set.of("was", "were", "is", "are", "been", "being", "be", "get", "got",
            "gets", "getting");

    /** A score and its label. */
    public record Score(double score, SentimentLabel label) {
    }

    private final SentimentLexicon lexicon;
    private final StanceLexicon stances;

    public EntitySentiment(SentimentLexicon lexicon, StanceLexicon stances) {
        this.lexicon = lexicon;
        this.stances = stances;
    }

    /**
     * @param fields     the article's fields by field
     * @param inMention  per field, whether each token is part of any entity mention
     */
    public Score score(ResolvedEntity entity, Map<TextField, FieldText> fields, Map<TextField, boolean[]> inMention) {
        double sum = 0;
        int counted = 0;
        for (Span mention : entity.mentions()) {
            FieldText text = fields.get(mention.field());
            sum += mentionScore(text, mention, inMention.get(mention.field()));
            counted++;
        }
        double raw = counted == 0 ? 0 : sum / counted;
        double score = raw / Math.sqrt(raw * raw + 1.0);
        return new Score(score, label(score));
    }

    public static SentimentLabel label(double score) {
        if (score >= POSITIVE_AT) {
            return SentimentLabel.POSITIVE;
        }
        if (score <= NEGATIVE_AT) {
            return SentimentLabel.NEGATIVE;
        }
        return SentimentLabel.NEUTRAL;
    }

    private double mentionScore(FieldText text, Span mention, boolean[] inMention) {
        List<Token> tokens = text.tokens();
        Sentence sentence = text.sentenceOf(tokens.get(mention.firstToken()));
        int first = sentence.firstToken();
        int[] quoteRegion = quoteRegions(tokens, sentence);
        int mentionRegion = quoteRegion[mention.firstToken() - first];
        boolean[] own = ownWords(tokens, sentence, mention, quoteRegion);
        List<String> lower = text.lowerWords().subList(0, sentence.endToken());
        double total = 0;
        for (int i = first; i < sentence.endToken(); i++) {
            if (inMention[i] || quoteRegion[i - first] < 0 || (own != null && own[i - first])) {
                continue;
            }
            String word = lower.get(i);
            double valence = lexicon.valence(word);
            Cue cue = stances.match(lower, i);
            boolean stanceVerb = cue != null && cue.kind() == Kind.VERB;
            boolean directed = stanceVerb || lexicon.isDirected(word);
            boolean passive = i > first && BE.contains(lower.get(i - 1));
            // the side of the verb its sentiment is about: the object, or the subject of a passive
            boolean aboutTarget = !directed || (mention.firstToken() > i) != passive;
            if (valence == 0 && stanceVerb && aboutTarget && mention.firstToken() > i) {
                valence = cue.polarity() == StancePolarity.SUPPORT ? STANCE_OBJECT_VALENCE : -STANCE_OBJECT_VALENCE;
            }
            if (cue != null && !stanceVerb) {
                // "support for Varga", "critical of Varga": the noun or adjective is about what follows
                // its preposition; for anyone else in the sentence (its holder) it counts a little
                int after = i + cue.words().size();
                if (after < sentence.endToken() && stances.prepositionsFor(cue).contains(lower.get(after))) {
                    aboutTarget = mention.firstToken() > after && mention.firstToken() <= after + 2;
                    if (valence == 0 && aboutTarget) {
                        valence = cue.polarity() == StancePolarity.SUPPORT ? STANCE_OBJECT_VALENCE : -STANCE_OBJECT_VALENCE;
                    }
                }
            }
            if (valence == 0) {
                continue;
            }
            valence *= modifiers(lower, sentence, i);
            int distance = i < mention.firstToken() ? mention.firstToken() - i : i - mention.endToken() + 1;
            double weight = 1.0 / (1.0 + distance / 4.0);
            if (!aboutTarget) {
                weight *= SUBJECT_OF_DIRECTED;
            }
            if (quoteRegion[i - first] != mentionRegion) {
                weight *= OTHER_QUOTE;
            }
            total += valence * weight;
        }
        return total / NORMALISER * 2;
    }

    /**
     * The words the entity itself says in this sentence, when the mention is a speaker: the whole
     * sentence but the speaker and what stands between it and the speech verb, quotes included
     * ("Varga said the plan ...", "Varga said the reckless plan was "a disaster"", "Varga, the
     * finance minister, said ...", "..., said Varga", "according to Varga"). Null when the mention
     * is not a speaker; a name after "said" is the speaker only when the sentence or clause ends
     * there ("..., said Varga." but not "Reinholt, the minister, said Varga would ...").
     */
    static boolean[] ownWords(List<Token> tokens, Sentence sentence, Span mention, int[] quoteRegion) {
        int first = sentence.firstToken();
        int end = sentence.endToken();
        if (quoteRegion[mention.firstToken() - first] != 0) {
            return null;
        }
        int verb = speechVerbAfter(tokens, mention.endToken(), end);
        int before = mention.firstToken() - 1;
        if (verb < 0 && before >= first && SPEECH_VERBS.contains(tokens.get(before).lower())
                && (before == first || isQuoteOrComma(tokens.get(before - 1)))
                && (mention.endToken() == end || isPunctuation(tokens.get(mention.endToken())))) {
            // inverted attribution: "...," said Varga; not "Trump said Kelly behaved ...", nor
            // "Sisi, a general, said Trump would ..."
            verb = before;
        }
        if (verb < 0 && before - 1 >= first && tokens.get(before - 1).lower().equals("according")
                && tokens.get(before).lower().equals("to")) {
            verb = before - 1;
        }
        if (verb < 0) {
            return null;
        }
        boolean[] own = new boolean[end - first];
        int from = Math.min(verb, mention.firstToken());
        int to = Math.max(verb, mention.endToken() - 1);
        for (int i = first; i < end; i++) {
            own[i - first] = i < from || i > to || quoteRegion[i - first] > 0;
        }
        return own;
    }

    /** Index of the speech verb right after a name, past fillers and an apposition, or -1. */
    private static int speechVerbAfter(List<Token> tokens, int from, int end) {
        int k = from;
        if (k < end && tokens.get(k).word().equals(",")) {
            // "Varga, the finance minister, said": skip a short apposition up to its closing comma
            int close = -1;
            for (int j = k + 1; j < end && j <= k + 10; j++) {
                if (tokens.get(j).word().equals(",")) {
                    close = j;
                    break;
                }
            }
            k = close < 0 ? k + 1 : close + 1;
        }
        int limit = k + 2;
        while (k < end && k < limit && SPEECH_FILLERS.contains(tokens.get(k).lower())) {
            k++;
        }
        return k < end && SPEECH_VERBS.contains(tokens.get(k).lower()) ? k : -1;
    }

    private static boolean isPunctuation(Token t) {
        return t.isQuote() || PUNCTUATION.contains(t.word());
    }

    private static boolean isQuoteOrComma(Token t) {
        return t.isQuote() || t.word().equals(",") || t.word().equals("'");
    }

    private double modifiers(List<String> lower, Sentence sentence, int i) {
        double factor = 1.0;
        if (i - 1 >= sentence.firstToken()) {
            factor *= lexicon.intensity(lower.get(i - 1));
        }
        for (int k = Math.max(sentence.firstToken(), i - NEGATION_WINDOW); k < i; k++) {
            if (lexicon.isNegator(lower.get(k))) {
                factor *= -0.75;
                break;
            }
        }
        return factor;
    }

    /** Quote region of every token of the sentence: 0 outside quotes, 1.. for each quoted run, -1 for a quote mark. */
    static int[] quoteRegions(List<Token> tokens, Sentence sentence) {
        int[] region = new int[sentence.endToken() - sentence.firstToken()];
        // a sentence that goes on with a quote opened in the sentence before: its first quote mark
        // closes, right after the quote's own punctuation ("... drug," Kelly said.)
        boolean inside = continuesQuote(tokens, sentence);
        int current = inside ? 1 : 0;
        for (int i = sentence.firstToken(); i < sentence.endToken(); i++) {
            Token t = tokens.get(i);
            if (t.isQuote()) {
                boolean opens = t.word().equals("``") || t.word().equals("\u201c") || (t.word().equals("\"") && !inside);
                if (opens && !inside) {
                    inside = true;
                    current++;
                } else {
                    inside = false;
                }
                region[i - sentence.firstToken()] = -1;
                continue;
            }
            region[i - sentence.firstToken()] = inside ? current : 0;
        }
        return region;
    }

    private static boolean continuesQuote(List<Token> tokens, Sentence sentence) {
        for (int i = sentence.firstToken(); i < sentence.endToken(); i++) {
            Token t = tokens.get(i);
            if (t.isQuote()) {
                boolean closing = t.word().equals("\u201d") || t.word().equals("''");
                boolean afterPunctuation = i > sentence.firstToken()
                        && Set.of(",", ".", "?", "!").contains(tokens.get(i - 1).word());
                return i > sentence.firstToken() && (closing || (t.word().equals("\"") && afterPunctuation));
            }
        }
        return false;
    }
}
