package dev.newsline.sink.consume;

import dev.newsline.model.DeadLetter;
import dev.newsline.model.topic.DeadLetters;
import dev.newsline.model.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

/**
 * Writes records the sink cannot store to {@code news.sink.dlq}: the original key and value
 * with the reason, both in the {@link DeadLetter} and in the record headers. Sends are
 * confirmed before the caller records the source offset as applied, so a dead letter is never
 * lost (it may be repeated if the sink stops in between).
 */
public final class DeadLetterPublisher implements AutoCloseable {

    public static final String SERVICE = "sink";

    private final Producer<String, DeadLetter> producer;
    private final List<Future<RecordMetadata>> pending = new ArrayList<>();

    public DeadLetterPublisher(Map<String, Object> producerConfig) {
        this(new KafkaProducer<>(producerConfig, Topics.SINK_DLQ.keySerde().serializer(),
                Topics.SINK_DLQ.valueSerde().serializer()));
    }

    DeadLetterPublisher(Producer<String, DeadLetter> producer) {
        this.producer = producer;
    }

    /** Sends a dead letter for {@code source}; {@link #confirm()} waits for it. */
    public void send(ConsumerRecord<byte[], byte[]> source, String reason, String detail, Throwable error) {
        DeadLetter letter = DeadLetters.of(SERVICE, reason, detail, error, source.topic(), source.partition(),
                source.offset(), source.key(), source.value());
        String key = source.key() == null ? null : new String(source.key(), StandardCharsets.UTF_8);
        pending.add(producer.send(new ProducerRecord<>(Topics.SINK_DLQ.name(), null, key, letter,
                DeadLetters.headers(letter))));
    }

    /**
     * Waits until every dead letter sent so far is acknowledged.
     *
     * @throws KafkaException if one could not be written; the sink cannot go on without it
     */
    public void confirm() {
        try {
            for (Future<RecordMetadata> f : pending) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw new KafkaException("cannot write to " + Topics.SINK_DLQ.name() + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while writing to " + Topics.SINK_DLQ.name(), e);
        } finally {
            pending.clear();
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
