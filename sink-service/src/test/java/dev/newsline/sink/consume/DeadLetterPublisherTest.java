package dev.newsline.sink.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.newsline.model.DeadLetter;
import dev.newsline.model.topic.DeadLetters;
import dev.newsline.model.topic.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;

class DeadLetterPublisherTest {

    private final ConsumerRecord<byte[], byte[]> source = new ConsumerRecord<>(Topics.ARTICLES_ENRICHED.name(), 3, 99,
            "a1".getBytes(StandardCharsets.UTF_8), new byte[] {0x3c, 0x21});

    @Test
    void shouldCarryTheReasonInHeadersAndTheOriginalBytesAndPosition() {
        MockProducer<String, DeadLetter> producer = new MockProducer<>(true, null,
                Topics.SINK_DLQ.keySerde().serializer(), Topics.SINK_DLQ.valueSerde().serializer());
        DeadLetterPublisher publisher = new DeadLetterPublisher(producer);

        publisher.send(source, "invalid-record", "not avro", null);
        publisher.confirm();

        assertThat(producer.history()).hasSize(1);
        ProducerRecord<String, DeadLetter> sent = producer.history().get(0);
        assertThat(sent.topic()).isEqualTo("news.sink.dlq");
        assertThat(sent.key()).isEqualTo("a1");
        assertThat(new String(sent.headers().lastHeader(DeadLetters.HEADER_REASON).value(), StandardCharsets.UTF_8))
                .isEqualTo("invalid-record");
        assertThat(sent.value().getOrigin()).isEqualTo("news.articles.enriched");
        assertThat(sent.value().getPartition()).isEqualTo(3);
        assertThat(sent.value().getOffset()).isEqualTo(99L);
        assertThat(sent.value().getPayload()).isEqualTo(ByteBuffer.wrap(new byte[] {0x3c, 0x21}));
    }

    @Test
    void shouldFailWhenADeadLetterCannotBeWritten() {
        MockProducer<String, DeadLetter> producer = new MockProducer<>(false, null,
                Topics.SINK_DLQ.keySerde().serializer(), Topics.SINK_DLQ.valueSerde().serializer());
        DeadLetterPublisher publisher = new DeadLetterPublisher(producer);

        publisher.send(source, "invalid-record", "not avro", null);
        producer.errorNext(new RecordTooLargeException("too large"));

        assertThatThrownBy(publisher::confirm).isInstanceOf(KafkaException.class)
                .hasMessageContaining("news.sink.dlq");
    }
}
