package dev.newsline.sink.store;

import dev.newsline.model.EnrichedArticle;
import dev.newsline.model.EntityTrend;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One decoded Kafka record to apply, with its position. The value is an {@link EnrichedArticle},
 * an {@link EntityTrend}, or null for a record that only advances the stored position (a
 * tombstone, or a record that was dead-lettered instead of written).
 *
 * @param topic     source topic
 * @param partition source partition
 * @param offset    source offset
 * @param value     what to store, or null
 */
public record StoredRecord(String topic, int partition, long offset, SpecificRecord value) {

    public StoredRecord {
        Objects.requireNonNull(topic, "topic");
        if (partition < 0 || offset < 0) {
            throw new IllegalArgumentException("bad position " + topic + "-" + partition + "@" + offset);
        }
        if (value != null && !(value instanceof EnrichedArticle) && !(value instanceof EntityTrend)) {
            throw new IllegalArgumentException("cannot store " + value.getClass().getName());
        }
    }

    public static StoredRecord article(String topic, int partition, long offset, EnrichedArticle article) {
        return new StoredRecord(topic, partition, offset, Objects.requireNonNull(article, "article"));
    }

    public static StoredRecord trend(String topic, int partition, long offset, EntityTrend trend) {
        return new StoredRecord(topic, partition, offset, Objects.requireNonNull(trend, "trend"));
    }

    public static StoredRecord positionOnly(String topic, int partition, long offset) {
        return new StoredRecord(topic, partition, offset, null);
    }

    public TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }

    /** This record's position with nothing to write: used once the record has been dead-lettered. */
    public StoredRecord withoutValue() {
        return positionOnly(topic, partition, offset);
    }

    /** {@code topic-partition@offset}, for log lines. */
    public String position() {
        return topic + "-" + partition + "@" + offset;
    }
}
