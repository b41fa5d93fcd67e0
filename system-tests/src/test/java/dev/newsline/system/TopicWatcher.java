package dev.newsline.system;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

/**
 * Reads one topic from the beginning, as a downstream consumer does ({@code isolation.level=
 * read_committed}, so records of aborted transactions never count), on a thread of its own, and
 * counts its records and their distinct keys. It keeps reading through broker restarts.
 * {@link #awaitCaughtUp} waits until it has read everything committed when it was called.
 */
final class TopicWatcher implements AutoCloseable {

    private final String topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final Set<String> keys = new HashSet<>();
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong distinct = new AtomicLong();
    private volatile boolean running = true;
    /** System.nanoTime() when the last check that found the watcher caught up began; null before the first. */
    private volatile Long caughtUpCheckStarted;
    private volatile RuntimeException failure;

    private TopicWatcher(String bootstrapServers, String topic) {
        this.topic = topic;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.CLIENT_ID_CONFIG, "system-test-watch-" + topic,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "watch-" + topic);
        thread.setDaemon(true);
    }

    /** Starts reading {@code topic} (which must exist) from the beginning. */
    static TopicWatcher start(String bootstrapServers, String topic) {
        TopicWatcher watcher = new TopicWatcher(bootstrapServers, topic);
        watcher.thread.start();
        return watcher;
    }

    /** Reads {@code topic} to its end and returns what it counted. */
    static Tally count(String bootstrapServers, String topic, Duration timeout) {
        try (TopicWatcher watcher = start(bootstrapServers, topic)) {
            watcher.awaitCaughtUp(timeout);
            return watcher.tally();
        }
    }

    /** Records read and distinct keys among them. */
    record Tally(long records, long distinctKeys) {
        long duplicates() {
            return records - distinctKeys;
        }
    }

    Tally tally() {
        return new Tally(total.get(), distinct.get());
    }

    long distinctKeys() {
        return distinct.get();
    }

    /** Waits until every record committed at the time of the call has been read. */
    void awaitCaughtUp(Duration timeout) {
        long asked = System.nanoTime();
        Awaitility.await("reading " + topic + " to its end").atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (failure != null) {
                        throw failure;
                    }
                    Long checked = caughtUpCheckStarted;
                    return checked != null && checked - asked > 0;
                });
    }

    private void run() {
        try {
            List<TopicPartition> partitions = partitions();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long lastCheck = 0;
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    total.incrementAndGet();
                    if (keys.add(String.valueOf(r.key()))) {
                        distinct.incrementAndGet();
                    }
                }
                if (System.nanoTime() - lastCheck > Duration.ofMillis(300).toNanos()) {
                    lastCheck = System.nanoTime();
                    checkCaughtUp(partitions);
                }
            }
        } catch (RuntimeException e) {
            if (running) {
                failure = e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private List<TopicPartition> partitions() {
        while (true) {
            try {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                }
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                // broker not back yet
            }
            if (!running) {
                throw new IllegalStateException("stopped before " + topic + " was found");
            }
        }
    }

    /** Caught up: for read_committed the end offsets are the last stable offsets, past the commit markers. */
    private void checkCaughtUp(List<TopicPartition> partitions) {
        long started = System.nanoTime();
        try {
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(5));
            for (TopicPartition tp : partitions) {
                if (consumer.position(tp, Duration.ofSeconds(5)) < ends.get(tp)) {
                    return;
                }
            }
            caughtUpCheckStarted = started;
        } catch (KafkaException e) {
            // the broker is restarting: check again later
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
