package dev.newsline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.newsline.model.json.RecordJson;
import dev.newsline.model.serde.InvalidRecordException;
import dev.newsline.model.topic.Topic;
import dev.newsline.model.topic.Topics;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Prints a topic's records as JSON lines, decoded with the catalogue's schemas. */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = {"Print records of a Newsline topic as JSON, one line each: topic, partition, offset,",
            "timestamp, key, headers and the value decoded with the published Avro schema (a record that",
            "does not decode is printed with its error and base64 bytes). Follows new records until Ctrl-C",
            "unless --max or --idle stops it."})
final class TailCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    CommonOptions common;

    @Mixin
    ClusterOptions cluster;

    @Parameters(paramLabel = "TOPIC", description = "One of: ${COMPLETION-CANDIDATES}", completionCandidates = TopicNames.class)
    String topicName;

    @Option(names = "--from-beginning", description = "Start at the oldest record instead of the newest.")
    boolean fromBeginning;

    @Option(names = "--max", paramLabel = "N", defaultValue = "0", description = "Stop after N records (0: no limit).")
    long max;

    @Option(names = "--idle", paramLabel = "DURATION", description = "Stop when no record arrives for this long (e.g. PT5S).")
    Duration idle;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Topic<?, ?> topic = Topics.byName(topicName).orElse(null);
        if (topic == null) {
            err.println("Unknown topic '" + topicName + "'; Newsline's topics are: " + String.join(", ", new TopicNames()));
            return 2;
        }
        Map<String, Object> kafka = cluster.kafkaSettings(common.settings());
        if (ClusterOptions.requireCluster(kafka, err).isEmpty()) {
            return 2;
        }
        kafka.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        kafka.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        AtomicBoolean stop = new AtomicBoolean();
        Thread main = Thread.currentThread();
        Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                main.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "newsctl-tail-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        long printed = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            long lastRecord = System.nanoTime();
            while (!stop.get() && (max == 0 || printed < max)) {
                var records = consumer.poll(Duration.ofMillis(250));
                if (records.isEmpty() && idle != null && System.nanoTime() - lastRecord > idle.toNanos()) {
                    break;
                }
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    lastRecord = System.nanoTime();
                    out.println(render(topic, r));
                    if (max > 0 && ++printed >= max) {
                        break;
                    }
                }
                out.flush();
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already stopping: the hook is running
            }
        }
        return 0;
    }

    static String render(Topic<?, ?> topic, ConsumerRecord<byte[], byte[]> r) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode line = nodes.objectNode();
        line.put("topic", r.topic());
        line.put("partition", r.partition());
        line.put("offset", r.offset());
        line.put("timestamp", Instant.ofEpochMilli(r.timestamp()).toString());
        line.put("key", r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8));
        ObjectNode headers = nodes.objectNode();
        for (Header h : r.headers()) {
            headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        line.set("headers", headers);
        if (r.value() == null) {
            line.putNull("value");
        } else {
            try {
                Object value = topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
                if (value instanceof IndexedRecord record) {
                    line.set("value", RecordJson.toJson(record));
                } else {
                    line.put("value", String.valueOf(value));
                }
            } catch (InvalidRecordException e) {
                line.put("error", e.getMessage());
                line.put("valueBase64", Base64.getEncoder().encodeToString(r.value()));
            }
        }
        try {
            return JSON.writeValueAsString(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The catalogue's topic names, for help and completion. */
    static final class TopicNames extends java.util.ArrayList<String> {
        private static final long serialVersionUID = 1L;

        TopicNames() {
            super(Topics.ALL.stream().map(Topic::name).toList());
        }
    }
}
