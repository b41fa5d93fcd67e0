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
 * Replays a generated archive into a fresh embedded broker and runs Kafka's own
 * ProducerPerformance on the same broker with the same record size and producer settings.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Replay N generated articles of about 5 KB into news.articles.raw (6 partitions) on a fresh",
            "embedded broker, then run Kafka's ProducerPerformance on the same broker with the same producer",
            "settings twice: fed the archive's own lines (--payload-file) and with one random payload of the",
            "same record size (--record-size); print all three rates."})
public final class IngestBenchCommand implements Callable<Integer> {

    /** Distinct archive lines ProducerPerformance picks its payloads from (it holds them all in memory). */
    private static final int PAYLOAD_LINES = 10_000;

    private static final Pattern PERF = Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\)");

    @Option(names = "--articles", defaultValue = "100000", description = "Articles to replay (default: ${DEFAULT-VALUE}).")
    int articles;

    @Option(names = "--body-bytes", defaultValue = "4600", description = "Body size of each article (default: ${DEFAULT-VALUE}, ~5 KB records).")
    int bodyBytes;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("newsline-bench-ingest-");
        Path archive = dir.resolve("archive.jsonl");
        out.printf("generating %,d articles in %s ...%n", articles, archive);
        out.flush();
        generate(archive, articles, bodyBytes);
        long archiveBytes = Files.size(archive);

        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
            kafka.createTopics(LocalStack.newTopics());
            kafka.createTopics(List.of(new NewTopic("bench.producer-performance", Topics.ARTICLES_RAW.partitions(), (short) 1),
                    new NewTopic("bench.producer-performance-random", Topics.ARTICLES_RAW.partitions(), (short) 1)));
            Map<String, Object> settings = Map.of("bootstrap.servers", kafka.bootstrapServers());

            ReplaySummary summary;
            long started = System.nanoTime();
            try (KafkaSeenStore seen = KafkaSeenStore.open(settings, Topics.INGEST_SEEN, Duration.ofSeconds(60));
                 ArticleProducer producer = new ArticleProducer(settings)) {
                summary = new ArchiveReplayer(producer, ReplayOptions.defaults(), n -> { }, seen).replay(List.of(archive));
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            long storedBytes = topicBytes(kafka);
            int recordSize = averageRecordSize(archive);
            double replayRate = summary.produced() / seconds;
            out.printf("replay:              %,d articles in %.1f s = %,.0f articles/s, %.1f MB/s of archive (%,d B), "
                    + "Avro records ~%,d B (%,d B per record stored after lz4)%n", summary.produced(), seconds, replayRate,
                    archiveBytes / seconds / 1e6, archiveBytes, recordSize, storedBytes / Math.max(1, summary.produced()));
            out.flush();

            // ProducerPerformance's --record-size sends one random array over and over, which lz4
            // squeezes across the records of a batch to a fraction of the bytes; fed the archive's own
            // lines (--payload-file) it sends text of the same size that compresses as articles do
            Path payloads = dir.resolve("payloads.txt");
            try (var lines = Files.lines(archive)) {
                Files.write(payloads, (Iterable<String>) lines.limit(PAYLOAD_LINES)::iterator);
            }
            double samePayloadRate = producerPerformance(kafka.bootstrapServers(), "bench.producer-performance",
                    List.of("--payload-file", payloads.toString()), articles,
                    String.format("%,d distinct archive lines as payloads", PAYLOAD_LINES), out);
            double randomRate = producerPerformance(kafka.bootstrapServers(), "bench.producer-performance-random",
                    List.of("--record-size", String.valueOf(recordSize)), articles,
                    String.format("one random payload of %,d B", recordSize), out);
            if (samePayloadRate > 0) {
                out.printf("replay / ProducerPerformance on the archive's own lines = %.0f%% (target >= 70%%)%n",
                        100 * replayRate / samePayloadRate);
            }
            if (randomRate > 0) {
                out.printf("replay / ProducerPerformance on one repeated random payload = %.0f%%%n", 100 * replayRate / randomRate);
            }
        } finally {
            deleteRecursively(dir);
        }
        return 0;
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
                                              String what, PrintWriter out) throws Exception {
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
        out.printf("ProducerPerformance: %s records (%s, same producer settings) = %,.0f records/s, %s MB/s%n",
                m.group(1), what, rate, m.group(3));
        return rate;
    }

    /** Synthetic news-like JSON lines: distinct URLs, words from a small vocabulary, times over a year. */
    static void generate(Path file, int count, int bodyBytes) throws java.io.IOException {
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
                w.write("{\"url\":\"https://bench.example/story/" + i + "\",\"title\":\"Story " + i
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
