package dev.newsline.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.newsline.embedded.EmbeddedKafka;
import dev.newsline.model.topic.Topic;
import dev.newsline.model.topic.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the compose stack's topic job, deploy/kafka/create-topics.sh, against a real broker, with
 * Kafka's own TopicCommand and ConfigCommand standing in for the kafka-topics.sh and
 * kafka-configs.sh of the apache/kafka image: it creates every catalogue topic as topics.conf
 * says, and a second run leaves them alone except for configs that drifted.
 */
class CreateTopicsScriptIT {

    private static final Path SCRIPT = Compose.repositoryRoot().resolve("deploy/kafka/create-topics.sh");

    @TempDir
    Path dir;

    @Test
    void shouldCreateTheCatalogueTopicsAndRestoreDriftedConfigsOnASecondRun() throws Exception {
        Path bin = toolShims();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            String first = runScript(bin, kafka.bootstrapServers());

            assertThat(first).contains("8 created, 0 updated, 0 unchanged");
            List<String> names = Topics.ALL.stream().map(Topic::name).toList();
            Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
            Map<ConfigResource, Config> configs = admin.describeConfigs(names.stream()
                    .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList()).all().get();
            for (Topic<?, ?> t : Topics.ALL) {
                assertThat(described.get(t.name()).partitions()).as("partitions of %s", t.name()).hasSize(t.partitions());
                Config c = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, t.name()));
                assertThat(c.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).as("cleanup.policy of %s", t.name())
                        .isEqualTo(t.compacted() ? "compact" : "delete");
                assertThat(c.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value()).isEqualTo("1");
                if (!t.compacted()) {
                    assertThat(c.get(TopicConfig.RETENTION_MS_CONFIG).value()).as("retention.ms of %s", t.name()).isEqualTo("-1");
                    assertThat(Long.parseLong(c.get(TopicConfig.RETENTION_BYTES_CONFIG).value())).isPositive();
                }
            }

            ConfigResource raw = new ConfigResource(ConfigResource.Type.TOPIC, Topics.ARTICLES_RAW.name());
            admin.incrementalAlterConfigs(Map.of(raw, List.of(new AlterConfigOp(
                    new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, "604800000"), AlterConfigOp.OpType.SET)))).all().get();

            String second = runScript(bin, kafka.bootstrapServers());

            assertThat(second).contains("0 created, 1 updated, 7 unchanged");
            assertThat(admin.describeConfigs(List.of(raw)).all().get().get(raw)
                    .get(TopicConfig.RETENTION_MS_CONFIG).value()).isEqualTo("-1");
        }
    }

    private String runScript(Path bin, String bootstrap) throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, "create-topics", ".log");
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("KAFKA_BIN", bin.toString());
        pb.environment().put("TOPICS_BOOTSTRAP_SERVERS", bootstrap);
        pb.environment().put("TOPICS_REPLICATION_FACTOR", "1");
        pb.environment().put("TOPICS_MIN_INSYNC_REPLICAS", "1");
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("exit code of create-topics.sh; output:%n%s", output).isZero();
        return output;
    }

    /** kafka-topics.sh and kafka-configs.sh running Kafka's commands from this test's class path. */
    private Path toolShims() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Map<String, String> tools = Map.of(
                "kafka-topics.sh", "org.apache.kafka.tools.TopicCommand",
                "kafka-configs.sh", "kafka.admin.ConfigCommand");
        for (Map.Entry<String, String> tool : tools.entrySet()) {
            Path shim = bin.resolve(tool.getKey());
            Files.writeString(shim, "#!/bin/sh\nexec '" + java + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx256m"
                    + " -cp '" + classPath + "' " + tool.getValue() + " \"$@\"\n", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return bin;
    }
}
