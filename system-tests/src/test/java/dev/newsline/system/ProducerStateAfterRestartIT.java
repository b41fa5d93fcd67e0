package dev.newsline.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.newsline.embedded.EmbeddedKafka;
import dev.newsline.ingest.produce.ArticleProducer;
import dev.newsline.model.RawArticle;
import dev.newsline.model.topic.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Why news.articles.raw is at least once even with an idempotent producer, and why enrich drops
 * redelivered versions: a broker recognises a retried send only while it remembers the producer,
 * and after a restart it forgets every producer whose last record timestamp is older than
 * {@code producer.id.expiration.ms} (a day by default). Raw records carry the published time, so a
 * send retried across a broker restart (as {@link FaultInjectionIT} provokes) can be appended
 * twice. This test shows the forgetting itself, which is deterministic; the duplicate needs a
 * response lost in the restart, which is not.
 */
class ProducerStateAfterRestartIT {

    private static final String TOPIC = Topics.ARTICLES_RAW.name();

    @Test
    void shouldForgetTheIngestProducerOfPublishedTimesButNotAProducerOfCurrentTimesWhenTheBrokerRestarts() {
        try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
            kafka.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1)));
            Map<String, Object> settings = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            Instant published = Instant.now().minus(Duration.ofDays(3));
            try (ArticleProducer ingest = new ArticleProducer(settings);
                 KafkaProducer<String, String> current = new KafkaProducer<>(Map.of(
                         ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                         ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                         new StringSerializer(), new StringSerializer())) {
                ingest.send(article(published));
                ingest.flush();
                current.send(new ProducerRecord<>(TOPIC, "now", "a record stamped with the current time")).get();

                assertThat(activeProducers(kafka)).as("producers the broker knows before the restart").hasSize(2);

                kafka.restart();

                List<ProducerState> after = activeProducers(kafka);
                assertThat(after).as("producers the broker knows after the restart").hasSize(1);
                assertThat(after.get(0).lastTimestamp()).isGreaterThan(published.toEpochMilli());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    private static RawArticle article(Instant published) {
        String url = "https://news.example/producer-state";
        return RawArticle.newBuilder().setId("a1").setUrl(url).setCanonicalUrl(url).setTitle("t").setBody("b")
                .setPublished(published).setFetchedAt(Instant.now()).setContentHash("h1").build();
    }

    private static List<ProducerState> activeProducers(EmbeddedKafka kafka) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            TopicPartition tp = new TopicPartition(TOPIC, 0);
            return Awaitility.await("the partition's producers").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> admin.describeProducers(List.of(tp)).partitionResult(tp).get(10, TimeUnit.SECONDS)
                            .activeProducers(), p -> true);
        }
    }
}
