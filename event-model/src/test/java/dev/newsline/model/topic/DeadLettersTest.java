package dev.newsline.model.topic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.newsline.model.DeadLetter;
import java.util.Arrays;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    /** Kafka's default max.request.size and, near enough, message.max.bytes. */
    private static final int KAFKA_DEFAULT_RECORD_LIMIT = 1024 * 1024;

    @Test
    void shouldKeepADeadLetterOfAHugeInputWithinKafkasDefaultRecordSize() {
        byte[] payload = new byte[50 * 1024 * 1024];
        Arrays.fill(payload, (byte) 'x');
        DeadLetter letter = DeadLetters.of("ingest", "too-large", "d".repeat(100_000), new IllegalStateException(),
                "/archives/" + "a".repeat(1000) + ".jsonl", null, 1L, "key".getBytes(), payload);

        int value = Topics.DEAD_LETTER_SERDE.serializer().serialize(Topics.INGEST_DLQ.name(), letter).length;
        int headers = 0;
        for (Header h : DeadLetters.headers(letter)) {
            headers += h.key().length() + h.value().length;
        }

        assertThat(letter.getPayload().remaining()).isEqualTo(DeadLetters.MAX_PAYLOAD_BYTES);
        assertThat(letter.getDetail()).hasSize(DeadLetters.MAX_DETAIL_CHARS).endsWith("...");
        assertThat(value + headers).isLessThan(KAFKA_DEFAULT_RECORD_LIMIT - 64 * 1024);
    }
}
