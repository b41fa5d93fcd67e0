package dev.newsline.cli.bench;

import dev.newsline.cli.local.LocalStack;
import dev.newsline.embedded.EmbeddedKafka;
import dev.newsline.ingest.article.ArticleJson;
import dev.newsline.ingest.dedup.KafkaSeenStore;
import dev.newsline.ingest.produce.ArticleProducer;
import dev.newsline.ingest.replay.ArchiveReplayer;
import dev.newsline.ingest.replay.ReplayOptions;
import dev.newsline.ingest.replay.ReplaySummary;
import dev.newsline.model.topic.Topics;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.tools.ProducerPerformance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Replays generated archives into a fresh embedded broker and runs Kafka's own
 * ProducerPerformance on the same broker with the same record size and producer settings, in
 * rounds, because both rates move by tens of percent from one run to the next on a small machine.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Replay N generated articles of about 5 KB into news.articles.raw (6 partitions) on a fresh",
            "embedded broker, and run Kafka's ProducerPerformance on the same broker with the same producer",
            "settings twice: fed the archive's own lines (--payload-file) and with the same record size of random",
            "letters (--record-size); print all three rates. Repeated for --rounds fresh archives, ProducerPerformance",
            "first in every other round; the median of the rounds' ratios is the result. The replay is timed like",
            "ProducerPerformance times itself (client start-up apart, printed on its own line)."})
public final class IngestBenchCommand implements Callable<Integer> {

    /** Distinct archive lines ProducerPerformance picks its payloads from (it holds them all in memory). */
    private static final int PAYLOAD_LINES = 10_000;

    private static final String PP_LINES_TOPIC = "bench.producer-performance";
    private static final String PP_RANDOM_TOPIC = "bench.producer-performance-random";

    private static final Pattern PERF = Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\)");

    @Option(names = "--articles", defaultValue = "100000", description = "Articles to replay (default: ${DEFAULT-VALUE}).")
    int articles;

    @Option(names = "--warmup", defaultValue = "20000",
            description = "Articles of a separate archive replayed first, and records sent by both ProducerPerformance "
                    + "runs, unmeasured, so that both sides are measured on a warmed-up JVM and broker "
                    + "(default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--rounds", defaultValue = "7",
            description = "Rounds of replay and ProducerPerformance, each round on a fresh archive; the median of the "
                    + "rounds' ratios is the result (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--body-bytes", defaultValue = "4600", description = "Body size of each article (default: ${DEFAULT-VALUE}, ~5 KB records).")
    int bodyBytes;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("newsline-bench-ingest-");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
            kafka.createTopics(LocalStack.newTopics());
            kafka.createTopics(List.of(new NewTopic(PP_LINES_TOPIC, Topics.ARTICLES_RAW.partitions(), (short) 1),
                    new NewTopic(PP_RANDOM_TOPIC, Topics.ARTICLES_RAW.partitions(), (short) 1)));
            Map<String, Object> settings = Map.of("bootstrap.servers", kafka.bootstrapServers());
            if (warmup > 0) {
                // the same sequence as a round, unmeasured: one JVM runs the broker, the replay and
                // ProducerPerformance, and each of them makes the JIT recompile shared producer and
                // broker code for its own types, so both sides are warmed up before either is measured
                Path warmupArchive = dir.resolve("warmup.jsonl");
                generate(warmupArchive, warmup, bodyBytes, "warmup");
                ReplaySummary warm = replay(settings, warmupArchive).summary();
                Path payloads = payloads(warmupArchive, dir);
                int recordSize = averageRecordSize(warmupArchive);
                Files.delete(warmupArchive);
                ProducerRates warmRates = producerRates(kafka, payloads, recordSize, warmup, -1,
                        new PrintWriter(java.io.Writer.nullWriter()));
                out.printf("warm-up (not measured): replay of %,d articles of another archive in %.1f s; "
                        + "ProducerPerformance %,d records on archive lines at %,.0f/s and of --record-size at %,.0f/s%n",
                        warm.produced(), warm.elapsedMs() / 1e3, warmup, warmRates.lines(), warmRates.recordSize());
                out.flush();
            }
            double[] toLines = new double[rounds];
            double[] toRecordSize = new double[rounds];
            double[] commandToRecordSize = new double[rounds];
            long produced = warmup;
            for (int r = 0; r < rounds; r++) {
                // each round replays an archive of its own: the dedup memory would skip a second replay of one
                Path archive = dir.resolve("archive-" + r + ".jsonl");
                generate(archive, articles, bodyBytes, "story-" + r);
                int recordSize = averageRecordSize(archive);
                Path payloads = payloads(archive, dir);
                // every other round runs ProducerPerformance first, so that a machine speeding up or
                // slowing down within a round favours neither side
                boolean producerFirst = r % 2 == 1;
                ProducerRates producerRates = producerFirst ? producerRates(kafka, payloads, recordSize, articles, r, out) : null;
                TimedReplay timed = replay(settings, archive);
                ReplaySummary summary = timed.summary();
                produced += summary.produced();
                double replayRate = timed.rate();
                out.printf("round %d replay:              %,d articles in %.1f s = %,.0f articles/s, %.1f MB/s of archive "
                        + "(%,d B); Avro records ~%,d B, %,d B stored per record after lz4%n", r + 1, summary.produced(),
                        timed.replaySeconds(), replayRate, Files.size(archive) / timed.replaySeconds() / 1e6,
                        Files.size(archive), recordSize, topicBytes(kafka) / Math.max(1, produced));
                out.printf("round %d replay start-up:      %.2f s opening the dedup memory (%,d ids from earlier rounds) "
                        + "and the producer; the whole command: %,.0f articles/s%n", r + 1, timed.startSeconds(),
                        produced - summary.produced(), timed.commandRate());
                out.flush();
                Files.delete(archive);
                if (!producerFirst) {
                    producerRates = producerRates(kafka, payloads, recordSize, articles, r, out);
                }
                double linesRate = producerRates.lines();
                double recordSizeRate = producerRates.recordSize();
                toLines[r] = linesRate > 0 ? replayRate / linesRate : Double.NaN;
                toRecordSize[r] = recordSizeRate > 0 ? replayRate / recordSizeRate : Double.NaN;
                commandToRecordSize[r] = recordSizeRate > 0 ? timed.commandRate() / recordSizeRate : Double.NaN;
                out.printf("round %d replay / ProducerPerformance: %.0f%% of --record-size, %.0f%% of the archive's lines"
                        + "%s%n", r + 1, 100 * toRecordSize[r], 100 * toLines[r],
                        producerFirst ? " (ProducerPerformance ran first)" : "");
                out.flush();
            }
            out.printf("median over %d rounds: replay = %.0f%% of ProducerPerformance with the same record size "
                    + "(target >= 70%%), %.0f%% of ProducerPerformance on the archive's own lines; "
                    + "the whole command, start-up included: %.0f%% of the same record size%n",
                    rounds, 100 * median(toRecordSize), 100 * median(toLines), 100 * median(commandToRecordSize));
        } finally {
            deleteRecursively(dir);
        }
        return 0;
    }

    /**
     * ProducerPerformance's records/s fed the archive's own lines (--payload-file: text that
     * compresses as articles do) and with the same record size (--record-size: fresh random letters
     * A-Z per record, which lz4 barely compresses and which cost its own thread time to generate).
     */
    private record ProducerRates(double lines, double recordSize) {
    }

    private static ProducerRates producerRates(EmbeddedKafka kafka, Path payloads, int recordSize, int records, int round,
                                               PrintWriter out) throws Exception {
        double linesRate = producerPerformance(kafka.bootstrapServers(), PP_LINES_TOPIC,
                List.of("--payload-file", payloads.toString()), records,
                String.format("%,d distinct archive lines as payloads", PAYLOAD_LINES), round, out);
        double recordSizeRate = producerPerformance(kafka.bootstrapServers(), PP_RANDOM_TOPIC,
                List.of("--record-size", String.valueOf(recordSize)), records,
                String.format("--record-size %,d: random letters", recordSize), round, out);
        return new ProducerRates(linesRate, recordSizeRate);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * A replay as {@code newsctl replay} runs it: dedup memory opened first, producer and memory
     * flushed and closed at the end.
     *
     * @param startSeconds  opening the dedup memory (reading the seen topic) and creating the producer
     * @param replaySeconds from the first line read to the producer and the dedup memory closed, every
     *                      record acknowledged: the span ProducerPerformance times for itself (its
     *                      clock starts once its producer exists and stops once it is closed)
     */
    private record TimedReplay(ReplaySummary summary, double startSeconds, double replaySeconds) {

        double rate() {
            return summary.produced() / replaySeconds;
        }

        double commandRate() {
            return summary.produced() / (startSeconds + replaySeconds);
        }
    }

    private static TimedReplay replay(Map<String, Object> settings, Path archive) {
        long t0 = System.nanoTime();
        long started;
        ReplaySummary summary;
        try (KafkaSeenStore seen = KafkaSeenStore.open(settings, Topics.INGEST_SEEN, Duration.ofSeconds(60));
             ArticleProducer producer = new ArticleProducer(settings)) {
            started = System.nanoTime();
            summary = new ArchiveReplayer(producer, ReplayOptions.defaults(), n -> { }, seen).replay(List.of(archive));
        }
        long ended = System.nanoTime();
        return new TimedReplay(summary, (started - t0) / 1e9, (ended - started) / 1e9);
    }

    /** The first lines of an archive, as ProducerPerformance's --payload-file. */
    private static Path payloads(Path archive, Path dir) throws java.io.IOException {
        Path payloads = dir.resolve("payloads.txt");
        try (var lines = Files.lines(archive)) {
            Files.write(payloads, (Iterable<String>) lines.limit(PAYLOAD_LINES)::iterator);
        }
        return payloads;
    }

    /** Mean encoded size of the first thousand articles' RawArticle values. */
    private static int averageRecordSize(Path archive) throws java.io.IOException {
        try (var lines = Files.lines(archive)) {
            return (int) lines.limit(1000)
                    .mapToInt(l -> Topics.RAW_ARTICLE_SERDE.serialize("t", ArticleJson.parse(l, Instant.now())).length)
                    .average().orElse(1);
        }
    }

    /** Bytes of the raw topic's log segments: the encoded, compressed records as stored. */
    private static long topicBytes(EmbeddedKafka kafka) throws java.io.IOException {
        long total = 0;
        try (var dirs = Files.list(kafka.dataDir().resolve("logs"))) {
            for (Path p : dirs.filter(p -> p.getFileName().toString().startsWith(Topics.ARTICLES_RAW.name() + "-")).toList()) {
                try (var files = Files.list(p)) {
                    total += files.filter(f -> f.toString().endsWith(".log")).mapToLong(f -> f.toFile().length()).sum();
                }
            }
        }
        return total;
    }

    private static double producerPerformance(String bootstrap, String topic, List<String> payload, int records,
                                              String what, int round, PrintWriter out) throws Exception {
        List<String> args = new ArrayList<>(List.of("--topic", topic, "--num-records", String.valueOf(records),
                "--throughput", "-1"));
        args.addAll(payload);
        args.addAll(List.of("--producer-props", "bootstrap.servers=" + bootstrap, "acks=all", "enable.idempotence=true",
                "compression.type=lz4", "linger.ms=10", "batch.size=262144"));
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        try (PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            ProducerPerformance.main(args.toArray(String[]::new));
        } finally {
            System.setOut(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        String last = text.lines().filter(l -> PERF.matcher(l).find()).reduce((a, b) -> b).orElse("");
        Matcher m = PERF.matcher(last);
        if (!m.find()) {
            out.println("ProducerPerformance printed no summary:\n" + text);
            return 0;
        }
        double rate = Double.parseDouble(m.group(2));
        out.printf("round %d ProducerPerformance: %s records (%s; same producer settings) = %,.0f records/s, %s MB/s%n",
                round + 1, m.group(1), what, rate, m.group(3));
        return rate;
    }

    /** Synthetic news-like JSON lines: distinct URLs, words from a small vocabulary, times over a year. */
    static void generate(Path file, int count, int bodyBytes, String path) throws java.io.IOException {
        String[] words = ("the minister said government budget council vote plan deal energy market shares rose fell "
                + "league coach match goal season players city union strike talks agreement court ruling inquiry "
                + "company profit quarter investors analysts growth inflation rates bank reform hospital health "
                + "climate emissions project funding opposition leader party election campaign tariff trade exports")
                .split(" ");
        SplittableRandom random = new SplittableRandom(42);
        Instant base = Instant.parse("2025-01-01T00:00:00Z");
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            StringBuilder body = new StringBuilder(bodyBytes + 64);
            for (int i = 0; i < count; i++) {
                body.setLength(0);
                while (body.length() < bodyBytes) {
                    body.append(words[random.nextInt(words.length)]).append(random.nextInt(12) == 0 ? ". " : " ");
                }
                w.write("{\"url\":\"https://bench.example/" + path + "/" + i + "\",\"title\":\"Story " + i
                        + "\",\"source\":\"Bench Wire\",\"published\":\"" + base.plusSeconds(random.nextInt(31_536_000))
                        + "\",\"body\":\"" + body + "\"}\n");
            }
        }
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        try (var walk = Files.walk(dir)) {
            List<Path> paths = new ArrayList<>(walk.toList());
            java.util.Collections.reverse(paths);
            for (Path p : paths) {
                Files.deleteIfExists(p);
            }
        }
    }
}
