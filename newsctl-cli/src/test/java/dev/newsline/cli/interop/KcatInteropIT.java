package dev.newsline.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.newsline.embedded.EmbeddedKafka;
import dev.newsline.model.EnrichedArticle;
import dev.newsline.model.Entity;
import dev.newsline.model.EntityType;
import dev.newsline.model.Evidence;
import dev.newsline.model.Mention;
import dev.newsline.model.Sentiment;
import dev.newsline.model.SentimentLabel;
import dev.newsline.model.Stance;
import dev.newsline.model.StanceHolder;
import dev.newsline.model.StancePolarity;
import dev.newsline.model.StanceTarget;
import dev.newsline.model.TextField;
import dev.newsline.model.Tone;
import dev.newsline.model.topic.Topics;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downstream teams read our topics with clients we did not write. This test consumes
 * news.articles.enriched with kcat (Debian's package, librdkafka) and decodes what it prints with
 * nothing but the published schema file (event-model/src/main/avro) and Avro's generic reader,
 * following the wire format of docs/topics.md: 0xC3 0x01, the writer schema's CRC-64-AVRO
 * fingerprint (8 bytes, little-endian), then the Avro binary body. kcat reads with
 * isolation.level=read_committed, as the docs tell consumers of transactional (Streams) output to.
 *
 * <p>Without kcat the test is skipped with a message, except under CI=true, where it fails:
 * .ci/run installs kcat.
 */
class KcatInteropIT {

    private static final String TOPIC = Topics.ARTICLES_ENRICHED.name();

    @TempDir
    Path dir;

    @Test
    void shouldDecodeEnrichedArticlesReadByKcatWithThePublishedSchema() throws Exception {
        Path kcat = kcat();
        Schema published = publishedSchema("EnrichedArticle");
        Map<String, EnrichedArticle> produced = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) {
            EnrichedArticle a = article(i);
            produced.put(a.getId(), a);
        }
        EnrichedArticle aborted = EnrichedArticle.newBuilder(article(9)).setId("aborted").build();

        byte[] output;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
            kafka.createTopics(List.of(new NewTopic(TOPIC, Topics.ARTICLES_ENRICHED.partitions(), (short) 1)));
            produceTransactionally(kafka.bootstrapServers(), produced.values(), aborted);
            output = run(kcat.toString(), "-C", "-b", kafka.bootstrapServers(), "-t", TOPIC, "-o", "beginning",
                    "-e", "-q", "-X", "isolation.level=read_committed",
                    // binary-safe: a text header with the key and value lengths, then the raw bytes
                    "-f", "%p %o %K %S\\n%k%s");
        }

        List<KcatRecord> records = parse(output);
        assertThat(records).extracting(KcatRecord::key)
                .as("committed records only, the aborted transaction is invisible")
                .containsExactlyInAnyOrderElementsOf(produced.keySet());
        long fingerprint = SchemaNormalization.parsingFingerprint64(published);
        for (KcatRecord r : records) {
            EnrichedArticle expected = produced.get(r.key());
            assertThat(r.value()).as("bytes kcat printed for %s", r.key())
                    .isEqualTo(Topics.ENRICHED_ARTICLE_SERDE.serializer().serialize(TOPIC, expected));
            assertThat(r.value()[0]).isEqualTo((byte) 0xC3);
            assertThat(r.value()[1]).isEqualTo((byte) 0x01);
            assertThat(ByteBuffer.wrap(r.value(), 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong())
                    .as("writer fingerprint = CRC-64-AVRO of the published EnrichedArticle.avsc")
                    .isEqualTo(fingerprint);

            GenericRecord decoded = decode(published, r.value());

            assertThat(decoded.get("id").toString()).isEqualTo(expected.getId());
            assertThat(decoded.get("title").toString()).isEqualTo(expected.getTitle());
            assertThat(decoded.get("body").toString()).isEqualTo(expected.getBody());
            assertThat(decoded.get("published")).isEqualTo(expected.getPublished().toEpochMilli());
            GenericRecord entity = (GenericRecord) ((List<?>) decoded.get("entities")).get(0);
            assertThat(entity.get("id").toString()).isEqualTo(expected.getEntities().get(0).getId());
            assertThat(entity.get("type").toString()).isEqualTo("PERSON");
            GenericRecord sentiment = (GenericRecord) entity.get("sentiment");
            assertThat(sentiment.get("label").toString()).isEqualTo(expected.getEntities().get(0).getSentiment().getLabel().name());
            GenericRecord mention = (GenericRecord) ((List<?>) entity.get("mentions")).get(0);
            int start = (Integer) mention.get("start");
            int end = (Integer) mention.get("end");
            assertThat(decoded.get("body").toString().substring(start, end)).isEqualTo(mention.get("text").toString());
            GenericRecord stance = (GenericRecord) ((List<?>) decoded.get("stances")).get(0);
            assertThat(stance.get("polarity").toString()).isEqualTo("OPPOSE");
            assertThat(((GenericRecord) stance.get("target")).get("text").toString()).isEqualTo("the tram plan");
        }
    }

    private static EnrichedArticle article(int i) {
        String body = "Councillor Ines Moreau" + " rejected the tram plan in district " + i + " on Tuesday.";
        int start = "Councillor ".length();
        int end = start + "Ines Moreau".length();
        return EnrichedArticle.newBuilder()
                .setId("interop-" + i)
                .setUrl("https://wire.example/interop/" + i)
                .setTitle("Moreau rejects tram plan " + i)
                .setBody(body)
                .setSource("Wire Example")
                .setLanguage("en")
                .setPublished(Instant.parse(String.format("2019-05-%02dT08:00:00Z", i + 1)))
                .setFetchedAt(Instant.parse("2026-01-01T00:00:00Z"))
                .setEnrichedAt(Instant.parse("2026-01-01T00:00:05Z"))
                .setEnricherVersion("interop-test")
                .setEntities(List.of(Entity.newBuilder()
                        .setId("per:ines-moreau").setName("Ines Moreau").setType(EntityType.PERSON).setSalience(0.9)
                        .setSentiment(Sentiment.newBuilder().setLabel(SentimentLabel.NEGATIVE).setScore(-0.4).build())
                        .setMentions(List.of(Mention.newBuilder().setField(TextField.body).setStart(start).setEnd(end)
                                .setText("Ines Moreau").build()))
                        .build()))
                .setStances(List.of(Stance.newBuilder()
                        .setHolder(StanceHolder.newBuilder().setId("per:ines-moreau").setName("Ines Moreau").build())
                        .setTarget(StanceTarget.newBuilder().setId(null).setText("the tram plan").build())
                        .setPolarity(StancePolarity.OPPOSE).setCue("rejected")
                        .setEvidence(Evidence.newBuilder().setField(TextField.body).setStart(0).setEnd(body.length()).build())
                        .setConfidence(0.8).build()))
                .setTone(Tone.newBuilder().setPositive(0).setNegative(4.5).setPolarity(-1).build())
                .build();
    }

    /** Produces like the enrich service: in a committed transaction, plus one aborted record. */
    private static void produceTransactionally(String bootstrap, Iterable<EnrichedArticle> committed, EnrichedArticle aborted) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "kcat-interop-" + System.nanoTime());
        try (KafkaProducer<String, EnrichedArticle> producer = new KafkaProducer<>(config,
                Topics.ARTICLES_ENRICHED.keySerde().serializer(), Topics.ARTICLES_ENRICHED.valueSerde().serializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(TOPIC, null, aborted.getPublished().toEpochMilli(), aborted.getId(), aborted));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            for (EnrichedArticle a : committed) {
                producer.send(new ProducerRecord<>(TOPIC, null, a.getPublished().toEpochMilli(), a.getId(), a));
            }
            producer.commitTransaction();
        }
    }

    /** Reads the single-object encoding by hand: header, fingerprint, then the body with the schema file. */
    private static GenericRecord decode(Schema schema, byte[] value) throws IOException {
        BinaryDecoder in = DecoderFactory.get().binaryDecoder(value, 10, value.length - 10, null);
        GenericRecord record = new GenericDatumReader<GenericRecord>(schema, schema, new GenericData()).read(null, in);
        assertThat(in.isEnd()).as("the body is exactly one record").isTrue();
        return record;
    }

    /** The .avsc as published in event-model, named types of common/ first. */
    private static Schema publishedSchema(String name) throws IOException {
        Path avro = Path.of("").toAbsolutePath();
        while (avro != null && !Files.isDirectory(avro.resolve("event-model/src/main/avro"))) {
            avro = avro.getParent();
        }
        assertThat(avro).as("repository root above %s", Path.of("").toAbsolutePath()).isNotNull();
        avro = avro.resolve("event-model/src/main/avro");
        Schema.Parser parser = new Schema.Parser();
        try (Stream<Path> common = Files.list(avro.resolve("common"))) {
            for (Path p : common.sorted().toList()) {
                parser.parse(p.toFile());
            }
        }
        return parser.parse(avro.resolve(name + ".avsc").toFile());
    }

    private record KcatRecord(int partition, long offset, String key, byte[] value) {
    }

    /** Parses kcat's output for the format "%p %o %K %S\n%k%s". */
    private static List<KcatRecord> parse(byte[] out) {
        List<KcatRecord> records = new ArrayList<>();
        int pos = 0;
        while (pos < out.length) {
            int nl = pos;
            while (nl < out.length && out[nl] != '\n') {
                nl++;
            }
            String[] header = new String(out, pos, nl - pos, StandardCharsets.US_ASCII).split(" ");
            assertThat(header).as("kcat record header at byte %s", pos).hasSize(4);
            int keyLength = Integer.parseInt(header[2]);
            int valueLength = Integer.parseInt(header[3]);
            int keyStart = nl + 1;
            int valueStart = keyStart + Math.max(keyLength, 0);
            assertThat(valueLength).as("value length").isPositive();
            assertThat(valueStart + valueLength).as("kcat output length").isLessThanOrEqualTo(out.length);
            records.add(new KcatRecord(Integer.parseInt(header[0]), Long.parseLong(header[1]),
                    keyLength < 0 ? null : new String(out, keyStart, keyLength, StandardCharsets.UTF_8),
                    Arrays.copyOfRange(out, valueStart, valueStart + valueLength)));
            pos = valueStart + valueLength;
        }
        return records;
    }

    private static byte[] run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).start();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        Thread out = drain(p.getInputStream(), stdout);
        Thread err = drain(p.getErrorStream(), stderr);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("kcat did not finish within 60 s; stderr: " + stderr.toString(StandardCharsets.UTF_8));
        }
        out.join();
        err.join();
        assertThat(p.exitValue()).as("kcat exit code; stderr: %s", stderr.toString(StandardCharsets.UTF_8)).isZero();
        return stdout.toByteArray();
    }

    private static Thread drain(InputStream in, ByteArrayOutputStream to) {
        Thread t = new Thread(() -> {
            try {
                in.transferTo(to);
            } catch (IOException e) {
                // the process was destroyed
            }
        }, "kcat-output");
        t.start();
        return t;
    }

    private static Path kcat() {
        Optional<Path> found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .flatMap(d -> Stream.of(Path.of(d, "kcat"), Path.of(d, "kafkacat")))
                .filter(Files::isExecutable).findFirst();
        if (found.isEmpty()) {
            String message = "kcat is not installed (Debian: apt-get install kcat); the interoperability test needs it";
            if ("true".equals(System.getenv("CI"))) {
                fail(message + "; .ci/run installs it");
            }
            Assumptions.abort(message);
        }
        return found.get();
    }
}
