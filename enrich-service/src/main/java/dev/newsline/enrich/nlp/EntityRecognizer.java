package dev.newsline.enrich.nlp;

import dev.newsline.enrich.text.FieldText;
import dev.newsline.enrich.text.Sentence;
import dev.newsline.enrich.text.Token;
import dev.newsline.model.EntityType;
import edu.stanford.nlp.ie.crf.CRFClassifier;
import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.ling.CoreLabel;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named-entity tagging with Stanford CoreNLP's CRF model for the CoNLL-2003 four classes
 * ({@value #MODEL}, extracted from the CoreNLP models jar at build time). The model is loaded
 * once and shared: {@code classifySentence} copies the tokens and computes the word-shape features
 * the model needs, keeping no state between calls.
 */
public final class EntityRecognizer {

    private static final Logger LOG = LoggerFactory.getLogger(EntityRecognizer.class);

    public static final String MODEL = "edu/stanford/nlp/models/ner/english.conll.4class.distsim.crf.ser.gz";

    /**
     * JVM options every JVM that tags should start with. CoreNLP computes the CRF's features in
     * one method of 10,370 bytes of bytecode ({@code NERFeatureFactory.featuresC}); HotSpot does
     * not compile methods over 8,000 bytes unless told to, so by default it is interpreted, and
     * JFR puts half of the tagging time in it. Compiled, the enricher ran 30% faster here
     * (README, Benchmarks). The launchers ({@code newsctl}, the enrich image, the benchmarks'
     * child JVMs) pass these; {@link #load} warns when they are missing.
     */
    public static final List<String> JVM_OPTIONS = List.of("-XX:-DontCompileHugeMethods");

    private final CRFClassifier<CoreLabel> crf;

    private EntityRecognizer(CRFClassifier<CoreLabel> crf) {
        this.crf = crf;
    }

    public static EntityRecognizer load() {
        warnIfHugeMethodsAreInterpreted();
        if (EntityRecognizer.class.getClassLoader().getResource(MODEL) == null) {
            throw new IllegalStateException("NER model " + MODEL + " is not on the classpath; it is extracted "
                    + "from the CoreNLP models jar by the enrich-service build (mvn package)");
        }
        try {
            return new EntityRecognizer(CRFClassifier.getClassifier(MODEL));
        } catch (java.io.IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot load NER model " + MODEL, e);
        }
    }

    private static void warnIfHugeMethodsAreInterpreted() {
        try {
            var hotSpot = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            if (hotSpot != null && "true".equals(hotSpot.getVMOption("DontCompileHugeMethods").getValue())) {
                LOG.warn("this JVM interprets CoreNLP's largest method instead of compiling it, which makes entity "
                        + "tagging about 30% slower: start it with {}", String.join(" ", JVM_OPTIONS));
            }
        } catch (RuntimeException | LinkageError e) {
            // not HotSpot: nothing to advise
        }
    }

    /** Entity spans of a field, in text order; adjacent tokens with the same label form one span. */
    public List<Span> recognise(FieldText text) {
        List<Span> spans = new ArrayList<>();
        List<Token> tokens = text.tokens();
        for (Sentence sentence : text.sentences()) {
            List<CoreLabel> labels = crf.classifySentence(text.coreLabels(sentence.index()));
            int runStart = -1;
            EntityType runType = null;
            for (int i = 0; i <= labels.size(); i++) {
                EntityType type = i < labels.size() ? typeOf(labels.get(i).get(CoreAnnotations.AnswerAnnotation.class)) : null;
                boolean begins = i < labels.size() && isBegin(labels.get(i).get(CoreAnnotations.AnswerAnnotation.class));
                if (runType != null && (type != runType || begins)) {
                    int first = sentence.firstToken() + runStart;
                    int end = sentence.firstToken() + i;
                    spans.add(new Span(text.field(), first, end, tokens.get(first).start(), tokens.get(end - 1).end(),
                            text.span(first, end), runType));
                    runType = null;
                }
                if (type != null && runType == null) {
                    runStart = i;
                    runType = type;
                }
            }
        }
        return spans;
    }

    private static boolean isBegin(String answer) {
        return answer != null && answer.startsWith("B-");
    }

    static EntityType typeOf(String answer) {
        if (answer == null) {
            return null;
        }
        String label = answer.length() > 2 && answer.charAt(1) == '-' ? answer.substring(2) : answer;
        return switch (label) {
            case "PERSON", "PER" -> EntityType.PERSON;
            case "ORGANIZATION", "ORG" -> EntityType.ORGANIZATION;
            case "LOCATION", "LOC" -> EntityType.LOCATION;
            case "MISC" -> EntityType.MISC;
            default -> null;
        };
    }
}
