package dev.newsline.ops;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Binds a Kafka Streams instance's metrics (its own {@code kafka_stream_*} and those of its
 * consumers, producers and admin client) with Micrometer's {@link KafkaStreamsMetrics}. Apart from
 * {@link ServiceMeters} because only services that run Streams have kafka-streams on their class path.
 */
public final class StreamsMeters {

    private StreamsMeters() {
    }

    /** Binds {@code streams} until {@code meters} close; bind before or after start. */
    public static KafkaStreamsMetrics bind(ServiceMeters meters, KafkaStreams streams) {
        return meters.bind(new KafkaStreamsMetrics(streams));
    }
}
