package dev.newsline.enrich.text;

import dev.newsline.model.TextField;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.process.CoreLabelTokenFactory;
import edu.stanford.nlp.process.PTBTokenizer;
import edu.stanford.nlp.process.WordToSentenceProcessor;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A normalised text field split into tokens and sentences. Line breaks always end a sentence
 * (feed text puts headlines, datelines and paragraphs on lines of their own); within a line
 * CoreNLP's PTB tokenizer and sentence splitter decide, and a sentence longer than
 * {@link #MAX_SENTENCE_TOKENS} tokens is analysed in pieces of that length.
 *
 * <p>The CoreNLP tokens are kept alongside ours because the NER model reads their features.
 */
public final class FieldText {

    /** Longest sentence analysed as one, in tokens; see {@link #pieces}. */
    public static final int MAX_SENTENCE_TOKENS = 250;

    private static final String TOKENIZER_OPTIONS = "untokenizable=noneDelete,invertible=false,splitHyphenated=false";

    private final TextField field;
    private final String text;
    private final List<Token> tokens;
    private final List<Sentence> sentences;
    private final List<List<CoreLabel>> sentenceLabels;
    private final List<String> lowerWords;

    private FieldText(TextField field, String text, List<Token> tokens, List<Sentence> sentences,
                      List<List<CoreLabel>> sentenceLabels) {
        this.field = field;
        this.text = text;
        this.tokens = tokens;
        this.sentences = sentences;
        this.sentenceLabels = sentenceLabels;
        this.lowerWords = tokens.stream().map(Token::lower).toList();
    }

    public static FieldText of(TextField field, String text) {
        List<Token> tokens = new ArrayList<>();
        List<Sentence> sentences = new ArrayList<>();
        List<List<CoreLabel>> labels = new ArrayList<>();
        WordToSentenceProcessor<CoreLabel> splitter = new WordToSentenceProcessor<>();
        int lineStart = 0;
        while (lineStart <= text.length()) {
            int lineEnd = text.indexOf('\n', lineStart);
            if (lineEnd < 0) {
                lineEnd = text.length();
            }
            String line = text.substring(lineStart, lineEnd);
            if (!line.isBlank()) {
                List<CoreLabel> lineTokens = new PTBTokenizer<>(new StringReader(line),
                        new CoreLabelTokenFactory(), TOKENIZER_OPTIONS).tokenize();
                joinListNumber(lineTokens);
                for (List<CoreLabel> sentence : pieces(splitter.process(lineTokens))) {
                    if (sentence.isEmpty()) {
                        continue;
                    }
                    int first = tokens.size();
                    for (CoreLabel label : sentence) {
                        int start = lineStart + label.beginPosition();
                        int end = lineStart + label.endPosition();
                        tokens.add(new Token(text.substring(start, end), start, end, tokens.size(), sentences.size()));
                    }
                    sentences.add(new Sentence(sentences.size(), first, tokens.size(),
                            tokens.get(first).start(), tokens.get(tokens.size() - 1).end()));
                    labels.add(sentence);
                }
            }
            lineStart = lineEnd + 1;
        }
        return new FieldText(field, text, Collections.unmodifiableList(tokens),
                Collections.unmodifiableList(sentences), Collections.unmodifiableList(labels));
    }

    /**
     * The sentences, with any longer than {@link #MAX_SENTENCE_TOKENS} cut into pieces of that many
     * tokens. Sentiment and stances read each mention's whole sentence, so their cost grows with
     * mentions times sentence length: a 100,000-character headline listing thousands of names took
     * longer to enrich than Kafka Streams' transaction timeout, and the retry of the aborted
     * transaction took as long again, forever. No written sentence comes near the limit.
     */
    private static List<List<CoreLabel>> pieces(List<List<CoreLabel>> sentences) {
        if (sentences.stream().allMatch(s -> s.size() <= MAX_SENTENCE_TOKENS)) {
            return sentences;
        }
        List<List<CoreLabel>> out = new ArrayList<>();
        for (List<CoreLabel> sentence : sentences) {
            for (int from = 0; from < sentence.size(); from += MAX_SENTENCE_TOKENS) {
                out.add(new ArrayList<>(sentence.subList(from, Math.min(sentence.size(), from + MAX_SENTENCE_TOKENS))));
            }
        }
        return out;
    }

    /**
     * "2. Venuste Niyongabo (Burundi) 3:51.01": a number and a full stop opening a line mark a
     * list item, not a sentence of their own; as one token ("2.") the item stays one sentence and
     * the tagger sees the token it was trained on.
     */
    private static void joinListNumber(List<CoreLabel> line) {
        if (line.size() < 3) {
            return;
        }
        CoreLabel number = line.get(0);
        CoreLabel stop = line.get(1);
        String digits = number.word();
        if (digits.length() > 3 || !digits.chars().allMatch(c -> c >= '0' && c <= '9') || !".".equals(stop.word())
                || number.endPosition() != stop.beginPosition()) {
            return;
        }
        CoreLabel joined = new CoreLabel(number);
        String text = digits + ".";
        joined.setWord(text);
        joined.setValue(text);
        joined.setOriginalText(text);
        joined.setEndPosition(stop.endPosition());
        line.set(0, joined);
        line.remove(1);
    }

    public TextField field() {
        return field;
    }

    public String text() {
        return text;
    }

    public List<Token> tokens() {
        return tokens;
    }

    /** Every token's word in lower case, by token index. */
    public List<String> lowerWords() {
        return lowerWords;
    }

    public List<Sentence> sentences() {
        return sentences;
    }

    /** CoreNLP tokens of sentence {@code i}, for the tagger; do not modify. */
    public List<CoreLabel> coreLabels(int sentence) {
        return sentenceLabels.get(sentence);
    }

    public Sentence sentenceOf(Token token) {
        return sentences.get(token.sentence());
    }

    public String span(int firstToken, int endToken) {
        return text.substring(tokens.get(firstToken).start(), tokens.get(endToken - 1).end());
    }
}
