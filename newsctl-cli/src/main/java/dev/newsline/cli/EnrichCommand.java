package dev.newsline.cli;

import dev.newsline.enrich.EnrichConfig;
import dev.newsline.enrich.Enricher;
import dev.newsline.ingest.article.ArticleJson;
import dev.newsline.ingest.article.RejectedInputException;
import dev.newsline.model.json.RecordJson;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Files in, files out: the same enrichment code as the Streams topology. */
@Command(name = "enrich", mixinStandardHelpOptions = true,
        description = {"Enrich JSON Lines of raw articles (url and body required; title, id, published, source,",
            "language optional) into one JSON line per article, with exactly the code the enrich service runs.",
            "Malformed lines are reported on stderr with their line number and skipped; the exit code is 1",
            "if any line was rejected."})
public final class EnrichCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--in", required = true, paramLabel = "FILE|-", description = "Input JSON Lines, or - for stdin.")
    String in;

    @Option(names = "--out", required = true, paramLabel = "FILE|-", description = "Output JSON Lines, or - for stdout.")
    String out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        EnrichConfig config = new EnrichConfig(common.settings());
        Enricher enricher = Enricher.load(config.aliasFiles(), config.getInt(EnrichConfig.MAX_CHARS), Clock.systemUTC());
        long lineNo = 0;
        long rejected = 0;
        long written = 0;
        long started = System.nanoTime();
        try (BufferedReader reader = new BufferedReader(open(in));
             Writer writer = new BufferedWriter(create(out), 1 << 16)) {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String enriched;
                try {
                    enriched = enrichLine(enricher, line);
                } catch (RejectedInputException e) {
                    rejected++;
                    err.printf("line %d: %s: %s%n", lineNo, e.reason(), e.getMessage());
                    continue;
                }
                writer.write(enriched);
                writer.write('\n');
                written++;
            }
        }
        err.printf("enriched %d articles in %.1f s; %d lines rejected%n", written, (System.nanoTime() - started) / 1e9, rejected);
        err.flush();
        return rejected == 0 ? 0 : 1;
    }

    /**
     * One input line as this command turns it into one output line (also what the pipeline
     * benchmark times as the offline rate).
     *
     * @throws RejectedInputException if the line is not a valid article
     */
    public static String enrichLine(Enricher enricher, String line) {
        return RecordJson.toJsonLine(enricher.enrich(ArticleJson.parse(line, Instant.now())));
    }

    private static Reader open(String path) throws java.io.IOException {
        return path.equals("-") ? new InputStreamReader(System.in, StandardCharsets.UTF_8)
                : Files.newBufferedReader(Path.of(path), StandardCharsets.UTF_8);
    }

    private static Writer create(String path) throws java.io.IOException {
        return path.equals("-") ? new OutputStreamWriter(System.out, StandardCharsets.UTF_8)
                : Files.newBufferedWriter(Path.of(path), StandardCharsets.UTF_8);
    }
}
