package dev.newsline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.newsline.cli.local.LocalStack;
import dev.newsline.embedded.EmbeddedKafka;
import dev.newsline.model.DeadLetter;
import dev.newsline.model.topic.DeadLetters;
import dev.newsline.model.topic.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TailCommandIT {

    @TempDir
    Path dir;

    @Test
    void shouldPrintRecordsAsJsonDecodedWithThePublishedSchemaAndFlagUndecodableOnes() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
            kafka.createTopics(LocalStack.newTopics());
            DeadLetter letter = DeadLetters.of("ingest", "invalid-json", "not valid JSON", null, "a.jsonl", null, 3L, null,
                    "{broken".getBytes(StandardCharsets.UTF_8));
            try (var producer = new KafkaProducer<byte[], byte[]>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(Topics.INGEST_DLQ.name(), null, 1_700_000_000_000L, null,
                        Topics.DEAD_LETTER_SERDE.serialize("t", letter), DeadLetters.headers(letter))).get();
                producer.send(new ProducerRecord<>(Topics.INGEST_DLQ.name(), "junk".getBytes(StandardCharsets.UTF_8),
                        "garbage".getBytes(StandardCharsets.UTF_8))).get();
            }
            StringWriter out = new StringWriter();
            CommandLine cli = new CommandLine(new NewsCtl());
            cli.setOut(new PrintWriter(out, true));
            int exit = cli.execute("tail", Topics.INGEST_DLQ.name(), "--from-beginning", "--max", "2",
                    "--embedded", "--port", String.valueOf(kafka.brokerPort()));

            assertThat(exit).isZero();
            String[] lines = out.toString().strip().split("\n");
            assertThat(lines).hasSize(2);
            ObjectMapper json = new ObjectMapper();
            JsonNode first = json.readTree(lines[0]);
            assertThat(first.path("timestamp").asText()).isEqualTo("2023-11-14T22:13:20Z");
            assertThat(first.path("value").path("reason").asText()).isEqualTo("invalid-json");
            assertThat(first.path("value").path("offset").asLong()).isEqualTo(3);
            assertThat(first.path("headers").path(DeadLetters.HEADER_REASON).asText()).isEqualTo("invalid-json");
            JsonNode second = json.readTree(lines[1]);
            assertThat(second.path("key").asText()).isEqualTo("junk");
            assertThat(second.path("error").asText()).contains("DeadLetter");
            assertThat(second.path("valueBase64").asText()).isEqualTo("Z2FyYmFnZQ==");
        }
    }

    @Test
    void shouldRefuseATopicOutsideTheCatalogue() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new NewsCtl());
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute("tail", "no.such.topic", "--embedded")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown topic 'no.such.topic'").contains("news.articles.enriched");
    }
}
