package dev.newsline.enrich;

import dev.newsline.enrich.lexicon.AliasTable;
import dev.newsline.enrich.lexicon.SentimentLexicon;
import dev.newsline.enrich.lexicon.StanceLexicon;
import dev.newsline.enrich.nlp.EntityRecognizer;
import dev.newsline.enrich.nlp.EntityResolver;
import dev.newsline.enrich.nlp.ResolvedEntity;
import dev.newsline.enrich.nlp.Span;
import dev.newsline.enrich.sentiment.EntitySentiment;
import dev.newsline.enrich.sentiment.ToneScorer;
import dev.newsline.enrich.stance.StanceExtractor;
import dev.newsline.enrich.text.FieldText;
import dev.newsline.enrich.text.TextNormaliser;
import dev.newsline.enrich.text.Token;
import dev.newsline.model.EnrichedArticle;
import dev.newsline.model.Entity;
import dev.newsline.model.Mention;
import dev.newsline.model.RawArticle;
import dev.newsline.model.Sentiment;
import dev.newsline.model.Stance;
import dev.newsline.model.TextField;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Raw article in, enriched article out: normalise, detect language, tag entities (CoreNLP CRF),
 * make them consistent and canonical, score how each is portrayed, read stances, score tone.
 *
 * <p>The one enrichment code path: the Streams topology and {@code newsctl enrich} both call
 * {@link #enrich}. Models and lexicons load once in {@link #load}; an instance is immutable and
 * safe to share between stream threads.
 */
public final class Enricher implements ArticleEnrichment {

    public static final String VERSION = "newsline-enrich/2 corenlp-4.5.10 english.conll.4class.distsim";

    private static final Set<String> ENGLISH_MARKERS = Set.of("the", "of", "and", "to", "in", "is", "that", "for",
            "on", "with", "was", "said", "by", "as", "at", "it", "from", "his", "her", "are", "be", "has", "have");

    private final EntityRecognizer recognizer;
    private final EntityResolver resolver;
    private final EntitySentiment sentiment;
    private final StanceExtractor stances;
    private final ToneScorer tone;
    private final int maxChars;
    private final Clock clock;

    private Enricher(EntityRecognizer recognizer, EntityResolver resolver, EntitySentiment sentiment,
                     StanceExtractor stances, ToneScorer tone, int maxChars, Clock clock) {
        this.recognizer = recognizer;
        this.resolver = resolver;
        this.sentiment = sentiment;
        this.stances = stances;
        this.tone = tone;
        this.maxChars = maxChars;
        this.clock = clock;
    }

    /**
     * Loads the NER model and the lexicons.
     *
     * @param aliasFiles extra alias files, read after the bundled one
     * @param maxChars   text beyond this many characters of a field is kept but not analysed
     */
    public static Enricher load(List<Path> aliasFiles, int maxChars, Clock clock) {
        SentimentLexicon lexicon = SentimentLexicon.load();
        StanceLexicon stanceLexicon = StanceLexicon.load();
        return new Enricher(EntityRecognizer.load(), new EntityResolver(AliasTable.load(aliasFiles)),
                new EntitySentiment(lexicon, stanceLexicon), new StanceExtractor(stanceLexicon, lexicon),
                new ToneScorer(lexicon), maxChars, clock);
    }

    public static Enricher load() {
        return load(List.of(), EnrichConfig.DEFAULT_MAX_CHARS, Clock.systemUTC());
    }

    @Override
    public EnrichedArticle enrich(RawArticle raw) {
        String title = TextNormaliser.title(raw.getTitle());
        String rawBody = raw.getBody() == null || raw.getBody().isBlank() ? raw.getSummary() : raw.getBody();
        String body = TextNormaliser.body(rawBody);

        FieldText titleText = FieldText.of(TextField.title, cap(title));
        FieldText bodyText = FieldText.of(TextField.body, cap(body));
        List<FieldText> fields = List.of(titleText, bodyText);
        String language = raw.getLanguage() != null ? raw.getLanguage().toLowerCase(Locale.ROOT) : detectLanguage(fields);

        List<ResolvedEntity> entities = List.of();
        List<Stance> found = new ArrayList<>();
        List<Entity> out = new ArrayList<>();
        if (language.startsWith("en")) {
            List<Span> spans = new ArrayList<>();
            for (FieldText f : fields) {
                spans.addAll(recognizer.recognise(f));
            }
            entities = resolver.resolve(fields, spans);
            Map<TextField, FieldText> byField = new EnumMap<>(TextField.class);
            Map<TextField, boolean[]> inMention = new EnumMap<>(TextField.class);
            Map<TextField, int[]> entityOfToken = new EnumMap<>(TextField.class);
            for (FieldText f : fields) {
                byField.put(f.field(), f);
                inMention.put(f.field(), new boolean[f.tokens().size()]);
                int[] owner = new int[f.tokens().size()];
                Arrays.fill(owner, -1);
                entityOfToken.put(f.field(), owner);
            }
            for (int e = 0; e < entities.size(); e++) {
                for (Span s : entities.get(e).mentions()) {
                    for (int t = s.firstToken(); t < s.endToken(); t++) {
                        inMention.get(s.field())[t] = true;
                        entityOfToken.get(s.field())[t] = e;
                    }
                }
            }
            double[] salience = salience(entities, bodyText);
            for (int e = 0; e < entities.size(); e++) {
                ResolvedEntity entity = entities.get(e);
                EntitySentiment.Score score = sentiment.score(entity, byField, inMention);
                out.add(Entity.newBuilder()
                        .setId(entity.id())
                        .setName(entity.name())
                        .setType(entity.type())
                        .setSalience(salience[e])
                        .setSentiment(Sentiment.newBuilder().setLabel(score.label()).setScore(round(score.score())).build())
                        .setMentions(entity.mentions().stream().map(s -> Mention.newBuilder()
                                .setField(s.field()).setStart(s.start()).setEnd(s.end()).setText(s.text()).build()).toList())
                        .build());
            }
            for (FieldText f : fields) {
                found.addAll(stances.extract(f, entities, entityOfToken.get(f.field())));
            }
        }
        out.sort(Comparator.comparingDouble(Entity::getSalience).reversed().thenComparing(Entity::getId));

        return EnrichedArticle.newBuilder()
                .setId(raw.getId())
                .setUrl(raw.getCanonicalUrl() == null || raw.getCanonicalUrl().isEmpty() ? raw.getUrl() : raw.getCanonicalUrl())
                .setTitle(title)
                .setBody(body)
                .setSource(TextNormaliser.withoutControls(raw.getSource()))
                .setLanguage(language)
                .setPublished(raw.getPublished())
                .setFetchedAt(raw.getFetchedAt())
                .setEnrichedAt(clock.instant())
                .setEnricherVersion(VERSION)
                .setEntities(out)
                .setStances(found)
                .setTone(tone.score(fields))
                .build();
    }

    private String cap(String text) {
        return text.length() <= maxChars ? text : text.substring(0, maxChars);
    }

    /**
     * Salience in 0..1: share of mentions (relative to the most mentioned entity), a bonus for a
     * title mention, and how early the body first names the entity.
     */
    private static double[] salience(List<ResolvedEntity> entities, FieldText body) {
        double[] out = new double[entities.size()];
        int most = entities.stream().mapToInt(e -> e.mentions().size()).max().orElse(1);
        int length = Math.max(1, body.text().length());
        for (int i = 0; i < entities.size(); i++) {
            ResolvedEntity e = entities.get(i);
            boolean inTitle = e.mentions().stream().anyMatch(s -> s.field() == TextField.title);
            int firstBody = e.mentions().stream().filter(s -> s.field() == TextField.body)
                    .mapToInt(Span::start).min().orElse(length);
            double score = 0.55 * e.mentions().size() / most + (inTitle ? 0.25 : 0) + 0.2 * (1.0 - (double) firstBody / length);
            out[i] = round(Math.min(1.0, score));
        }
        return out;
    }

    /** "en" when common English function words make up a good share of the words, else "und". */
    static String detectLanguage(List<FieldText> fields) {
        int words = 0;
        int english = 0;
        for (FieldText f : fields) {
            for (Token t : f.tokens()) {
                if (Character.isLetter(t.word().codePointAt(0))) {
                    words++;
                    if (ENGLISH_MARKERS.contains(t.lower())) {
                        english++;
                    }
                }
            }
        }
        if (words < 8) {
            return "en";
        }
        return english >= 0.08 * words ? "en" : "und";
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
