package dev.newsline.model.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.newsline.model.RawArticle;
import dev.newsline.model.json.RecordJson;
import dev.newsline.model.topic.Topics;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

class AvroCodecTest {

    private static final AvroCodec<RawArticle> CODEC = AvroCodec.of(RawArticle.class);

    private static RawArticle article() {
        return RawArticle.newBuilder()
                .setId("a1").setUrl("https://n.example/a?utm_source=x").setCanonicalUrl("https://n.example/a")
                .setTitle("Title").setBody("Body").setAuthors(List.of("A. Writer"))
                .setPublished(Instant.parse("2026-11-20T08:00:00Z")).setFetchedAt(Instant.parse("2026-11-20T08:05:00Z"))
                .setContentHash("abc").build();
    }

    @Test
    void shouldRoundTripWithTheSchemaFingerprintInTheHeader() {
        byte[] bytes = CODEC.encode(article());

        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(fingerprint).isEqualTo(SchemaNormalization.parsingFingerprint64(RawArticle.getClassSchema()));
        assertThat(CODEC.decode(bytes)).isEqualTo(article());
    }

    @Test
    void shouldResolveARecordWrittenWithAnEarlierReleasedSchema() throws Exception {
        Schema v0;
        try (InputStream in = getClass().getResourceAsStream("/schemas/history/RawArticle-v0.avsc")) {
            v0 = new Schema.Parser().parse(in);
        }
        GenericRecord old = new GenericData.Record(v0);
        old.put("id", "old-1");
        old.put("url", "https://n.example/old");
        old.put("canonicalUrl", "https://n.example/old");
        old.put("title", "Old");
        old.put("body", "Written by an older producer");
        old.put("authors", List.of());
        old.put("fetchedAt", 1_700_000_000_000L);
        byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v0).encode(old).array();

        RawArticle decoded = CODEC.decode(bytes);

        assertThat(decoded.getId()).isEqualTo("old-1");
        assertThat(decoded.getBody()).isEqualTo("Written by an older producer");
        assertThat(decoded.getCategories()).isEmpty();
        assertThat(decoded.getContentHash()).isEmpty();
        assertThat(decoded.getFetchedAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
        assertThat(CODEC.knownFingerprints()).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void shouldRejectAnUnknownSchemaVersionNamingItsFingerprint() {
        byte[] bytes = CODEC.encode(article());
        bytes[2] ^= 0x7f;

        assertThatThrownBy(() -> CODEC.decode(bytes))
                .isInstanceOfSatisfying(UnknownSchemaException.class, e -> assertThat(e.reason()).isEqualTo("unknown-schema"))
                .hasMessageContaining("unknown schema version for RawArticle")
                .hasMessageContaining(AvroCodec.hex(ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong()));
    }

    @Test
    void shouldRejectTruncatedAndForeignBytesWithAClearError() {
        byte[] bytes = CODEC.encode(article());
        assertThatThrownBy(() -> CODEC.decode(Arrays.copyOf(bytes, 6)))
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> CODEC.decode(Arrays.copyOf(bytes, bytes.length - 4)))
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("corrupt or truncated");
        assertThatThrownBy(() -> CODEC.decode("{\"json\": true, \"x\": 1}".getBytes()))
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("not a single-object encoded");
    }

    @Test
    void shouldPassTombstonesThroughTheSerde() {
        assertThat(Topics.RAW_ARTICLE_SERDE.serialize("t", null)).isNull();
        assertThat(Topics.RAW_ARTICLE_SERDE.deserialize("t", null)).isNull();
    }

    @Test
    void shouldRenderPlainJsonWithFlatUnionsAndIsoTimes() {
        String json = RecordJson.toJsonLine(article());
        assertThat(json).contains("\"published\":\"2026-11-20T08:00:00Z\"").contains("\"summary\":null")
                .contains("\"authors\":[\"A. Writer\"]").doesNotContain("{\"string\"");
    }
}
