package dev.newsline.ingest.dedup;

import dev.newsline.model.topic.Topic;
import dev.newsline.ops.KafkaClientMeterReporter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dedup memory kept in Kafka: a compacted topic (see {@link SeenTopic}) read back in full at
 * start-up into memory, and appended to after each article Kafka acknowledged. Survives restarts
 * and is shared by the live poller and archive replays that use the same topic.
 *
 * <p>Creates the topic (compacted) if it is missing. Writes are idempotent with {@code acks=all};
 * the first failed write is fatal and rethrown by the next {@link #claim}, {@link #flush} or
 * {@link #close}. One writer per topic is assumed: another instance's writes made after this
 * one loaded are not seen until a restart.
 */
public final class KafkaSeenStore extends InMemorySeenArticles implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSeenStore.class);
    private static final int LOADER_FETCH_MAX_WAIT_MS = 20;

    private final Topic<String, String> topic;
    private final KafkaProducer<String, String> producer;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    private KafkaSeenStore(Topic<String, String> topic, KafkaProducer<String, String> producer) {
        this.topic = topic;
        this.producer = producer;
    }

    /**
     * Creates the topic if needed, loads it to its end, and opens the writer.
     *
     * @param kafkaSettings Kafka client settings (bootstrap.servers, security ...)
     * @param loadTimeout   how long creating and reading the topic may take
     */
    public static KafkaSeenStore open(Map<String, Object> kafkaSettings, Topic<String, String> topic, Duration loadTimeout) {
        long started = System.nanoTime();
        ensureTopic(kafkaSettings, topic, loadTimeout);
        Map<String, Object> producerConfig = only(kafkaSettings, ProducerConfig.configNames());
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 20);
        producerConfig.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, kafkaSettings.getOrDefault(ProducerConfig.CLIENT_ID_CONFIG, "newsline-ingest") + "-seen");
        KafkaSeenStore store = new KafkaSeenStore(topic, new KafkaProducer<>(producerConfig,
                topic.keySerde().serializer(), topic.valueSerde().serializer()));
        try {
            store.loadAll(kafkaSettings, loadTimeout);
            // confirm() runs inside the article producer's callback; known metadata keeps send() from blocking there
            store.producer.partitionsFor(topic.name());
        } catch (RuntimeException e) {
            store.producer.close(Duration.ZERO);
            throw e;
        }
        LOG.info("dedup memory: {} articles loaded from {} in {} ms", store.size(), topic.name(),
                (System.nanoTime() - started) / 1_000_000);
        return store;
    }

    @Override
    public Verdict claim(String id, String contentHash) {
        throwIfFailed();
        return super.claim(id, contentHash);
    }

    @Override
    public void confirm(String id, String contentHash) {
        super.confirm(id, contentHash);
        producer.send(new ProducerRecord<>(topic.name(), id, contentHash), (metadata, error) -> {
            if (error != null && failure.compareAndSet(null, error)) {
                LOG.error("write of article {} to {} failed: {}", id, topic.name(), error.toString());
            }
        });
    }

    public String topicName() {
        return topic.name();
    }

    public void flush() {
        producer.flush();
        throwIfFailed();
    }

    @Override
    public void close() {
        try {
            flush();
        } finally {
            producer.close();
        }
    }

    private void loadAll(Map<String, Object> kafkaSettings, Duration timeout) {
        Map<String, Object> config = only(kafkaSettings, ConsumerConfig.configNames());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // the loader reads a backlog to known end offsets; a fetch sent ahead once the backlog is read
        // would otherwise wait at the broker for new records for the default 500 ms, and closing the
        // consumer waits for it: half a second added to every start
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, LOADER_FETCH_MAX_WAIT_MS);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, kafkaSettings.getOrDefault(ConsumerConfig.CLIENT_ID_CONFIG, "newsline-ingest") + "-seen-loader");
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config,
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            while (!caughtUp(consumer, end, timeout)) {
                if (System.nanoTime() > deadline) {
                    throw new KafkaException("could not read " + topic.name() + " to its end within " + timeout.toMillis()
                            + " ms (ingest.seen.load.timeout.ms)");
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() != null) {
                        load(r.key(), r.value());
                    }
                }
            }
        }
    }

    private static boolean caughtUp(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end, Duration timeout) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey(), timeout) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static void ensureTopic(Map<String, Object> kafkaSettings, Topic<String, String> topic, Duration timeout) {
        long ms = timeout.toMillis();
        try (Admin admin = Admin.create(only(kafkaSettings, AdminClientConfig.configNames()))) {
            Set<String> existing = admin.listTopics().names().get(ms, TimeUnit.MILLISECONDS);
            if (!existing.contains(topic.name())) {
                NewTopic create = new NewTopic(topic.name(), Optional.of(topic.partitions()), Optional.empty())
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
                try {
                    admin.createTopics(List.of(create)).all().get(ms, TimeUnit.MILLISECONDS);
                    LOG.info("created compacted topic {} with {} partitions", topic.name(), topic.partitions());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
                return;
            }
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic.name());
            Config config = admin.describeConfigs(List.of(resource)).all().get(ms, TimeUnit.MILLISECONDS).get(resource);
            ConfigEntry policy = config == null ? null : config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
            if (policy == null || !policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                LOG.warn("topic {} is not compacted (cleanup.policy={}); dedup memory will be lost when its segments expire",
                        topic.name(), policy == null ? "?" : policy.value());
            }
        } catch (ExecutionException e) {
            throw new KafkaException("cannot prepare topic " + topic.name() + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("cannot prepare topic " + topic.name() + " within " + ms + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while preparing topic " + topic.name(), e);
        }
    }

    /** The settings one client type knows, and the meter registry its metrics reporter needs. */
    private static Map<String, Object> only(Map<String, Object> settings, Set<String> names) {
        Map<String, Object> out = new HashMap<>();
        settings.forEach((k, v) -> {
            if (names.contains(k) || k.equals(KafkaClientMeterReporter.REGISTRY_CONFIG)) {
                out.put(k, v);
            }
        });
        return out;
    }

    private void throwIfFailed() {
        Exception e = failure.get();
        if (e != null) {
            throw new KafkaException("a previous write to " + topic.name() + " failed; stopping so that the dedup memory "
                    + "does not silently diverge from what was produced", e);
        }
    }
}
