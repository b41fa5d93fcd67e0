package dev.newsline.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka cluster (KRaft, broker and controller in one process) running inside
 * this JVM from the production {@code kafka_2.13} jar. It serves {@code newsctl demo}/{@code up}
 * and the integration tests alike.
 *
 * <p>Storage lives in the given directory: the first start formats it with a new cluster id
 * (kept in {@code cluster.id}), later starts reuse it, so a restart keeps every topic and
 * committed offset. Every internal topic has replication factor 1 and min ISR 1.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final Path dataDir;
    private final int brokerPort;
    private final int controllerPort;
    private KafkaRaftServer server;
    private FileLock lock;

    private EmbeddedKafka(Path dataDir, int brokerPort, int controllerPort) {
        this.dataDir = dataDir;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
    }

    /**
     * Formats (if needed) and starts a broker.
     *
     * @param dataDir    directory for the log and metadata; created if missing
     * @param brokerPort client port on 127.0.0.1, or 0 for any free port
     */
    public static EmbeddedKafka start(Path dataDir, int brokerPort) {
        return start(dataDir, brokerPort, 0);
    }

    /**
     * Formats (if needed) and starts a broker whose controller listens on a given port, so that a
     * broker restarted in a new process ({@link EmbeddedKafkaMain}) keeps its whole configuration.
     *
     * @param dataDir        directory for the log and metadata; created if missing
     * @param brokerPort     client port on 127.0.0.1, or 0 for any free port
     * @param controllerPort KRaft controller port on 127.0.0.1, or 0 for any free port
     */
    public static EmbeddedKafka start(Path dataDir, int brokerPort, int controllerPort) {
        RuntimeException last = null;
        // a port found free may be taken again before Kafka binds it (parallel tests): try afresh
        for (int attempt = 0; attempt < 3; attempt++) {
            int broker = brokerPort == 0 ? freePort() : brokerPort;
            int controller = controllerPort == 0 ? freePort() : controllerPort;
            while (controller == broker) {
                controller = freePort();
            }
            EmbeddedKafka kafka = new EmbeddedKafka(dataDir, broker, controller);
            try {
                kafka.startServer();
                return kafka;
            } catch (RuntimeException e) {
                try {
                    kafka.stopServer();
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                last = e;
                if (brokerPort != 0 && !isBindFailure(e)) {
                    throw e;
                }
                LOG.warn("embedded Kafka could not start on ports {}/{} ({}); retrying", broker, controller, e.toString());
            }
        }
        throw last;
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException || String.valueOf(t.getMessage()).contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    /** Starts a broker on a fresh temporary directory and any free port (tests). */
    public static EmbeddedKafka startTemporary() {
        try {
            return start(Files.createTempDirectory("newsline-kafka-"), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    public int brokerPort() {
        return brokerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Stops the broker (if running) and starts it again on the same ports and storage. */
    public synchronized void restart() {
        stopServer();
        startServer();
    }

    /** Stops the broker, keeping its storage so that {@link #restart()} can bring it back. */
    public synchronized void stop() {
        stopServer();
    }

    /** Creates the topics that do not exist yet; existing ones are left as they are. */
    public void createTopics(Collection<NewTopic> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            Set<String> existing = admin.listTopics().names().get();
            var missing = topics.stream().filter(t -> !existing.contains(t.name())).collect(Collectors.toList());
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create topics on " + bootstrapServers() + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /** Waits until every partition of the topics has a leader, so that a produce right after succeeds. */
    private static void awaitLeaders(Admin admin, List<String> topics) throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            boolean ready;
            try {
                ready = admin.describeTopics(topics).allTopicNames().get().values().stream()
                        .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
            } catch (ExecutionException e) {
                ready = false;
            }
            if (ready) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("partitions of " + topics + " have no leader after 30 s");
            }
            Thread.sleep(50);
        }
    }

    @Override
    public synchronized void close() {
        stopServer();
    }

    private void startServer() {
        long started = System.nanoTime();
        try {
            Files.createDirectories(dataDir);
            lockDataDir();
            Path configFile = writeConfig();
            format(configFile);
            Properties props = new Properties();
            try (var in = Files.newInputStream(configFile)) {
                props.load(in);
            }
            server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
            server.startup();
            LOG.info("embedded Kafka ready on {} in {} ms (data in {})", bootstrapServers(),
                    (System.nanoTime() - started) / 1_000_000, dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded Kafka in " + dataDir, e);
        }
    }

    private void stopServer() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
        releaseDataDir();
    }

    /**
     * Takes an exclusive lock on the data directory before Kafka touches it: a second broker on
     * the same directory (say a second 'newsctl up') would otherwise run log recovery on files
     * the first one is writing.
     */
    private void lockDataDir() throws IOException {
        if (lock != null) {
            return;
        }
        FileChannel channel = FileChannel.open(dataDir.resolve("newsline.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock taken;
        try {
            taken = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            taken = null;
        }
        if (taken == null) {
            channel.close();
            throw new IllegalStateException("another embedded Kafka (another newsctl or test) is using " + dataDir
                    + "; stop it first or choose another --data-dir");
        }
        lock = taken;
    }

    private void releaseDataDir() {
        if (lock != null) {
            try {
                lock.release();
                lock.channel().close();
            } catch (IOException e) {
                LOG.warn("cannot release the lock on {}: {}", dataDir, e.toString());
            }
            lock = null;
        }
    }

    private Path writeConfig() throws IOException {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", dataDir.resolve("logs").toAbsolutePath().toString());
        p.setProperty("num.partitions", "1");
        p.setProperty("default.replication.factor", "1");
        p.setProperty("min.insync.replicas", "1");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "5");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "5");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
        // event-time records: keep them regardless of age (see LocalStack); the user deletes the directory
        p.setProperty("log.retention.ms", "-1");
        // retention runs early and often, so that a topic configured to expire old records shows it at once
        p.setProperty("log.initial.task.delay.ms", "1000");
        p.setProperty("log.retention.check.interval.ms", "2000");
        Path file = dataDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            p.store(out, "written by Newsline EmbeddedKafka; regenerated on every start");
        }
        return file;
    }

    private void format(Path configFile) throws IOException {
        Path idFile = dataDir.resolve("cluster.id");
        String clusterId;
        if (Files.exists(idFile)) {
            clusterId = Files.readString(idFile).strip();
        } else {
            clusterId = Uuid.randomUuid().toString();
            Files.writeString(idFile, clusterId);
        }
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int rc;
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", configFile.toString(),
                "--ignore-formatted"}, out);
        }
        if (rc != 0) {
            throw new IllegalStateException("kafka-storage format failed (" + rc + "): "
                    + captured.toString(StandardCharsets.UTF_8));
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
