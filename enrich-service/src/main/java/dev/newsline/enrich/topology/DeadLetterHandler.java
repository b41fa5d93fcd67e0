package dev.newsline.enrich.topology;

import dev.newsline.enrich.EnrichMetrics;
import dev.newsline.model.DeadLetter;
import dev.newsline.model.serde.InvalidRecordException;
import dev.newsline.model.topic.DeadLetters;
import dev.newsline.model.topic.Topics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records the topology cannot read or enrich to {@code news.enrich.dlq} (reason in the
 * headers and in the {@link DeadLetter} value, original bytes kept) and lets processing go on.
 * Kafka Streams writes the dead letter in the same transaction as the input offset, so under
 * exactly-once a bad record is dead-lettered exactly once.
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler {

    /**
     * Streams setting carrying the {@link EnrichMetrics} instance that dead letters are reported
     * to; Streams hands its settings to the handlers it creates and to no client.
     */
    public static final String METRICS_CONFIG = "newsline.enrich.metrics";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);
    private static final String ENRICHMENT_FAILED = "enrichment-failed";

    private EnrichMetrics metrics = EnrichMetrics.NONE;

    @Override
    public void configure(Map<String, ?> configs) {
        if (configs.get(METRICS_CONFIG) instanceof EnrichMetrics m) {
            metrics = m;
        }
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context,
                                                                ConsumerRecord<byte[], byte[]> record, Exception exception) {
        String reason = exception instanceof InvalidRecordException invalid ? invalid.reason() : "deserialization-failed";
        ProducerRecord<byte[], byte[]> letter = deadLetter(context, reason, exception);
        metrics.deadLettered(reason);
        return DeserializationExceptionHandler.Response.resume(List.of(letter));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record,
                                                           Exception exception) {
        ProducerRecord<byte[], byte[]> letter = deadLetter(context, ENRICHMENT_FAILED, exception);
        metrics.deadLettered(ENRICHMENT_FAILED);
        return ProcessingExceptionHandler.Response.resume(List.of(letter));
    }

    static ProducerRecord<byte[], byte[]> deadLetter(ErrorHandlerContext context, String reason, Exception exception) {
        LOG.warn("dead-lettering record from {}-{} at offset {}: {} ({})", context.topic(), context.partition(),
                context.offset(), reason, exception.toString());
        DeadLetter letter = DeadLetters.of("enrich", reason, String.valueOf(exception.getMessage()), exception,
                context.topic(), context.partition(), context.offset(), context.sourceRawKey(), context.sourceRawValue());
        return new ProducerRecord<>(Topics.ENRICH_DLQ.name(), null, null, context.sourceRawKey(),
                Topics.ENRICH_DLQ.valueSerde().serializer().serialize(Topics.ENRICH_DLQ.name(), letter),
                DeadLetters.headers(letter));
    }
}
