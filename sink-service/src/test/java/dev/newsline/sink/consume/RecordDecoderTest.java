package dev.newsline.sink.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.newsline.model.EnrichedArticle;
import dev.newsline.model.EntityTrend;
import dev.newsline.model.serde.InvalidRecordException;
import dev.newsline.model.topic.Topics;
import dev.newsline.sink.store.StoredRecord;
import dev.newsline.sink.testing.TestArticle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class RecordDecoderTest {

    private static final String ARTICLES = Topics.ARTICLES_ENRICHED.name();

    @Test
    void shouldDecodeArticlesAndTrendsWithTheirPosition() {
        EnrichedArticle article = TestArticle.typical("a1", TestArticle.BASE_TIME);
        EntityTrend trend = TestArticle.trend("per:elena-varga", TestArticle.BASE_TIME, 3, 0.2);

        StoredRecord a = RecordDecoder.decode(record(ARTICLES, Topics.ENRICHED_ARTICLE_SERDE.codec().encode(article)));
        StoredRecord t = RecordDecoder.decode(record(Topics.ENTITY_TRENDS.name(),
                Topics.ENTITY_TREND_SERDE.codec().encode(trend)));

        assertThat(a.value()).isEqualTo(article);
        assertThat(a.position()).isEqualTo(ARTICLES + "-2@17");
        assertThat(t.value()).isEqualTo(trend);
    }

    @Test
    void shouldTurnATombstoneIntoAPositionOnly() {
        assertThat(RecordDecoder.decode(record(ARTICLES, null)))
                .isEqualTo(StoredRecord.positionOnly(ARTICLES, 2, 17));
    }

    @Test
    void shouldRejectBytesThatAreNotOurWireFormat() {
        assertThatThrownBy(() -> RecordDecoder.decode(record(ARTICLES,
                "{\"id\":\"json, not avro\"}".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOfSatisfying(InvalidRecordException.class,
                        e -> assertThat(e.reason()).isEqualTo("invalid-record"));
        assertThatThrownBy(() -> RecordDecoder.decode(record(ARTICLES, new byte[] {1, 2})))
                .isInstanceOfSatisfying(InvalidRecordException.class,
                        e -> assertThat(e.reason()).isEqualTo("invalid-record"));
    }

    @Test
    void shouldRejectARecordWrittenWithAnUnknownSchema() {
        byte[] bytes = Topics.ENRICHED_ARTICLE_SERDE.codec().encode(TestArticle.typical("a1", TestArticle.BASE_TIME));
        byte[] unknown = Arrays.copyOf(bytes, bytes.length);
        ByteBuffer.wrap(unknown, 2, 8).putLong(42L);

        assertThatThrownBy(() -> RecordDecoder.decode(record(ARTICLES, unknown)))
                .isInstanceOfSatisfying(InvalidRecordException.class,
                        e -> assertThat(e.reason()).isEqualTo("unknown-schema"));
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, byte[] value) {
        return new ConsumerRecord<>(topic, 2, 17, "key".getBytes(StandardCharsets.UTF_8), value);
    }
}
