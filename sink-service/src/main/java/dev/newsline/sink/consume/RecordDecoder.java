package dev.newsline.sink.consume;

import dev.newsline.model.serde.InvalidRecordException;
import dev.newsline.model.topic.Topics;
import dev.newsline.sink.store.StoredRecord;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns the raw records the sink consumes into {@link StoredRecord}s. Values are decoded here,
 * not by a Kafka deserializer, so that a bad record surfaces as an exception about that record
 * instead of failing the whole poll.
 */
public final class RecordDecoder {

    /** The topics the sink reads, in the order it subscribes to them. */
    public static final List<String> TOPICS = List.of(Topics.ARTICLES_ENRICHED.name(), Topics.ENTITY_TRENDS.name());

    private RecordDecoder() {
    }

    /**
     * Decodes one record; a null value (tombstone) becomes a position-only record.
     *
     * @throws InvalidRecordException if the value cannot be decoded; {@link InvalidRecordException#reason()}
     *                                says why ("invalid-record", "unknown-schema")
     */
    public static StoredRecord decode(ConsumerRecord<byte[], byte[]> record) {
        String topic = record.topic();
        if (record.value() == null) {
            return StoredRecord.positionOnly(topic, record.partition(), record.offset());
        }
        if (topic.equals(Topics.ARTICLES_ENRICHED.name())) {
            return StoredRecord.article(topic, record.partition(), record.offset(),
                    Topics.ENRICHED_ARTICLE_SERDE.codec().decode(record.value()));
        }
        if (topic.equals(Topics.ENTITY_TRENDS.name())) {
            return StoredRecord.trend(topic, record.partition(), record.offset(),
                    Topics.ENTITY_TREND_SERDE.codec().decode(record.value()));
        }
        throw new InvalidRecordException("the sink does not read topic " + topic, null);
    }
}
