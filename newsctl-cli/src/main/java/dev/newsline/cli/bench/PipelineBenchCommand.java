package dev.newsline.cli.bench;

import dev.newsline.cli.local.LocalStack;
import dev.newsline.enrich.Enricher;
import dev.newsline.model.RawArticle;
import dev.newsline.model.topic.Topics;
import dev.newsline.sink.store.ArticleStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The end-to-end benchmark: the embedded stack (broker, enrich, sink to H2) on generated
 * ~700-word articles, next to the offline enrich rate in the same run and a plain Kafka
 * pass-through (produce -> Streams mapValues -> consume) on the same broker as the ceiling.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = {"End-to-end benchmark on the embedded stack: throughput from raw produced to row committed,",
            "latency percentiles at a fixed offered load, the offline enrich rate, peak RSS, and a plain",
            "Kafka Streams pass-through on the same broker as the ceiling."})
public final class PipelineBenchCommand implements Callable<Integer> {

    @Option(names = "--articles", defaultValue = "300", description = "Articles for the throughput run (default: ${DEFAULT-VALUE}).")
    int articles;

    @Option(names = "--words", defaultValue = "700", description = "Words per article (default: ${DEFAULT-VALUE}).")
    int words;

    @Option(names = "--rate", defaultValue = "10", description = "Offered load for the latency run, articles/s (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--latency-seconds", defaultValue = "30", description = "Length of the latency run (default: ${DEFAULT-VALUE}).")
    int latencySeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        SampleCorpus corpus = new SampleCorpus(7);
        Instant base = Instant.parse("2025-01-01T00:00:00Z");
        List<RawArticle> batch = new ArrayList<>();
        for (int i = 0; i < articles; i++) {
            batch.add(corpus.article(i, words, base.plusSeconds(60L * i), Instant.now()));
        }
        long tokens = batch.stream().mapToLong(SampleCorpus::wordCount).sum();
        out.printf("%d articles, %.0f words each on average%n", articles, (double) tokens / articles);

        // offline: the same enrichment code, one thread, in this JVM
        Enricher enricher = Enricher.load();
        for (int i = 0; i < Math.min(20, batch.size()); i++) {
            enricher.enrich(batch.get(i));
        }
        long t0 = System.nanoTime();
        for (RawArticle a : batch) {
            enricher.enrich(a);
        }
        double offline = articles / ((System.nanoTime() - t0) / 1e9);
        out.printf("offline enrich (1 thread):           %8.1f articles/s%n", offline);
        out.flush();

        Path dir = Files.createTempDirectory("newsline-bench-pipeline-");
        try (LocalStack stack = LocalStack.start(dir, 0, Map.of())) {
            ArticleStore store = stack.store();
            try (KafkaProducer<String, RawArticle> producer = producer(stack.bootstrapServers())) {
                // warm-up: the first articles pay for JIT and group joins
                int warm = 20;
                for (int i = 0; i < warm; i++) {
                    send(producer, corpus.article(1_000_000 + i, words, base, Instant.now()));
                }
                producer.flush();
                awaitRows(store, warm, Duration.ofMinutes(5));

                long start = System.nanoTime();
                for (RawArticle a : batch) {
                    send(producer, a);
                }
                producer.flush();
                awaitRows(store, warm + articles, Duration.ofMinutes(30));
                double e2e = articles / ((System.nanoTime() - start) / 1e9);
                out.printf("end to end (raw -> row committed):   %8.1f articles/s = %.0f%% of offline enrich (target >= 80%%)%n",
                        e2e, 100 * e2e / offline);
                out.printf("sink:                                %8.1f rows/s over all tables while keeping up%n",
                        e2e * rowsPerArticle(store));
                out.flush();

                long[] latencies = latencyRun(producer, store, corpus, base, warm + articles);
                out.printf("latency at %.0f articles/s for %d s (publish -> row committed, polled every 10 ms): "
                        + "p50 %d ms, p95 %d ms, p99 %d ms, max %d ms (target p99 < 1000 ms)%n", rate, latencySeconds,
                        pct(latencies, 50), pct(latencies, 95), pct(latencies, 99), latencies[latencies.length - 1]);
            }
            out.printf("peak RSS of the benchmark process (broker, enrich and sink share one JVM): %d MB%n", peakRssMb());
            out.flush();
            passThrough(stack.bootstrapServers(), batch, out);
        } finally {
            deleteRecursively(dir);
        }
        return 0;
    }

    private static KafkaProducer<String, RawArticle> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "acks", "all", "enable.idempotence", true,
                "linger.ms", 5, "compression.type", "lz4"), Topics.ARTICLES_RAW.keySerde().serializer(),
                Topics.ARTICLES_RAW.valueSerde().serializer());
    }

    private static void send(KafkaProducer<String, RawArticle> producer, RawArticle a) {
        producer.send(new ProducerRecord<>(Topics.ARTICLES_RAW.name(), null, a.getPublished().toEpochMilli(), a.getId(), a));
    }

    private static void awaitRows(ArticleStore store, long rows, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (store.articleCount() < rows) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + store.articleCount() + " of " + rows + " articles stored after " + timeout);
            }
            LockSupport.parkNanos(20_000_000L);
        }
    }

    private long[] latencyRun(KafkaProducer<String, RawArticle> producer, ArticleStore store, SampleCorpus corpus,
                              Instant base, long rowsBefore) {
        int n = (int) Math.round(rate * latencySeconds);
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, Long> seenAt = new ConcurrentHashMap<>();
        long intervalNanos = (long) (1e9 / rate);
        long start = System.nanoTime();
        // latency articles are the newest by published time, so "latest articles" shows them first
        Thread watcher = new Thread(() -> {
            try {
                while (seenAt.size() < n && !Thread.currentThread().isInterrupted()) {
                    long now = System.nanoTime();
                    for (var summary : store.latestArticles(null, 64)) {
                        if (sentAt.containsKey(summary.id())) {
                            seenAt.putIfAbsent(summary.id(), now);
                        }
                    }
                    LockSupport.parkNanos(10_000_000L);
                }
            } catch (RuntimeException e) {
                // the store closed under us (the run failed): the caller reports what was seen
            }
        }, "bench-latency-watcher");
        watcher.setDaemon(true);
        watcher.start();
        for (int i = 0; i < n; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            // published after every earlier article but in the past: brokers refuse timestamps an hour ahead
            RawArticle a = corpus.article(2_000_000 + i, words, base.plusSeconds(300L * 86_400L + i), Instant.now());
            sentAt.put(a.getId(), System.nanoTime());
            send(producer, a);
        }
        producer.flush();
        awaitRows(store, rowsBefore + n, Duration.ofMinutes(10));
        try {
            watcher.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watcher.interrupt();
        long[] out = sentAt.entrySet().stream()
                .mapToLong(e -> (seenAt.getOrDefault(e.getKey(), System.nanoTime()) - e.getValue()) / 1_000_000).sorted().toArray();
        return out;
    }

    private static double rowsPerArticle(ArticleStore store) {
        Map<String, Long> counts = store.counts();
        long articles = Math.max(1, counts.getOrDefault("articles", 1L));
        long rows = counts.entrySet().stream().filter(e -> !e.getKey().equals("kafka_offsets")
                && !e.getKey().equals("entity_trends")).mapToLong(Map.Entry::getValue).sum();
        return (double) rows / articles;
    }

    /** Produce -> Streams mapValues (exactly_once_v2) -> consume on the same broker: the ceiling. */
    private static void passThrough(String bootstrap, List<RawArticle> batch, PrintWriter out) throws Exception {
        String in = "bench.passthrough.in";
        String outTopic = "bench.passthrough.out";
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(in, 6, (short) 1), new NewTopic(outTopic, 6, (short) 1))).all().get();
        }
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(in, Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .mapValues(v -> v)
                .to(outTopic, Produced.with(Serdes.String(), Serdes.ByteArray()));
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-passthrough");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("bench-passthrough").toString());
        int n = Math.max(batch.size() * 20, 5000);
        List<byte[]> values = batch.stream().map(a -> Topics.RAW_ARTICLE_SERDE.serialize(in, a)).toList();
        try (KafkaStreams streams = new KafkaStreams(builder.build(), p);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "acks", "all",
                     "enable.idempotence", true, "linger.ms", 5, "compression.type", "lz4"), Serdes.String().serializer(),
                     new ByteArraySerializer());
             KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                     "group.id", "bench-passthrough-reader", "isolation.level", "read_committed",
                     "auto.offset.reset", "earliest"), Serdes.String().deserializer(), new ByteArrayDeserializer())) {
            streams.start();
            consumer.subscribe(List.of(outTopic));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (streams.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100));
            }
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>(in, "k" + i, values.get(i % values.size())));
            }
            producer.flush();
            int seen = 0;
            while (seen < n && System.nanoTime() < deadline + Duration.ofMinutes(5).toNanos()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    seen++;
                }
            }
            double secs = (System.nanoTime() - start) / 1e9;
            out.printf("Kafka pass-through ceiling (produce -> Streams mapValues, exactly_once_v2 -> consume): "
                    + "%d records of ~%d B in %.1f s = %,.0f records/s%n", seen,
                    values.stream().mapToInt(v -> v.length).sum() / values.size(), secs, seen / secs);
        }
    }

    private static long pct(long[] sorted, int percentile) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
