package dev.newsline.cli;

import dev.newsline.cli.local.LocalStack;
import dev.newsline.ingest.IngestService;
import dev.newsline.ingest.config.IngestConfig;
import dev.newsline.sink.store.ArticleStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The local stack, long-running, polling the configured feeds until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Run the local stack until Ctrl-C: embedded broker on 127.0.0.1:PORT, enrich, sink to the",
            "embedded store under DATA-DIR/local, and the ingest service polling the feeds in --feeds (or",
            "ingest.feeds / ingest.feeds.file in --config). Without feeds it still runs, so that",
            "'newsctl replay --embedded' can feed it."})
final class UpCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--feeds", paramLabel = "FILE",
            description = "Feed list: one 'url | name | interval' per line, '#' comments (see config/feeds.example).")
    Path feeds;

    @Option(names = "--port", defaultValue = "9092", description = "Broker port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--status-every", defaultValue = "PT1M", description = "How often to print counts (default: ${DEFAULT-VALUE}).")
    Duration statusEvery;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Map<String, String> settings = new HashMap<>(common.settings());
        if (feeds != null) {
            settings.put(IngestConfig.FEEDS_FILE, feeds.toString());
        }
        Path dir = common.dataDir.resolve("local").toAbsolutePath();
        err.println("Starting the local stack in " + dir + " ...");
        LocalStack stack = LocalStack.start(dir, port, settings);
        IngestService ingest = null;
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        try {
            IngestConfig ingestConfig = IngestConfig.fromValues(stack.settings());
            if (ingestConfig.feeds().isEmpty()) {
                err.println("No feeds configured (--feeds FILE or ingest.feeds); only 'newsctl replay --embedded' will bring articles.");
            } else {
                ingest = new IngestService(ingestConfig);
                ingest.start();
            }
            IngestService running = ingest;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stopping.set(true);
                err.println("Stopping ...");
                try {
                    if (running != null) {
                        running.close();
                    }
                } finally {
                    stack.close();
                    stopped.countDown();
                }
            }, "newsctl-up-shutdown"));
            err.printf("Up: broker %s, %d feed(s), store %s, query API %s. Ctrl-C to stop.%n", stack.bootstrapServers(),
                    ingestConfig.feeds().size(), dir.resolve("store"),
                    stack.sink().httpApi().map(Object::toString).orElse("off"));
            err.flush();
            while (!stopped.await(statusEvery.toMillis(), TimeUnit.MILLISECONDS) && !stopping.get()) {
                printStatus(err, stack.store(), running);
                if (running != null && running.failure().isPresent()) {
                    err.println("Ingest stopped: " + running.failure().get());
                }
            }
            stopped.await();
            return 0;
        } catch (RuntimeException e) {
            if (ingest != null) {
                ingest.close();
            }
            stack.close();
            throw e;
        }
    }

    private static void printStatus(PrintWriter err, ArticleStore store, IngestService ingest) {
        String ingested = ingest == null ? "no feeds" : String.format("produced %d, duplicates %d, dead-lettered %d",
                ingest.counters().produced(), ingest.counters().duplicates(), ingest.counters().deadLettered());
        err.printf("%s; stored articles %d%n", ingested, store.articleCount());
        err.flush();
    }
}
