package dev.newsline.cli;

import dev.newsline.cli.local.LocalStack;
import dev.newsline.embedded.EmbeddedKafka;
import dev.newsline.ingest.config.IngestConfig;
import dev.newsline.ingest.dedup.KafkaSeenStore;
import dev.newsline.ingest.produce.ArticleProducer;
import dev.newsline.ingest.replay.ArchiveReplayer;
import dev.newsline.ingest.replay.ReplayOptions;
import dev.newsline.ingest.replay.ReplaySummary;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Replays archives into news.articles.raw. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replay archives (JSON Lines of articles, .gz, directories) into news.articles.raw,",
            "in event time, skipping articles the pipeline already has (same id and content). The cluster is kafka.bootstrap.servers from --config or NEWS_KAFKA_BOOTSTRAP_SERVERS;",
            "--embedded uses the local stack's broker (started for the replay if 'newsctl up' is not running)."})
final class ReplayCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Archive files or directories.")
    List<Path> paths;

    @Option(names = "--since", description = "Only articles published at or after this ISO-8601 time.")
    String since;

    @Option(names = "--until", description = "Only articles published before this ISO-8601 time.")
    String until;

    @Option(names = "--rate", paramLabel = "N/s", description = "Articles per second at most (default: as fast as possible).")
    String rate;

    @Option(names = "--dry-run", description = "Parse and count only; produce nothing.")
    boolean dryRun;

    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ReplayOptions options = new ReplayOptions(time(since, "--since"), time(until, "--until"), rate(rate), dryRun);
        List<Path> files = ArchiveReplayer.archiveFiles(paths);
        long total = countLines(files);
        Progress progress = new Progress(err, total);
        ReplaySummary summary;
        if (dryRun) {
            summary = new ArchiveReplayer(null, options, progress::update).replay(files);
        } else {
            Map<String, String> settings = common.settings();
            EmbeddedKafka broker = null;
            Map<String, Object> kafka = cluster.kafkaSettings(settings);
            if (cluster.embedded && !listening(cluster.port)) {
                // no 'newsctl up' running: bring up its broker for the replay; 'up' enriches later
                broker = EmbeddedKafka.start(common.dataDir.resolve("local").resolve("kafka"), cluster.port);
                broker.createTopics(LocalStack.newTopics());
            }
            if (ClusterOptions.requireCluster(kafka, err).isEmpty()) {
                return 2;
            }
            Map<String, String> withCluster = new HashMap<>(settings);
            withCluster.put("kafka.bootstrap.servers", String.valueOf(kafka.get("bootstrap.servers")));
            IngestConfig ingest = IngestConfig.fromValues(withCluster);
            // the ingest service's dedup memory: replaying an archive twice produces nothing new
            try (KafkaSeenStore seen = KafkaSeenStore.open(kafka, ingest.seenTopic(), ingest.seenLoadTimeout());
                 ArticleProducer producer = new ArticleProducer(kafka)) {
                summary = new ArchiveReplayer(producer, options, progress::update, seen).replay(files);
            } finally {
                if (broker != null) {
                    broker.close();
                }
            }
        }
        progress.finish(summary.read());
        out.printf("read %d, %s %d, duplicates skipped %d, outside --since/--until %d, rejected %d%s in %.1f s (%.0f articles/s)%n",
                summary.read(), dryRun ? "would produce" : "produced", summary.produced(), summary.duplicates(),
                summary.filtered(), summary.rejectedTotal(), summary.rejected().isEmpty() ? "" : " " + summary.rejected(),
                summary.elapsedMs() / 1000.0, summary.produced() * 1000.0 / Math.max(1, summary.elapsedMs()));
        out.flush();
        return 0;
    }

    private static Instant time(String value, String flag) {
        if (value == null) {
            return null;
        }
        try {
            return value.length() == 10 ? Instant.parse(value + "T00:00:00Z") : OffsetDateTime.parse(value).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(new ReplayCommand()),
                    flag + " expects an ISO-8601 date or time such as 2026-11-20 or 2026-11-20T08:00:00Z, not '" + value + "'");
        }
    }

    private static double rate(String value) {
        if (value == null) {
            return 0;
        }
        String number = value.toLowerCase(Locale.ROOT).endsWith("/s") ? value.substring(0, value.length() - 2) : value;
        double r = Double.parseDouble(number);
        if (r <= 0) {
            throw new IllegalArgumentException("--rate must be positive, not " + value);
        }
        return r;
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Lines in uncompressed files, for the ETA; -1 when any file is compressed. */
    private static long countLines(List<Path> files) throws IOException {
        long lines = 0;
        for (Path f : files) {
            if (f.toString().toLowerCase(Locale.ROOT).endsWith(".gz")) {
                return -1;
            }
            try (InputStream in = new BufferedInputStream(Files.newInputStream(f), 1 << 16)) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    for (int i = 0; i < n; i++) {
                        if (buf[i] == '\n') {
                            lines++;
                        }
                    }
                }
            }
        }
        return lines;
    }

    /** A one-line progress bar on stderr: count, rate, and ETA when the total is known. */
    static final class Progress {
        private final PrintWriter err;
        private final long total;
        private final long started = System.nanoTime();
        private long lastPrint;

        Progress(PrintWriter err, long total) {
            this.err = err;
            this.total = total;
        }

        void update(long count) {
            long now = System.nanoTime();
            if (now - lastPrint < 200_000_000L) {
                return;
            }
            lastPrint = now;
            print(count, now);
        }

        void finish(long count) {
            print(count, System.nanoTime());
            err.println();
            err.flush();
        }

        private void print(long count, long now) {
            double secs = Math.max(1e-3, (now - started) / 1e9);
            double rate = count / secs;
            StringBuilder line = new StringBuilder("\r");
            if (total > 0) {
                int width = 30;
                int filled = (int) Math.min(width, width * count / total);
                line.append('[').append("=".repeat(filled)).append(" ".repeat(width - filled)).append("] ");
                line.append(String.format("%3d%% ", Math.min(100, 100 * count / total)));
            }
            line.append(String.format("%,d articles  %,.0f/s", count, rate));
            if (total > 0 && rate > 0 && count < total) {
                line.append(String.format("  ETA %ds", (long) ((total - count) / rate)));
            }
            err.print(line);
            err.flush();
        }
    }
}
