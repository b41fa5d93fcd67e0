package dev.newsline.cli.bench;

import dev.newsline.enrich.Enricher;
import dev.newsline.enrich.nlp.EntityRecognizer;
import dev.newsline.enrich.text.FieldText;
import dev.newsline.model.RawArticle;
import dev.newsline.model.TextField;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.pipeline.StanfordCoreNLP;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Enrichment throughput on generated news-like articles of about 700 words (written from
 * templates in this class; no external data), for each thread count: articles/s and tokens/s in
 * total and per thread, for the Newsline enricher (the code the enrich service runs) and, as the
 * reference, CoreNLP's own {@code StanfordCoreNLP} pipeline with tokenize, ssplit, pos and ner
 * (the CoNLL 4-class model only; no numeric classifiers, SUTime or fine-grained NER).
 *
 * <p>The POS model of the reference is not part of Newsline: it is read from the CoreNLP models
 * jar in the local Maven repository (or {@code --models-jar}). Without that jar the reference
 * runs tokenize, ssplit and ner only, and says so.
 */
@Command(name = "enrich", mixinStandardHelpOptions = true,
        description = "Measure enrichment throughput on generated ~700-word news articles: articles/s and "
                + "tokens/s per thread for the Newsline enricher, and for CoreNLP's tokenize,ssplit,pos,ner "
                + "pipeline as the reference.")
public final class EnrichBenchCommand implements Callable<Integer> {

    static final String POS_MODEL = "edu/stanford/nlp/models/pos-tagger/english-left3words-distsim.tagger";

    @Option(names = "--articles", defaultValue = "200", paramLabel = "N",
            description = "Articles each thread enriches per measurement (default: ${DEFAULT-VALUE}).")
    int articles;

    @Option(names = "--threads", defaultValue = "1,2", split = ",", paramLabel = "T[,T...]",
            description = "Thread counts to measure (default: ${DEFAULT-VALUE}).")
    List<Integer> threads;

    @Option(names = "--warmup", defaultValue = "200", paramLabel = "N",
            description = "Articles enriched before measuring, to warm up the JIT; CoreNLP's largest method is compiled "
                    + "only after about a hundred (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--reference", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also measure the CoreNLP reference pipeline (default: on; --no-reference skips it).")
    boolean reference;

    @Option(names = "--models-jar", paramLabel = "JAR",
            description = "CoreNLP models jar to take the reference's POS model from "
                    + "(default: stanford-corenlp-4.5.10-models.jar in the local Maven repository).")
    Path modelsJar;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the article generator (default: ${DEFAULT-VALUE}).")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (articles < 1 || warmup < 0 || threads.isEmpty() || threads.stream().anyMatch(t -> t < 1)) {
            spec.commandLine().getErr().println("bench enrich: --articles and --threads must be at least 1");
            return 2;
        }
        List<String> bodies = ArticleGenerator.generate(new Random(seed), articles + warmup);
        long[] tokens = new long[bodies.size()];
        long words = 0;
        for (int i = 0; i < bodies.size(); i++) {
            tokens[i] = FieldText.of(TextField.body, bodies.get(i)).tokens().size();
            words += bodies.get(i).split("\\s+").length;
        }
        List<RawArticle> raws = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            raws.add(RawArticle.newBuilder().setId("bench-" + i).setUrl("https://bench.example/" + i)
                    .setCanonicalUrl("https://bench.example/" + i).setSource("bench")
                    .setTitle("").setBody(bodies.get(i)).setLanguage("en").setFetchedAt(Instant.EPOCH).build());
        }
        out.printf(Locale.ROOT, "enrich bench: %d articles per thread after %d warm-up, %.0f words and %.0f tokens per article "
                + "on average, %d processors%n", articles, warmup, (double) words / bodies.size(), average(tokens),
                Runtime.getRuntime().availableProcessors());
        out.printf("%-50s %7s %11s %10s %18s %16s%n", "pipeline", "threads", "articles/s", "tokens/s",
                "articles/s/thread", "tokens/s/thread");
        out.flush();

        long started = System.nanoTime();
        Enricher enricher = Enricher.load();
        out.printf(Locale.ROOT, "(Newsline enricher loaded in %.1f s)%n", (System.nanoTime() - started) / 1e9);
        measure(out, "newsline enricher (NER+resolve+sentiment+stance)", i -> enricher.enrich(raws.get(i)), tokens);

        if (reference) {
            Path jar = modelsJar != null ? modelsJar : defaultModelsJar();
            Properties props = new Properties();
            props.setProperty("ner.model", EntityRecognizer.MODEL);
            props.setProperty("ner.applyNumericClassifiers", "false");
            props.setProperty("ner.useSUTime", "false");
            props.setProperty("ner.applyFineGrained", "false");
            props.setProperty("ner.buildEntityMentions", "false");
            String name;
            if (Files.isRegularFile(jar)) {
                Path tagger = extract(jar, POS_MODEL);
                props.setProperty("annotators", "tokenize,ssplit,pos,ner");
                props.setProperty("pos.model", tagger.toString());
                name = "CoreNLP tokenize,ssplit,pos,ner";
                out.printf(Locale.ROOT, "(reference POS model %s, %.1f MB, from %s)%n", POS_MODEL,
                        Files.size(tagger) / 1e6, jar);
            } else {
                // the ner annotator wants POS tags only for features the CoNLL model does not use
                props.setProperty("annotators", "tokenize,ssplit,ner");
                name = "CoreNLP tokenize,ssplit,ner (no POS model)";
                out.printf("(no CoreNLP models jar at %s: the reference runs without pos; give --models-jar)%n", jar);
            }
            out.flush();
            StanfordCoreNLP pipeline = new StanfordCoreNLP(props);
            measure(out, name, i -> pipeline.annotate(new Annotation(bodies.get(i))), tokens);
        }
        return 0;
    }

    private void measure(PrintWriter out, String name, Consumer<Integer> work, long[] tokens) throws Exception {
        for (int i = 0; i < warmup; i++) {
            work.accept(articles + i);
        }
        double tokensPerArticle = 0;
        for (int i = 0; i < articles; i++) {
            tokensPerArticle += tokens[i];
        }
        tokensPerArticle /= articles;
        for (int t : threads) {
            ExecutorService pool = Executors.newFixedThreadPool(t);
            try {
                long start = System.nanoTime();
                List<Future<?>> done = new ArrayList<>();
                for (int thread = 0; thread < t; thread++) {
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < articles; i++) {
                            work.accept(i);
                        }
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                double perSecond = t * articles / seconds;
                out.printf(Locale.ROOT, "%-50s %7d %11.1f %10.0f %18.1f %16.0f%n", name, t, perSecond,
                        perSecond * tokensPerArticle, perSecond / t, perSecond * tokensPerArticle / t);
                out.flush();
            } finally {
                pool.shutdown();
            }
        }
    }

    private static double average(long[] values) {
        double sum = 0;
        for (long v : values) {
            sum += v;
        }
        return values.length == 0 ? 0 : sum / values.length;
    }

    private static Path defaultModelsJar() {
        return Path.of(System.getProperty("user.home"), ".m2", "repository", "edu", "stanford", "nlp",
                "stanford-corenlp", "4.5.10", "stanford-corenlp-4.5.10-models.jar");
    }

    private static Path extract(Path jar, String entry) throws IOException {
        Path file = Files.createTempFile("newsline-bench-", ".tagger");
        file.toFile().deleteOnExit();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry e = zip.getEntry(entry);
            if (e == null) {
                throw new IOException(jar + " has no " + entry);
            }
            try (InputStream in = zip.getInputStream(e)) {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return file;
    }

    /** News-like articles of about 700 words from templates: politics, business and sport. */
    static final class ArticleGenerator {

        private static final String[] PEOPLE = {"Elena Varga", "Tomas Reinholt", "Amara Okoye", "Marco Delacroix",
            "Lena Brandt", "Pavel Horak", "Ruth Abernathy", "Kofi Mensah", "Oskar Lindqvist", "Julia Navarro",
            "Henrik Olsen", "Carla Mendes", "Ines Moretti", "Jonas Ekberg", "Sofia Marchetti", "Ivan Petrov"};
        private static final String[] ORGS = {"Helix Dynamics", "Borealis Energy", "the European Union",
            "the Northern Farmers Union", "Quantis Inc.", "the Valdorian Workers Federation", "Alpine Steel Corp",
            "the Ministry of Finance", "the Central Bank", "Greenfield Alliance", "the United Nations"};
        private static final String[] PLACES = {"Valdoria", "Port Kessel", "Korvin", "Dalmoor", "Brussels",
            "Ottawa", "Nairobi", "Lisbon", "the United States", "Germany", "Lagos", "Oslo"};
        private static final String[] THINGS = {"the budget", "the pension reform", "the rail investment plan",
            "the new trade agreement", "the carbon tax", "the merger", "the wage deal", "the border treaty",
            "the housing bill", "the emergency powers act", "the water plan", "the quarterly results"};
        private static final String[] DAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
        private static final String[] TEMPLATES = {
            "%P said on %D that %T would create thousands of jobs in %L over the next five years.",
            "%P rejected %T, calling it reckless and badly timed, and warned that %O would pay the price.",
            "%O welcomed %T after a long meeting in %L, saying the deal was a fair compromise for both sides.",
            "\"We will not accept cuts to hospitals and schools,\" %P told reporters in %L on %D.",
            "Analysts at %O praised the strong results but cautioned that growth in %L remained fragile.",
            "The plan was criticised by %P, who has long been skeptical of spending on that scale.",
            "%P and %P2 voted against %T, while %O threw its weight behind the proposal.",
            "Shares in %O rose 4 percent in early trading in %L after the company raised its forecast for the year.",
            "Police in %L said three people had been injured when protesters clashed with officers near the parliament.",
            "%P, the finance minister, defended %T in parliament, arguing that the country could not afford to wait.",
            "Critics said %T did too little for farmers, and %O called for an independent review of the figures.",
            "In a statement, %O said it was disappointed by the decision but would continue talks with %P.",
            "The ruling party holds a narrow majority, and several of its members have expressed doubts about %T.",
            "%P met officials from %O in %L to discuss energy prices, trade and the security of supply routes.",
            "Opposition leader %P accused the government of misleading voters about the true cost of %T.",
            "Unemployment in %L fell to 5.2 percent in the third quarter, the lowest level in more than a decade.",
            "%O reported a net profit of 1.2 billion euros for the year, up from 900 million a year earlier.",
            "The striker scored twice as %L beat the visitors 3-1 in front of a crowd of 40,000 on %D.",
            "Speaking after the match, the coach said his team had shown great character in a difficult week.",
            "%P is expected to travel to %L next week for talks with %P2 on the future of %T."};

        private ArticleGenerator() {
        }

        static List<String> generate(Random random, int count) {
            List<String> out = new ArrayList<>(count);
            for (int a = 0; a < count; a++) {
                StringBuilder body = new StringBuilder();
                int words = 0;
                int inParagraph = 0;
                while (words < 700) {
                    String sentence = fill(TEMPLATES[random.nextInt(TEMPLATES.length)], random);
                    if (inParagraph > 0) {
                        body.append(' ');
                    }
                    body.append(sentence);
                    words += sentence.split("\\s+").length;
                    if (++inParagraph == 3 + random.nextInt(3)) {
                        body.append("\n\n");
                        inParagraph = 0;
                    }
                }
                out.add(body.toString().strip());
            }
            return out;
        }

        private static String fill(String template, Random random) {
            String person = pick(PEOPLE, random);
            String other = pick(PEOPLE, random);
            while (other.equals(person)) {
                other = pick(PEOPLE, random);
            }
            String s = template.replace("%P2", other).replace("%P", person).replace("%O", pick(ORGS, random))
                    .replace("%L", pick(PLACES, random)).replace("%T", pick(THINGS, random)).replace("%D", pick(DAYS, random));
            return Character.toUpperCase(s.charAt(0)) + s.substring(1);
        }

        private static String pick(String[] values, Random random) {
            return values[random.nextInt(values.length)];
        }
    }
}
