package dev.newsline.sink.testing;

import static org.awaitility.Awaitility.await;

import dev.newsline.embedded.EmbeddedKafka;
import dev.newsline.model.topic.Topic;
import dev.newsline.model.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** A broker private to one test, with the sink's topics, and the client calls the tests need. */
public final class TestKafka implements AutoCloseable {

    private final EmbeddedKafka broker;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Admin admin;

    private TestKafka(EmbeddedKafka broker) {
        this.broker = broker;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new ByteArraySerializer(), new ByteArraySerializer());
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    /** Starts a broker storing its data under {@code dir} and creates the sink's topics as catalogued. */
    public static TestKafka start(Path dir) {
        EmbeddedKafka broker = EmbeddedKafka.start(dir, 0);
        List<NewTopic> topics = new ArrayList<>();
        for (Topic<?, ?> t : List.of(Topics.ARTICLES_ENRICHED, Topics.ENTITY_TRENDS, Topics.SINK_DLQ)) {
            NewTopic topic = new NewTopic(t.name(), t.partitions(), (short) 1);
            if (t.compacted()) {
                topic.configs(Map.of("cleanup.policy", "compact"));
            }
            topics.add(topic);
        }
        broker.createTopics(topics);
        return new TestKafka(broker);
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Sends a record and waits for it to be acknowledged. */
    public RecordMetadata send(String topic, String key, byte[] value) {
        try {
            return producer.send(new ProducerRecord<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                    value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot send to " + topic, e.getCause());
        }
    }

    /** Log-end offset of every partition of {@code topic} that holds records. */
    public Map<TopicPartition, Long> endOffsets(String topic) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        int partitions = Topics.byName(topic).orElseThrow().partitions();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        call(() -> admin.listOffsets(request).all().get()).forEach((tp, info) -> {
            if (info.offset() > 0) {
                ends.put(tp, info.offset());
            }
        });
        return ends;
    }

    /** Offsets the group has committed to Kafka. */
    public Map<TopicPartition, Long> committedOffsets(String group) {
        Map<TopicPartition, OffsetAndMetadata> committed =
                call(() -> admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get());
        return committed.entrySet().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /** Member ids of the group's current members. */
    public List<String> members(String group) {
        return call(() -> admin.describeConsumerGroups(List.of(group)).all().get()).get(group).members().stream()
                .map(MemberDescription::consumerId).toList();
    }

    /** Every record of a topic, once {@code expected} of them are there. */
    public List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= expected;
            });
        }
        return records;
    }

    @Override
    public void close() {
        producer.close();
        admin.close();
        broker.close();
    }

    private interface Call<T> {
        T get() throws InterruptedException, ExecutionException;
    }

    private static <T> T call(Call<T> call) {
        try {
            return call.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
