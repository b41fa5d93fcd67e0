package dev.newsline.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.newsline.cli.EnrichCommand;
import dev.newsline.cli.NewsCtl;
import dev.newsline.cli.local.LocalStack;
import dev.newsline.embedded.EmbeddedKafkaMain;
import dev.newsline.enrich.EnrichService;
import dev.newsline.enrich.Enricher;
import dev.newsline.enrich.nlp.EntityRecognizer;
import dev.newsline.model.RawArticle;
import dev.newsline.model.config.LayeredConfig;
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

    private static final int WARMUP_CHUNK = 300;
    private static final double JIT_SETTLED_CORES = 0.1;

    /** Articles the offline enricher sees before its rate is measured. */
    private static final int OFFLINE_WARMUP = 150;

    @Option(names = "--articles", defaultValue = "450",
            description = "Articles per round of the throughput run (default: ${DEFAULT-VALUE}).")
    int articles;

    @Option(names = "--rounds", defaultValue = "5",
            description = "Rounds of the throughput run; each times the offline rate and then the pipeline on its own "
                    + "articles (every other round the pipeline first), so that both see the machine at the same speed "
                    + "(default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--practice-rounds", defaultValue = "1",
            description = "Rounds run as the measured ones but not counted, after the warm-up (default: ${DEFAULT-VALUE}). "
                    + "The warm-up feeds the stack without a pause; the first round after a pause made the JIT "
                    + "recompile Kafka client and Streams code in enrich and the sink.")
    int practiceRounds;

    @Option(names = "--words", defaultValue = "700", description = "Words per article (default: ${DEFAULT-VALUE}).")
    int words;

    @Option(names = "--rate", defaultValue = "10", description = "Offered load for the latency run, articles/s (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--warmup", defaultValue = "1200",
            description = "Articles through the pipeline before measuring, so that the JIT compilers of four young JVMs "
                    + "have settled (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--warmup-max", defaultValue = "6000",
            description = "After --warmup, more articles in chunks of " + WARMUP_CHUNK + " until the JIT compilers of "
                    + "the broker, enrich and sink together use under " + JIT_SETTLED_CORES + " of a core over a chunk, "
                    + "up to this many articles of warm-up in all (default: ${DEFAULT-VALUE}).")
    int warmupMax;

    @Option(names = "--enrich-threads", defaultValue = "1", description = "Stream threads of the enrich process (default: ${DEFAULT-VALUE}, the service's default).")
    int enrichThreads;

    @Option(names = "--enrich-commit-interval-ms", defaultValue = "0", description = "enrich.commit.interval.ms of the enrich process (default: the service's own).")
    long enrichCommitIntervalMs;

    @Option(names = "--enrich-config", paramLabel = "KEY=VALUE",
            description = "A setting of the enrich process, as in its properties file, e.g. kafka.producer.linger.ms=5; "
                    + "repeatable.")
    Map<String, String> enrichConfig = new LinkedHashMap<>();

    @Option(names = "--sink-config", paramLabel = "KEY=VALUE",
            description = "A setting of the sink process, as in its properties file, e.g. kafka.fetch.min.bytes=65536; "
                    + "repeatable.")
    Map<String, String> sinkConfig = new LinkedHashMap<>();

    @Option(names = "--jvm-option", paramLabel = "PROCESS=OPTION",
            description = "A JVM option for one child process (broker, enrich, sink or ingest), e.g. "
                    + "enrich=-XX:StartFlightRecording=filename=/tmp/enrich.jfr; repeatable.")
    List<String> jvmOptions = new ArrayList<>();

    @Option(names = "--latency-seconds", defaultValue = "30", description = "Length of the latency run (default: ${DEFAULT-VALUE}).")
    int latencySeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (rounds < 1 || articles < 1 || practiceRounds < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--rounds and --articles must be at least 1, --practice-rounds at least 0");
        }
        int allRounds = practiceRounds + rounds;
        SampleCorpus corpus = new SampleCorpus(7);
        Instant base = Instant.parse("2025-01-01T00:00:00Z");
        List<List<RawArticle>> batches = new ArrayList<>();
        long tokens = 0;
        for (int r = 0; r < allRounds; r++) {
            List<RawArticle> batch = new ArrayList<>();
            for (int i = r * articles; i < (r + 1) * articles; i++) {
                batch.add(corpus.article(i, words, base.plusSeconds(60L * i), Instant.now()));
            }
            tokens += batch.stream().mapToLong(SampleCorpus::wordCount).sum();
            batches.add(batch);
        }
        out.printf("%d rounds of %d articles (after %d practice round%s, not counted), %.0f words each on average%n",
                rounds, articles, practiceRounds, practiceRounds == 1 ? "" : "s",
                (double) tokens / (allRounds * articles));

        // offline: `newsctl enrich` in this JVM, line by line as the command runs (JSON in, the same
        // enrichment code, JSON out), on as many threads as the enrich process has stream threads
        Enricher enricher = Enricher.load();
        List<String> firstLines = archiveLines(batches.get(0));
        warmUpOffline(enricher, firstLines);
        double alone = offlineRate(batches.get(0).size(), i -> enricher.enrich(batches.get(0).get(i)), enrichThreads);
        out.printf("offline enrichment alone (%s, no JSON), before the stack: %.1f articles/s%n", threads(), alone);
        out.flush();

        Path dir = Files.createTempDirectory("newsline-bench-pipeline-");
        List<ChildJvm> children = new ArrayList<>();
        try {
            int brokerPort = freePort();
            ChildJvm broker = child(children, ChildJvm.start("broker", EmbeddedKafkaMain.class.getName(),
                    List.of(dir.resolve("kafka").toString(), String.valueOf(brokerPort)), Map.of(), optionsFor("broker"), dir));
            broker.awaitOutput(EmbeddedKafkaMain.READY, Duration.ofMinutes(2));
            String bootstrap = "127.0.0.1:" + brokerPort;
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(LocalStack.newTopics()).all().get();
            }
            int enrichPort = freePort();
            Map<String, String> enrichEnv = new LinkedHashMap<>(Map.of(
                    "NEWS_KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                    "NEWS_ENRICH_STATE_DIR", dir.resolve("streams").toString(),
                    "NEWS_ENRICH_STREAM_THREADS", String.valueOf(enrichThreads),
                    "NEWS_ENRICH_HTTP_BIND", "127.0.0.1",
                    "NEWS_ENRICH_HTTP_PORT", String.valueOf(enrichPort)));
            enrichConfig.forEach((key, value) -> enrichEnv.put(envName(key), value));
            if (enrichCommitIntervalMs > 0) {
                enrichEnv.put("NEWS_ENRICH_COMMIT_INTERVAL_MS", String.valueOf(enrichCommitIntervalMs));
            }
            ChildJvm enrich = child(children, ChildJvm.start("enrich", EnrichService.class.getName(), List.of(), enrichEnv, optionsFor("enrich"), dir));
            int sinkPort = freePort();
            Map<String, String> sinkEnv = new LinkedHashMap<>(Map.of(
                    "NEWS_KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                    "NEWS_SINK_JDBC_URL", SinkConfig.h2Url(dir.resolve("store").resolve("newsline")),
                    "NEWS_SINK_HTTP_BIND", "127.0.0.1",
                    "NEWS_SINK_HTTP_PORT", String.valueOf(sinkPort)));
            sinkConfig.forEach((key, value) -> sinkEnv.put(envName(key), value));
            ChildJvm sink = child(children, ChildJvm.start("sink", SinkService.class.getName(), List.of(), sinkEnv,
                    optionsFor("sink"), dir));
            URI sinkUri = URI.create("http://127.0.0.1:" + sinkPort + "/");
            enrich.awaitHttpOk(URI.create("http://127.0.0.1:" + enrichPort + "/health/ready"), Duration.ofMinutes(3));
            sink.awaitHttpOk(sinkUri.resolve("health/ready"), Duration.ofMinutes(3));
            ServiceProbe rows = new ServiceProbe(sinkUri);
            ServiceProbe enrichProbe = new ServiceProbe(URI.create("http://127.0.0.1:" + enrichPort + "/"));
            List<ChildJvm> stack = List.of(broker, enrich, sink);
            Duration idleTimeout = Duration.ofMinutes(2);
            double e2e;

            try (KafkaProducer<String, RawArticle> producer = producer(bootstrap)) {
                // warm-up: the first articles pay for group joins and for the JIT of four fresh JVMs on two
                // cores; the compilers are still busy minutes in (C2 recompiles after deoptimisations), so the
                // warm-up goes on until they have settled: a long-running service is measured, not a young one
                long warmStart = System.nanoTime();
                int warm = 0;
                String jit = "";
                while (warm < Math.max(warmup, warmupMax)) {
                    int chunk = warm < warmup ? warmup : Math.min(WARMUP_CHUNK, warmupMax - warm);
                    CpuUse cpu = new CpuUse(stack);
                    for (int i = warm; i < warm + chunk; i++) {
                        send(producer, corpus.article(1_000_000 + i, words, base, Instant.now()));
                    }
                    producer.flush();
                    warm += chunk;
                    rows.awaitArticles(warm, Duration.ofMinutes(5));
                    jit = cpu.compilers();
                    if (warm >= warmup && cpu.compilerCores() < JIT_SETTLED_CORES) {
                        break;
                    }
                }
                out.printf("warm-up: %d articles through the stack in %.0f s; JIT compilers over the last %d: %s%n", warm,
                        (System.nanoTime() - warmStart) / 1e9, warm <= warmup ? warm : WARMUP_CHUNK, jit);
                out.flush();

                // this JVM's enrichment code sat idle through the warm-up; run it again first, as the stack's was
                warmUpOffline(enricher, firstLines);

                // throughput, in rounds: this machine's speed drifts by tens of percent over minutes, so
                // each round times the offline rate next to the pipeline, on the same articles; the
                // offline rate is timed while the stack is idle (the broker, enrich and sink polling)
                double[] ratios = new double[rounds];
                double e2eSeconds = 0;
                double offlineSeconds = 0;
                for (int r = 0; r < allRounds; r++) {
                    List<RawArticle> batch = batches.get(r);
                    List<String> lines = r == 0 ? firstLines : archiveLines(batch);
                    boolean offlineFirst = Math.floorMod(r - practiceRounds, 2) == 0;
                    String idle = settle(stack, idleTimeout);
                    OfflineRound offline = offlineFirst ? offlineRound(enricher, lines, stack) : null;
                    if (offlineFirst) {
                        idle = settle(stack, idleTimeout);
                    }
                    ThroughputRound through = throughputRound(dir, r, lines, bootstrap, brokerPort,
                            warm + (long) r * articles, rows, enrichProbe, stack, children);
                    if (!offlineFirst) {
                        idle = settle(stack, idleTimeout);
                        offline = offlineRound(enricher, lines, stack);
                    }
                    double ratio = through.rate() / offline.rate();
                    boolean practice = r < practiceRounds;
                    if (!practice) {
                        ratios[r - practiceRounds] = ratio;
                        e2eSeconds += articles / through.rate();
                        offlineSeconds += articles / offline.rate();
                    }
                    out.printf("%s (%s first%s): offline `newsctl enrich` %.1f articles/s (stack meanwhile: %s); "
                            + "end to end %.1f articles/s = %.0f%%; CPU in cores (of %d): %s; enrich stream thread%s "
                            + "on a CPU %.0f%%, waiting for a CPU %.0f%%, blocked on Kafka %.0f%%; "
                            + "sink transactions %d (%.1f articles each); %s before the %s%n",
                            practice ? "practice round " + (r + 1) : "round " + (r + 1 - practiceRounds),
                            offlineFirst ? "offline" : "pipeline", practice ? ", not counted" : "", offline.rate(), offline.stackCpu(),
                            through.rate(), 100 * ratio, Runtime.getRuntime().availableProcessors(), through.cpu(),
                            enrichThreads == 1 ? "" : "s", 100 * through.streamThreads().onCpu(),
                            100 * through.streamThreads().waitingForCpu(), 100 * through.blocked(), through.sinkBatches(),
                            (double) articles / through.sinkBatches(), idle,
                            offlineFirst ? "pipeline" : "offline run");
                    out.flush();
                }
                e2e = rounds * articles / e2eSeconds;
                double offlineRate = rounds * articles / offlineSeconds;
                double[] sorted = ratios.clone();
                java.util.Arrays.sort(sorted);
                double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
                out.printf("end to end (raw -> row committed):   %8.1f articles/s over the %d rounds%n", e2e, rounds);
                out.printf("%-37s%8.1f articles/s while keeping up (the stage that bounds)%n",
                        "enrich (" + (enrichThreads == 1 ? "1 stream thread" : enrichThreads + " stream threads") + "):",
                        e2e);
                out.printf("%-37s%8.1f articles/s over the %d rounds%n", "offline `newsctl enrich` (" + threads() + "):",
                        offlineRate, rounds);
                out.printf("end to end / offline `newsctl enrich`: median of the rounds %.0f%% (target >= 80%%; rounds "
                        + "%.0f%%-%.0f%%); over all the rounds %.1f / %.1f = %.0f%%%n", 100 * median, 100 * sorted[0],
                        100 * sorted[sorted.length - 1], e2e, offlineRate, 100 * e2e / offlineRate);
                out.flush();

                // the last articles' trend updates are still being aggregated when their rows are in;
                // measured at once, the first second of the latency run queued behind that backlog
                out.printf("stack %s after the throughput run (idle: each process under %.2f of a core for %d s)%n",
                        settle(stack, idleTimeout), IDLE_CORES, IDLE_SECONDS);
                Latencies latencies = latencyRun(producer, rows, corpus, base,
                        warm + (long) allRounds * articles, bootstrap, stack);
                long[] toRow = latencies.toRow();
                long[] toEnriched = latencies.toEnriched();
                out.printf("latency at %.0f articles/s for %d s (publish -> row committed, polled every 10 ms): "
                        + "p50 %d ms, p95 %d ms, p99 %d ms, max %d ms (target p99 < 1000 ms)%n", rate, latencySeconds,
                        pct(toRow, 50), pct(toRow, 95), pct(toRow, 99), toRow[toRow.length - 1]);
                out.printf("  of which publish -> enriched record committed (read_committed consumer): p50 %d ms, p95 %d ms, "
                        + "p99 %d ms, max %d ms%n", pct(toEnriched, 50), pct(toEnriched, 95), pct(toEnriched, 99),
                        toEnriched[toEnriched.length - 1]);
                out.printf("  slowest to the enriched record (sent at + seconds into the run: ms): %s%n", latencies.slowest());
                out.printf("  CPU in cores while the slowest of them waited: %s%n", latencies.slowestWait());
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
            passThrough(bootstrap, batches.get(0), out);
        } finally {
            closeAll(children);
            deleteRecursively(dir);
        }
        return 0;
    }

    /** Stops the children, the last started first. Idempotent. */
    private static void closeAll(List<ChildJvm> children) {
        for (int i = children.size() - 1; i >= 0; i--) {
            children.get(i).close();
        }
    }

    private List<String> optionsFor(String process) {
        // the enrich process starts as its image starts it; the offline rate is measured in this JVM, which newsctl
        // starts with the same options
        List<String> options = new ArrayList<>(process.equals("enrich") ? EntityRecognizer.JVM_OPTIONS : List.of());
        for (String o : jvmOptions) {
            int eq = o.indexOf('=');
            if (eq < 0 || !List.of("broker", "enrich", "sink", "ingest").contains(o.substring(0, eq))) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--jvm-option must be PROCESS=OPTION with PROCESS one of broker, enrich, sink, ingest: " + o);
            }
            if (o.substring(0, eq).equals(process)) {
                options.add(o.substring(eq + 1));
            }
        }
        return options;
    }

    /** KIP-761: time the stream thread spent blocked on Kafka (consumer waits, producer flush, transactions). */
    private static final String BLOCKED_METRIC = "kafka_stream_thread_blocked_time_ns_total";
    /** Kafka Streams names its threads after the application id: "newsline-enrich-UUID-StreamThread-N". */
    private static final String STREAM_THREAD_NAME = "newsline-enrich";
    private static final double IDLE_CORES = 0.1;
    private static final int IDLE_SECONDS = 2;

    /**
     * Waits until every process uses under {@link #IDLE_CORES} of a core for {@link #IDLE_SECONDS}
     * whole seconds in a row.
     *
     * @return seconds waited, or -1 if the processes were not idle within the timeout
     */
    private static double awaitIdle(List<ChildJvm> processes, Duration timeout) {
        long start = System.nanoTime();
        int quiet = 0;
        while (quiet < IDLE_SECONDS && System.nanoTime() - start < timeout.toNanos()) {
            long[] before = processes.stream().mapToLong(p -> p.cpu().toNanos()).toArray();
            LockSupport.parkNanos(1_000_000_000L);
            boolean idle = true;
            for (int i = 0; i < before.length; i++) {
                idle &= processes.get(i).cpu().toNanos() - before[i] < IDLE_CORES * 1e9;
            }
            quiet = idle ? quiet + 1 : 0;
        }
        return quiet < IDLE_SECONDS ? -1 : (System.nanoTime() - start) / 1e9;
    }

    /** "; machine: ..." for the time since {@code startNanos}, or nothing off Linux. */
    private static String machineSince(MachineCpu before, long startNanos) {
        MachineCpu now = MachineCpu.now();
        return before == null || now == null ? "" : "; " + now.since(before, (System.nanoTime() - startNanos) / 1e9);
    }

    private static void warmUpOffline(Enricher enricher, List<String> lines) {
        for (int i = 0; i < Math.min(OFFLINE_WARMUP, lines.size()); i++) {
            EnrichCommand.enrichLine(enricher, lines.get(i));
        }
    }

    private String threads() {
        return enrichThreads + " thread" + (enrichThreads == 1 ? "" : "s");
    }

    /** "idle N s", or "still not idle" after the timeout: see {@link #awaitIdle}. */
    private static String settle(List<ChildJvm> stack, Duration timeout) {
        double settled = awaitIdle(stack, timeout);
        return settled < 0 ? "still not idle after " + timeout.toSeconds() + " s" : String.format("idle %.1f s", settled);
    }

    /** One round's offline rate, and what the idle stack used meanwhile. */
    private record OfflineRound(double rate, String stackCpu) {
    }

    private OfflineRound offlineRound(Enricher enricher, List<String> lines, List<ChildJvm> stack) throws InterruptedException {
        CpuUse cpu = new CpuUse(stack);
        MachineCpu machine = MachineCpu.now();
        long start = System.nanoTime();
        double rate = offlineRate(lines.size(), i -> EnrichCommand.enrichLine(enricher, lines.get(i)), enrichThreads);
        return new OfflineRound(rate, cpu.processes() + machineSince(machine, start));
    }

    /**
     * One round through the pipeline: articles/s, CPU of each process, the stream threads' shares
     * on a CPU, waiting for one and blocked on Kafka, and the sink's transactions (poll batches written).
     */
    private record ThroughputRound(double rate, String cpu, StreamThreads streamThreads, double blocked, long sinkBatches) {
    }

    /**
     * Shares of the round's wall time the enrich stream threads spent on a CPU and waiting for one
     * (ready to run while both cores were taken), from the kernel's per-thread schedstat; what is
     * left is time they were not runnable (waiting on Kafka or for work).
     */
    record StreamThreads(double onCpu, double waitingForCpu) {

        /** The {@code threads} threads named like stream threads that ran most between the two snapshots. */
        static StreamThreads between(Map<Long, ChildJvm.RunAndWait> before, Map<Long, ChildJvm.RunAndWait> after,
                                     int threads, double seconds) {
            List<ChildJvm.RunAndWait> deltas = new ArrayList<>();
            after.forEach((tid, now) -> {
                ChildJvm.RunAndWait then = before.getOrDefault(tid, new ChildJvm.RunAndWait(0, 0));
                deltas.add(new ChildJvm.RunAndWait(now.runNanos() - then.runNanos(), now.waitNanos() - then.waitNanos()));
            });
            deltas.sort(java.util.Comparator.comparingLong(ChildJvm.RunAndWait::runNanos).reversed());
            List<ChildJvm.RunAndWait> busiest = deltas.subList(0, Math.min(threads, deltas.size()));
            double wall = threads * seconds * 1e9;
            return new StreamThreads(busiest.stream().mapToLong(ChildJvm.RunAndWait::runNanos).sum() / wall,
                    busiest.stream().mapToLong(ChildJvm.RunAndWait::waitNanos).sum() / wall);
        }
    }

    /**
     * Replays the round's articles with {@code newsctl replay} in a JVM of its own; the clock starts
     * when its first article reaches the raw topic (not at its JVM start) and stops when the sink
     * has committed the last row.
     */
    private ThroughputRound throughputRound(Path dir, int round, List<String> lines, String bootstrap, int brokerPort,
                                            long before, ServiceProbe rows, ServiceProbe enrichProbe,
                                            List<ChildJvm> stack, List<ChildJvm> children) throws Exception {
        Path archive = dir.resolve("bench-archive-" + round + ".jsonl");
        Files.write(archive, lines);
        ChildJvm ingest = child(children, ChildJvm.start("ingest", NewsCtl.class.getName(),
                List.of("replay", "--embedded", "--port", String.valueOf(brokerPort), "--data-dir",
                        dir.resolve("ingest").toString(), archive.toString()), Map.of(), optionsFor("ingest"), dir));
        long start = awaitRawBeyond(bootstrap, before, ingest);
        CpuUse cpu = new CpuUse(stack);
        ChildJvm enrich = stack.stream().filter(p -> p.name().equals("enrich")).findFirst().orElseThrow();
        Map<Long, ChildJvm.RunAndWait> scheduleBefore = enrich.schedule(STREAM_THREAD_NAME);
        double blockedBefore = enrichProbe.metricSum(BLOCKED_METRIC);
        long batchesBefore = rows.counter("batches");
        rows.awaitArticles(before + lines.size(), Duration.ofMinutes(30));
        double seconds = (System.nanoTime() - start) / 1e9;
        String cpuUse = cpu.report();
        double blocked = (enrichProbe.metricSum(BLOCKED_METRIC) - blockedBefore) / 1e9 / enrichThreads / seconds;
        StreamThreads streamThreads = StreamThreads.between(scheduleBefore, enrich.schedule(STREAM_THREAD_NAME),
                enrichThreads, seconds);
        if (ingest.awaitExit(Duration.ofMinutes(1)) != 0) {
            throw new IllegalStateException("newsctl replay failed; see " + dir.resolve("ingest.log"));
        }
        return new ThroughputRound(lines.size() / seconds, cpuUse, streamThreads, blocked,
                rows.counter("batches") - batchesBefore);
    }

    /** Articles/s of {@code work} over items 0..n-1, split among {@code threads} threads. */
    private static double offlineRate(int n, java.util.function.IntConsumer work, int threads) throws InterruptedException {
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    work.accept(i);
                }
            }, "bench-offline-enrich-" + t);
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    /** CPU time of each process and of this one (the benchmark's own polling) from now to {@link #report}. */
    private static final class CpuUse {

        private final List<ChildJvm> processes;
        private final long[] startNanos;
        private final long selfStart = CpuTimeline.selfCpuNanos();
        private final long wallStart = System.nanoTime();
        private final MachineCpu machineStart = MachineCpu.now();
        private final long[] compilerStartNanos;

        CpuUse(List<ChildJvm> processes) {
            this.processes = processes;
            this.startNanos = processes.stream().mapToLong(p -> p.cpu().toNanos()).toArray();
            this.compilerStartNanos = processes.stream().mapToLong(p -> p.compilerCpu().toNanos()).toArray();
        }

        /** Cores the processes' JIT compiler threads used since construction, all together. */
        double compilerCores() {
            double[] cores = cores(compilerStartNanos, ChildJvm::compilerCpu);
            return java.util.Arrays.stream(cores).sum();
        }

        /** Each process's JIT compiler threads since construction, in cores. */
        String compilers() {
            return perProcess(cores(compilerStartNanos, ChildJvm::compilerCpu));
        }

        /** Each process's cores since construction. */
        String processes() {
            return perProcess(cores(startNanos, ChildJvm::cpu));
        }

        private double[] cores(long[] start, java.util.function.Function<ChildJvm, Duration> cpu) {
            double wall = System.nanoTime() - wallStart;
            double[] cores = new double[processes.size()];
            for (int i = 0; i < cores.length; i++) {
                cores[i] = (cpu.apply(processes.get(i)).toNanos() - start[i]) / wall;
            }
            return cores;
        }

        private String perProcess(double[] cores) {
            return CpuTimeline.perProcess(processes, cores) + " cores";
        }

        String report() {
            double wall = System.nanoTime() - wallStart;
            StringBuilder s = new StringBuilder(processes().replace(" cores", "")).append(", ");
            s.append(String.format("benchmark %.2f; ingest (newsctl replay) not counted, it ends before this is read; "
                    + "of which JIT compilers: %s", (CpuTimeline.selfCpuNanos() - selfStart) / wall, compilers()));
            MachineCpu machine = MachineCpu.now();
            if (machineStart != null && machine != null) {
                s.append("; ").append(machine.since(machineStart, wall / 1e9));
            }
            return s.toString();
        }

    }

    private static ChildJvm child(List<ChildJvm> started, ChildJvm child) {
        started.add(child);
        return child;
    }

    /** The environment variable a child service reads a properties-file key from. */
    private static String envName(String key) {
        return LayeredConfig.ENV_PREFIX + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_');
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The batch as the JSON lines `newsctl replay` and `newsctl enrich` read. */
    private static List<String> archiveLines(List<RawArticle> batch) throws IOException {
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
        return lines;
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

    /** Per article of the latency run, ms from publish to its enriched record committed and to its row committed. */
    private record Latencies(long[] toEnriched, long[] toRow, String slowest, String slowestWait) {
    }

    private Latencies latencyRun(KafkaProducer<String, RawArticle> producer, ServiceProbe store, SampleCorpus corpus,
                                 Instant base, long rowsBefore, String bootstrap, List<ChildJvm> stack) {
        int n = (int) Math.round(rate * latencySeconds);
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, Long> seenAt = new ConcurrentHashMap<>();
        Map<String, Long> enrichedAt = new ConcurrentHashMap<>();
        // the broker answers a waiting fetch as soon as a transaction's records become readable, so the
        // default wait does not delay what is seen; a 10 ms wait was a fetch every 10 ms for the broker
        KafkaConsumer<String, byte[]> enriched = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "isolation.level", "read_committed"), Serdes.String().deserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < Topics.ARTICLES_ENRICHED.partitions(); p++) {
            partitions.add(new TopicPartition(Topics.ARTICLES_ENRICHED.name(), p));
        }
        enriched.assign(partitions);
        enriched.seekToEnd(partitions);
        partitions.forEach(enriched::position);
        Thread enrichedWatcher = new Thread(() -> {
            try (enriched) {
                while (enrichedAt.size() < n && !Thread.currentThread().isInterrupted()) {
                    for (ConsumerRecord<String, byte[]> r : enriched.poll(Duration.ofMillis(50))) {
                        enrichedAt.putIfAbsent(r.key(), System.nanoTime());
                    }
                }
            } catch (org.apache.kafka.common.errors.InterruptException e) {
                // the run is over
            }
        }, "bench-enriched-watcher");
        enrichedWatcher.setDaemon(true);
        enrichedWatcher.start();
        long intervalNanos = (long) (1e9 / rate);
        CpuTimeline timeline = new CpuTimeline(stack);
        long start = System.nanoTime();
        // latency articles are the newest by published time, so "latest articles" shows them first; that
        // query runs only when the cheap commit counter has moved: a query every 10 ms was a load of its own
        // on the sink (0.44 of a core with everything else at the slowest article of one run)
        Thread watcher = new Thread(() -> {
            try {
                long committed = -1;
                while (seenAt.size() < n && !Thread.currentThread().isInterrupted()) {
                    long now = System.nanoTime();
                    long count = store.articles();
                    if (count != committed) {
                        committed = count;
                        for (String id : store.latestIds(16)) {
                            if (sentAt.containsKey(id)) {
                                seenAt.putIfAbsent(id, now);
                            }
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
            // published after every earlier article, a second apart as live news comes: a jump in event
            // time (it was 300 days) makes every task of the trend aggregation open a new RocksDB
            // segment of its window store at once, a stall of about a second on the first articles
            RawArticle a = corpus.article(2_000_000 + i, words, base.plusSeconds(60L * (practiceRounds + rounds) * articles + i), Instant.now());
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
        try {
            enrichedWatcher.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        enrichedWatcher.interrupt();
        try (timeline) {
            return new Latencies(millisSinceSent(sentAt, enrichedAt), millisSinceSent(sentAt, seenAt),
                    slowest(sentAt, enrichedAt, start), slowestWait(sentAt, enrichedAt, timeline));
        }
    }

    /** What ran while the article slowest to its enriched record waited for it. */
    private static String slowestWait(Map<String, Long> sentAt, Map<String, Long> enrichedAt, CpuTimeline timeline) {
        long now = System.nanoTime();
        return sentAt.entrySet().stream()
                .max(java.util.Comparator.comparingLong(e -> enrichedAt.getOrDefault(e.getKey(), now) - e.getValue()))
                .map(e -> timeline.between(e.getValue(), enrichedAt.getOrDefault(e.getKey(), now)))
                .orElse("");
    }

    /** The five slowest to their enriched record, as "+seconds into the run: ms": stalls cluster, slow articles scatter. */
    private static String slowest(Map<String, Long> sentAt, Map<String, Long> enrichedAt, long start) {
        long now = System.nanoTime();
        return sentAt.entrySet().stream()
                .sorted(java.util.Comparator.comparingLong(
                        (Map.Entry<String, Long> e) -> e.getValue() - enrichedAt.getOrDefault(e.getKey(), now)))
                .limit(5)
                .map(e -> String.format("+%.1f s: %d ms", (e.getValue() - start) / 1e9,
                        (enrichedAt.getOrDefault(e.getKey(), now) - e.getValue()) / 1_000_000))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** Sorted ms from sending to being seen; an article never seen counts as seen now. */
    private static long[] millisSinceSent(Map<String, Long> sentAt, Map<String, Long> seenAt) {
        long now = System.nanoTime();
        return sentAt.entrySet().stream()
                .mapToLong(e -> (seenAt.getOrDefault(e.getKey(), now) - e.getValue()) / 1_000_000).sorted().toArray();
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
    private static final class ServiceProbe {

        private final HttpClient http = HttpClient.newHttpClient();
        private final ObjectMapper json = new ObjectMapper();
        private final URI base;

        ServiceProbe(URI base) {
            this.base = base;
        }

        /** Articles committed, from the counters of {@code /health/ready} (cheap, unlike a /metrics scrape). */
        long articles() {
            return counter("articlesWritten");
        }

        /** One of the counters of {@code /health/ready}. */
        long counter(String name) {
            try {
                return json.readTree(get("health/ready")).path(name).asLong();
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
                LockSupport.parkNanos(50_000_000L); // +-25 ms on a 25 s run; more often costs the sink CPU
            }
        }

        /** Sum over all series of a counter or gauge in the service's Prometheus {@code /metrics}; NaN if absent. */
        double metricSum(String name) {
            double sum = Double.NaN;
            for (String line : get("metrics").split("\n")) {
                if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                    double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    sum = Double.isNaN(sum) ? value : sum + value;
                }
            }
            return sum;
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
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200); // as the enrich service's default
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
