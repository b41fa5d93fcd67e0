package dev.newsline.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.newsline.cli.NewsCtl;
import dev.newsline.cli.local.LocalStack;
import dev.newsline.embedded.EmbeddedKafkaMain;
import dev.newsline.enrich.EnrichService;
import dev.newsline.enrich.Enricher;
import dev.newsline.model.RawArticle;
import dev.newsline.model.topic.Topics;
import dev.newsline.sink.SinkConfig;
import dev.newsline.sink.SinkService;
import dev.newsline.sink.store.ArticleStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
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
 * The end-to-end benchmark: the embedded stack on generated ~700-word articles, with the broker,
 * ingest ({@code newsctl replay}), enrich and sink (to H2) each in a JVM of its own so that each
 * one's peak resident memory is its own; next to the offline enrich rate in the same run and a
 * plain Kafka pass-through (produce -> Streams mapValues -> consume) on the same broker as the
 * ceiling.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = {"End-to-end benchmark on the embedded stack: throughput from raw produced to row committed,",
            "latency percentiles at a fixed offered load, the offline enrich rate, peak RSS, and a plain",
            "Kafka Streams pass-through on the same broker as the ceiling."})
public final class PipelineBenchCommand implements Callable<Integer> {

    @Option(names = "--articles", defaultValue = "600", description = "Articles for the throughput run (default: ${DEFAULT-VALUE}).")
    int articles;

    @Option(names = "--words", defaultValue = "700", description = "Words per article (default: ${DEFAULT-VALUE}).")
    int words;

    @Option(names = "--rate", defaultValue = "10", description = "Offered load for the latency run, articles/s (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--warmup", defaultValue = "150", description = "Articles through the pipeline before measuring (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--enrich-threads", defaultValue = "1", description = "Stream threads of the enrich process (default: ${DEFAULT-VALUE}, the service's default).")
    int enrichThreads;

    @Option(names = "--enrich-commit-interval-ms", defaultValue = "0", description = "enrich.commit.interval.ms of the enrich process (default: the service's own).")
    long enrichCommitIntervalMs;

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
        for (int i = 0; i < Math.min(warmup, batch.size()); i++) {
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
        List<ChildJvm> children = new ArrayList<>();
        try {
            int brokerPort = freePort();
            ChildJvm broker = child(children, ChildJvm.start("broker", EmbeddedKafkaMain.class.getName(),
                    List.of(dir.resolve("kafka").toString(), String.valueOf(brokerPort)), Map.of(), List.of(), dir));
            broker.awaitOutput(EmbeddedKafkaMain.READY, Duration.ofMinutes(2));
            String bootstrap = "127.0.0.1:" + brokerPort;
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(LocalStack.newTopics()).all().get();
            }
            int enrichPort = freePort();
            Map<String, String> enrichEnv = new HashMap<>(Map.of(
                    "NEWS_KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                    "NEWS_ENRICH_STATE_DIR", dir.resolve("streams").toString(),
                    "NEWS_ENRICH_STREAM_THREADS", String.valueOf(enrichThreads),
                    "NEWS_ENRICH_HTTP_BIND", "127.0.0.1",
                    "NEWS_ENRICH_HTTP_PORT", String.valueOf(enrichPort)));
            if (enrichCommitIntervalMs > 0) {
                enrichEnv.put("NEWS_ENRICH_COMMIT_INTERVAL_MS", String.valueOf(enrichCommitIntervalMs));
            }
            ChildJvm enrich = child(children, ChildJvm.start("enrich", EnrichService.class.getName(), List.of(), enrichEnv, List.of(), dir));
            int sinkPort = freePort();
            ChildJvm sink = child(children, ChildJvm.start("sink", SinkService.class.getName(), List.of(), Map.of(
                    "NEWS_KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                    "NEWS_SINK_JDBC_URL", SinkConfig.h2Url(dir.resolve("store").resolve("newsline")),
                    "NEWS_SINK_HTTP_BIND", "127.0.0.1",
                    "NEWS_SINK_HTTP_PORT", String.valueOf(sinkPort)), List.of(), dir));
            URI sinkUri = URI.create("http://127.0.0.1:" + sinkPort + "/");
            enrich.awaitHttpOk(URI.create("http://127.0.0.1:" + enrichPort + "/health/ready"), Duration.ofMinutes(3));
            sink.awaitHttpOk(sinkUri.resolve("health/ready"), Duration.ofMinutes(3));
            SinkProbe rows = new SinkProbe(sinkUri);
            double e2e;

            try (KafkaProducer<String, RawArticle> producer = producer(bootstrap)) {
                // warm-up: the first articles pay for group joins and for the JIT of four fresh JVMs on two cores
                int warm = warmup;
                for (int i = 0; i < warm; i++) {
                    send(producer, corpus.article(1_000_000 + i, words, base, Instant.now()));
                }
                producer.flush();
                rows.awaitArticles(warm, Duration.ofMinutes(5));

                // throughput: the ingest side is `newsctl replay` of the batch as an archive, in its own JVM;
                // the clock starts when its first article reaches the raw topic (not at its JVM start)
                Path archive = dir.resolve("bench-archive.jsonl");
                writeArchive(archive, batch);
                ChildJvm ingest = child(children, ChildJvm.start("ingest", NewsCtl.class.getName(),
                        List.of("replay", "--embedded", "--port", String.valueOf(brokerPort), "--data-dir",
                                dir.resolve("ingest").toString(), archive.toString()), Map.of(), List.of(), dir));
                long start = awaitRawBeyond(bootstrap, warm, ingest);
                rows.awaitArticles(warm + articles, Duration.ofMinutes(30));
                e2e = articles / ((System.nanoTime() - start) / 1e9);
                if (ingest.awaitExit(Duration.ofMinutes(1)) != 0) {
                    throw new IllegalStateException("newsctl replay failed; see " + dir.resolve("ingest.log"));
                }
                out.printf("end to end (raw -> row committed):   %8.1f articles/s = %.0f%% of offline enrich (target >= 80%%)%n",
                        e2e, 100 * e2e / offline);
                out.printf("enrich (%d stream thread%s):            %8.1f articles/s while keeping up (the stage that bounds)%n",
                        enrichThreads, enrichThreads == 1 ? "" : "s", e2e);
                out.flush();

                long[] latencies = latencyRun(producer, rows, corpus, base, warm + articles);
                out.printf("latency at %.0f articles/s for %d s (publish -> row committed, polled every 10 ms): "
                        + "p50 %d ms, p95 %d ms, p99 %d ms, max %d ms (target p99 < 1000 ms)%n", rate, latencySeconds,
                        pct(latencies, 50), pct(latencies, 95), pct(latencies, 99), latencies[latencies.length - 1]);
            }
            out.printf("peak RSS per process (each service in its own JVM, default heap settings): broker %d MB, "
                    + "ingest (newsctl replay) %d MB, enrich %d MB, sink %d MB%n", broker.peakRssMb(),
                    children.stream().filter(c -> c != broker && c != enrich && c != sink).mapToLong(ChildJvm::peakRssMb)
                            .max().orElse(-1), enrich.peakRssMb(), sink.peakRssMb());
            out.flush();
            enrich.close();
            sink.close();
            // the sink is gone, so its H2 file can be read: rows per article over the tables it fills
            try (ArticleStore store = ArticleStore.openForReading(SinkConfig.h2Url(dir.resolve("store").resolve("newsline")),
                    null, null)) {
                out.printf("sink:                                %8.0f rows/s over all tables while keeping up "
                        + "(%.1f rows per article)%n", e2e * rowsPerArticle(store), rowsPerArticle(store));
            }
            out.flush();
            passThrough(bootstrap, batch, out);
        } finally {
            for (int i = children.size() - 1; i >= 0; i--) {
                children.get(i).close();
            }
            deleteRecursively(dir);
        }
        return 0;
    }

    private static ChildJvm child(List<ChildJvm> started, ChildJvm child) {
        started.add(child);
        return child;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The batch as an archive `newsctl replay` reads: one JSON object per line. */
    private static void writeArchive(Path archive, List<RawArticle> batch) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> lines = new ArrayList<>();
        for (RawArticle a : batch) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("url", a.getUrl());
            line.put("title", a.getTitle());
            line.put("body", a.getBody());
            line.put("source", a.getSource());
            line.put("published", a.getPublished().toString());
            lines.add(json.writeValueAsString(line));
        }
        Files.write(archive, lines);
    }

    /** Waits until the raw topic holds more than {@code already} records; the time it saw that. */
    private static long awaitRawBeyond(String bootstrap, long already, ChildJvm ingest) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < Topics.ARTICLES_RAW.partitions(); p++) {
                latest.put(new TopicPartition(Topics.ARTICLES_RAW.name(), p), OffsetSpec.latest());
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (System.nanoTime() < deadline) {
                long total = admin.listOffsets(latest).all().get().values().stream()
                        .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
                if (total > already) {
                    return System.nanoTime();
                }
                if (!ingest.alive()) {
                    throw new IllegalStateException("newsctl replay ended before producing anything");
                }
                LockSupport.parkNanos(10_000_000L);
            }
        }
        throw new IllegalStateException("nothing reached " + Topics.ARTICLES_RAW.name() + " within 2 minutes");
    }

    private static KafkaProducer<String, RawArticle> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "acks", "all", "enable.idempotence", true,
                "linger.ms", 5, "compression.type", "lz4"), Topics.ARTICLES_RAW.keySerde().serializer(),
                Topics.ARTICLES_RAW.valueSerde().serializer());
    }

    private static void send(KafkaProducer<String, RawArticle> producer, RawArticle a) {
        producer.send(new ProducerRecord<>(Topics.ARTICLES_RAW.name(), null, a.getPublished().toEpochMilli(), a.getId(), a));
    }

    private long[] latencyRun(KafkaProducer<String, RawArticle> producer, SinkProbe store, SampleCorpus corpus,
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
                    for (String id : store.latestIds(16)) {
                        if (sentAt.containsKey(id)) {
                            seenAt.putIfAbsent(id, now);
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
        store.awaitArticles(rowsBefore + n, Duration.ofMinutes(10));
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

    /**
     * The sink seen from outside, as its users see it: committed articles from its readiness
     * counters, the latest ids from its API. Its H2 file is the sink's alone while it runs. Polled
     * often, so only cheap requests: a /metrics scrape every few milliseconds would cost the sink
     * more CPU than its writes.
     */
    private static final class SinkProbe {

        private final HttpClient http = HttpClient.newHttpClient();
        private final ObjectMapper json = new ObjectMapper();
        private final URI base;

        SinkProbe(URI base) {
            this.base = base;
        }

        /** Articles committed, from the counters of {@code /health/ready} (cheap, unlike a /metrics scrape). */
        long articles() {
            try {
                return json.readTree(get("health/ready")).path("articlesWritten").asLong();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        List<String> latestIds(int limit) {
            try {
                List<String> ids = new ArrayList<>();
                json.readTree(get("api/articles?limit=" + limit)).path("articles").forEach(a -> ids.add(a.path("id").asText()));
                return ids;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void awaitArticles(long n, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            long seen;
            while ((seen = articles()) < n) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + seen + " of " + n + " articles stored after " + timeout);
                }
                LockSupport.parkNanos(20_000_000L);
            }
        }

        private String get(String path) {
            try {
                return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
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

    private static void deleteRecursively(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
