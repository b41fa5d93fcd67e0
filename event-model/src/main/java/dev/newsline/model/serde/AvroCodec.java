package dev.newsline.model.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Encodes and decodes one Avro record type with Avro's single-object encoding: a two-byte
 * marker, the 8-byte CRC-64-AVRO fingerprint of the writer schema, then Avro binary.
 *
 * <p>The decoder knows the current schema and every earlier released version of it (listed in
 * {@code schemas/history/<Name>.list} on the classpath), so records written by an older producer
 * are resolved to the current shape; a record whose fingerprint is unknown is rejected with an
 * {@link UnknownSchemaException} naming the fingerprint. Instances are immutable and thread-safe.
 */
public final class AvroCodec<T extends SpecificRecord> {

    private final Class<T> type;
    private final Schema schema;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;
    private final List<Long> knownFingerprints;

    private AvroCodec(Class<T> type) {
        this.type = type;
        SpecificData model = SpecificData.getForClass(type);
        this.schema = model.getSchema(type);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema);
        List<Long> fingerprints = new ArrayList<>();
        fingerprints.add(SchemaNormalization.parsingFingerprint64(schema));
        for (Schema previous : historyOf(schema)) {
            long fingerprint = SchemaNormalization.parsingFingerprint64(previous);
            if (!fingerprints.contains(fingerprint)) {
                decoder.addSchema(previous);
                fingerprints.add(fingerprint);
            }
        }
        this.knownFingerprints = List.copyOf(fingerprints);
    }

    public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type) {
        return new AvroCodec<>(Objects.requireNonNull(type, "type"));
    }

    public Class<T> type() {
        return type;
    }

    public Schema schema() {
        return schema;
    }

    /** Fingerprints this codec can read: the current schema first, then released history. */
    public List<Long> knownFingerprints() {
        return knownFingerprints;
    }

    public byte[] encode(T record) {
        try {
            ByteBuffer buffer = encoder.encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + schema.getName(), e);
        } catch (AvroRuntimeException | NullPointerException | ClassCastException e) {
            throw new InvalidRecordException(
                    "cannot encode " + schema.getName() + ": " + e.getMessage(), e);
        }
    }

    public T decode(byte[] bytes) {
        if (bytes.length < 10) {
            throw new InvalidRecordException(
                    "truncated " + schema.getName() + " record: " + bytes.length + " bytes, "
                            + "shorter than the 10-byte single-object header", null);
        }
        try {
            return decoder.decode(bytes);
        } catch (MissingSchemaException e) {
            long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
            throw new UnknownSchemaException(schema.getName(), fingerprint, knownFingerprints);
        } catch (BadHeaderException e) {
            throw new InvalidRecordException(
                    "not a single-object encoded " + schema.getName() + " record: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new InvalidRecordException(
                    "corrupt or truncated " + schema.getName() + " record: " + e, e);
        }
    }

    /** Every released version named by any {@code schemas/history/<Name>.list} on the classpath. */
    private static List<Schema> historyOf(Schema schema) {
        String list = "schemas/history/" + schema.getName() + ".list";
        List<Schema> history = new ArrayList<>();
        try {
            var lists = AvroCodec.class.getClassLoader().getResources(list);
            while (lists.hasMoreElements()) {
                java.net.URL url = lists.nextElement();
                String content;
                try (InputStream in = url.openStream()) {
                    content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                for (String line : content.split("\n")) {
                    String name = line.strip();
                    if (name.isEmpty() || name.startsWith("#")) {
                        continue;
                    }
                    // the schema file sits beside the list that names it
                    java.net.URL file = new java.net.URL(url, name);
                    try (InputStream schemaIn = file.openStream()) {
                        history.add(new Schema.Parser().parse(schemaIn));
                    } catch (java.io.FileNotFoundException e) {
                        throw new IllegalStateException(url + " names missing schema file " + name, e);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema history " + list, e);
        }
        return history;
    }

    static String hex(long fingerprint) {
        byte[] bytes = ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(fingerprint).array();
        return HexFormat.of().formatHex(bytes);
    }
}
