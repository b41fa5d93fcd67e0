package dev.newsline.model.topic;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * A topic's name tied to its key and value serdes, and the layout it is created with.
 *
 * @param name        topic name
 * @param keySerde    serde of the record key
 * @param valueSerde  serde of the record value
 * @param partitions  partitions when Newsline creates the topic
 * @param compacted   whether the topic is a table (cleanup.policy=compact)
 * @param description one line for docs and {@code newsctl status}
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde,
                          int partitions, boolean compacted, String description) {

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1 for " + name);
        }
    }
}
