package dev.newsline.enrich.sentiment;

import dev.newsline.enrich.lexicon.SentimentLexicon;
import dev.newsline.enrich.nlp.ResolvedEntity;
import dev.newsline.enrich.nlp.Span;
import dev.newsline.enrich.text.FieldText;
import dev.newsline.enrich.text.Sentence;
import dev.newsline.enrich.text.Token;
import dev.newsline.model.SentimentLabel;
import dev.newsline.model.TextField;
import java.util.List;
import java.util.Map;

/**
 * Target-dependent sentiment: how the article portrays one entity. Only the words of the
 * sentences that mention the entity count, weighted by their distance to the mention; words in
 * another quote region than the mention do not count (a speaker's own quote is about something
 * else), nor do words inside entity names. A negator shortly before a word flips it; a degree
 * word before it scales it.
 */
public final class EntitySentiment {

    /** Scores at or beyond these bounds get a non-neutral label. */
    static final double POSITIVE_AT = 0.05;
    static final double NEGATIVE_AT = -0.05;
    private static final int NEGATION_WINDOW = 3;
    private static final double NORMALISER = 6.0;

    /** A score and its label. */
    public record Score(double score, SentimentLabel label) {
    }

    private final SentimentLexicon lexicon;

    public EntitySentiment(SentimentLexicon lexicon) {
        this.lexicon = lexicon;
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
        int[] quoteRegion = quoteRegions(tokens, sentence);
        int mentionRegion = quoteRegion[mention.firstToken() - sentence.firstToken()];
        double total = 0;
        for (int i = sentence.firstToken(); i < sentence.endToken(); i++) {
            if (inMention[i] || quoteRegion[i - sentence.firstToken()] != mentionRegion) {
                continue;
            }
            double valence = lexicon.valence(tokens.get(i).lower());
            if (valence == 0) {
                continue;
            }
            valence *= modifiers(tokens, sentence, i);
            int distance = i < mention.firstToken() ? mention.firstToken() - i : i - mention.endToken() + 1;
            total += valence / (1.0 + distance / 4.0);
        }
        return total / NORMALISER * 2;
    }

    private double modifiers(List<Token> tokens, Sentence sentence, int i) {
        double factor = 1.0;
        if (i - 1 >= sentence.firstToken()) {
            factor *= lexicon.intensity(tokens.get(i - 1).lower());
        }
        for (int k = Math.max(sentence.firstToken(), i - NEGATION_WINDOW); k < i; k++) {
            if (lexicon.isNegator(tokens.get(k).lower())) {
                factor *= -0.75;
                break;
            }
        }
        return factor;
    }

    /** Quote region of every token of the sentence: 0 outside quotes, 1.. for each quoted run. */
    static int[] quoteRegions(List<Token> tokens, Sentence sentence) {
        int[] region = new int[sentence.endToken() - sentence.firstToken()];
        boolean inside = false;
        int current = 0;
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
}
