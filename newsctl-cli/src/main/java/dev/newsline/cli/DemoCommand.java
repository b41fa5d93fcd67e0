package dev.newsline.cli;

import dev.newsline.cli.local.LocalStack;
import dev.newsline.ingest.produce.ArticleProducer;
import dev.newsline.ingest.replay.ArchiveReplayer;
import dev.newsline.ingest.replay.ReplayOptions;
import dev.newsline.ingest.replay.ReplaySummary;
import dev.newsline.sink.SinkConfig;
import dev.newsline.sink.store.ArticleStore;
import dev.newsline.sink.store.StanceView;
import dev.newsline.sink.store.TopEntity;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Runs the whole pipeline once on the bundled sample archive and prints what came out. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start the embedded broker, enrich and sink services, replay the bundled sample archive,",
            "wait until every article is in the embedded store, print a summary and exit.",
            "Data goes to DATA-DIR/demo, which is emptied first."})
final class DemoCommand implements Callable<Integer> {

    static final String SAMPLE = "/sample/articles.jsonl";

    @Mixin
    CommonOptions common;

    @Option(names = "--timeout", defaultValue = "PT5M", description = "How long to wait for the pipeline (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long started = System.nanoTime();
        Path dir = common.dataDir.resolve("demo").toAbsolutePath();
        deleteRecursively(dir);
        Files.createDirectories(dir);
        Path sample = dir.resolve("sample-articles.jsonl");
        try (InputStream in = DemoCommand.class.getResourceAsStream(SAMPLE)) {
            if (in == null) {
                throw new IllegalStateException("the sample archive " + SAMPLE + " is missing from the newsctl jar");
            }
            Files.copy(in, sample, StandardCopyOption.REPLACE_EXISTING);
        }

        err.println("Starting embedded Kafka, enrich and sink in " + dir + " ...");
        Map<String, String> settings = new java.util.HashMap<>(common.settings());
        // the demo answers on the terminal; the query API stays free for a running 'newsctl up'
        settings.putIfAbsent(SinkConfig.HTTP_PORT, "0");
        try (LocalStack stack = LocalStack.start(dir, 0, settings)) {
            long ready = System.nanoTime();
            ReplaySummary replay;
            try (ArticleProducer producer = new ArticleProducer(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
                replay = new ArchiveReplayer(producer, ReplayOptions.defaults(), n -> { }).replay(List.of(sample));
            }
            err.printf("Replayed %d articles; waiting for enrichment and storage ...%n", replay.produced());
            ArticleStore store = stack.store();
            Instant deadline = Instant.now().plus(timeout);
            while (store.articleCount() < replay.produced()) {
                if (Instant.now().isAfter(deadline)) {
                    err.printf("Timed out after %s: %d of %d articles stored.%n", timeout, store.articleCount(), replay.produced());
                    return 1;
                }
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            }
            long done = System.nanoTime();
            printSummary(out, store, replay, seconds(started, ready), seconds(ready, done), seconds(started, done));
        }
        return 0;
    }

    private static void printSummary(PrintWriter out, ArticleStore store, ReplaySummary replay,
                                     double startup, double pipeline, double total) {
        Map<String, Long> counts = store.counts();
        out.println();
        out.println("Newsline demo");
        out.println("=============");
        out.printf("Articles: %d read, %d produced, %d stored; %d rejected%n", replay.read(), replay.produced(),
                store.articleCount(), replay.rejectedTotal());
        out.printf("Rows:     %s%n", counts);
        out.println();
        out.println("Top entities");
        List<TopEntity> top = store.topEntities(Instant.EPOCH, Instant.parse("9999-01-01T00:00:00Z"), 10);
        out.printf("  %-32s %-13s %8s %10s%n", "entity", "type", "articles", "sentiment");
        for (TopEntity e : top) {
            out.printf("  %-32s %-13s %8d %+10.2f%n", clip(e.name(), 32), e.type(), e.articleCount(), e.meanSentiment());
        }
        out.println();
        out.println("Stances (most confident)");
        List<StanceView> stances = store.stances(null, 200).stream()
                .sorted((a, b) -> Double.compare(b.confidence(), a.confidence())).limit(6).toList();
        for (StanceView s : stances) {
            out.printf("  %s %s %s  [%s]%n", s.holderName(), s.polarity(), clip(s.targetText(), 50), s.cue());
            out.printf("      \"%s\"%n", clip(s.evidence(), 110));
        }
        out.println();
        out.printf("Elapsed: %.1f s (stack start %.1f s, replay to stored %.1f s)%n", total, startup, pipeline);
    }

    private static double seconds(long from, long to) {
        return (to - from) / 1e9;
    }

    static String clip(String s, int max) {
        if (s == null) {
            return "";
        }
        String one = s.replaceAll("\\s+", " ");
        return one.length() <= max ? one : one.substring(0, max - 1) + "\u2026";
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
