package dev.newsline.enrich.sentiment;

import dev.newsline.enrich.lexicon.SentimentLexicon;
import dev.newsline.enrich.text.FieldText;
import dev.newsline.enrich.text.Token;
import dev.newsline.model.Tone;
import java.util.List;

/** Document tone: positive and negative lexicon weight per 100 words, and their balance. */
public final class ToneScorer {

    private final SentimentLexicon lexicon;

    public ToneScorer(SentimentLexicon lexicon) {
        this.lexicon = lexicon;
    }

    public Tone score(List<FieldText> fields) {
        double positive = 0;
        double negative = 0;
        int words = 0;
        for (FieldText field : fields) {
            List<Token> tokens = field.tokens();
            for (int i = 0; i < tokens.size(); i++) {
                Token t = tokens.get(i);
                if (!Character.isLetterOrDigit(t.word().codePointAt(0))) {
                    continue;
                }
                words++;
                double v = lexicon.valence(t.lower());
                if (v == 0) {
                    continue;
                }
                if (negatedBefore(tokens, i)) {
                    v = -0.75 * v;
                }
                if (v > 0) {
                    positive += v;
                } else {
                    negative -= v;
                }
            }
        }
        double per100 = words == 0 ? 0 : 100.0 / words;
        double polarity = positive + negative == 0 ? 0 : (positive - negative) / (positive + negative);
        return Tone.newBuilder()
                .setPositive(round(positive * per100))
                .setNegative(round(negative * per100))
                .setPolarity(round(polarity))
                .build();
    }

    private boolean negatedBefore(List<Token> tokens, int i) {
        for (int k = Math.max(0, i - 3); k < i; k++) {
            if (tokens.get(k).sentence() == tokens.get(i).sentence() && lexicon.isNegator(tokens.get(k).lower())) {
                return true;
            }
        }
        return false;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
