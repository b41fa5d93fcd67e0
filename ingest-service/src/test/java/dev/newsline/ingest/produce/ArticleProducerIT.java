package dev.newsline.ingest.produce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.newsline.embedded.EmbeddedKafka;
import dev.newsline.ingest.support.TopicReader;
import dev.newsline.model.RawArticle;
import dev.newsline.model.topic.DeadLetters;
import dev.newsline.model.topic.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A send that Kafka gave up on while the broker was away is sent again, once, on a real broker
 * that stops and comes back on the same storage.
 */
class ArticleProducerIT {

    private static final Instant FETCHED = Instant.parse("2026-11-30T09:00:00Z");

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.startTemporary();
        kafka.createTopics(List.of(new NewTopic(Topics.ARTICLES_RAW.name(), 2, (short) 1),
                new NewTopic(Topics.INGEST_DLQ.name(), 1, (short) 1)));
    }

    @AfterEach
    void brokerBackUp() {
        kafka.restart();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void shouldSendAgainAnArticleWhoseSendTimedOutWhileTheBrokerWasAway() {
        AtomicInteger acked = new AtomicInteger();
        try (ArticleProducer producer = new ArticleProducer(quickToGiveUp())) {
            producer.send(article("https://resend.fictional.example/before"), acked::incrementAndGet);
            producer.flush();
            kafka.stop();
            producer.send(article("https://resend.fictional.example/during"), acked::incrementAndGet);
            // no other call until the broker is back: each one sends the waiting article again
            Awaitility.await("the send to time out").atMost(Duration.ofSeconds(30))
                    .until(() -> producer.awaitingResend() == 1);
            kafka.restart();

            producer.flush();

            assertThat(acked).hasValue(2);
            assertThat(producer.resent()).isEqualTo(1);
        }
        List<ConsumerRecord<String, RawArticle>> raw = TopicReader.readAll(kafka.bootstrapServers(), Topics.ARTICLES_RAW,
                r -> r.value().getCanonicalUrl().startsWith("https://resend.fictional.example/"));
        assertThat(raw).extracting(r -> r.value().getCanonicalUrl()).containsExactlyInAnyOrder(
                "https://resend.fictional.example/before", "https://resend.fictional.example/during");
    }

    @Test
    void shouldSendAgainADeadLetterWhoseSendTimedOutWhileTheBrokerWasAway() {
        try (ArticleProducer producer = new ArticleProducer(quickToGiveUp())) {
            producer.deadLetter(DeadLetters.of("ingest", "invalid-json", "warm-up", null,
                    "https://resend.fictional.example/warm-up.jsonl", null, 1L, null, null));
            producer.flush();
            kafka.stop();
            producer.deadLetter(DeadLetters.of("ingest", "invalid-xml", "unclosed tag", null,
                    "https://resend.fictional.example/feed.xml", null, 3L, null, null));
            Awaitility.await("the send to time out").atMost(Duration.ofSeconds(30))
                    .until(() -> producer.awaitingResend() == 1);
            kafka.restart();

            producer.flush();

            assertThat(producer.resent()).isEqualTo(1);
        }
        assertThat(TopicReader.readAll(kafka.bootstrapServers(), Topics.INGEST_DLQ,
                r -> "https://resend.fictional.example/feed.xml".equals(r.value().getOrigin())))
                .extracting(r -> r.value().getReason()).containsExactly("invalid-xml");
    }

    @Test
    void shouldFailWhenTheArticleSentAgainFailsAgain() {
        AtomicInteger acked = new AtomicInteger();
        try (ArticleProducer producer = new ArticleProducer(quickToGiveUp())) {
            producer.send(article("https://twice.fictional.example/warm-up"), null);
            producer.flush();
            kafka.stop();
            producer.send(article("https://twice.fictional.example/lost"), acked::incrementAndGet);

            assertThatThrownBy(producer::flush).isInstanceOf(KafkaException.class)
                    .hasMessageContaining("a previous send failed").hasCauseInstanceOf(TimeoutException.class);
            assertThat(producer.resent()).isEqualTo(1);
            assertThat(acked).hasValue(0);
            kafka.restart();
            assertThatThrownBy(() -> producer.send(article("https://twice.fictional.example/after"), null))
                    .as("nothing is sent after a send failed for good").isInstanceOf(KafkaException.class);
        } catch (KafkaException closing) {
            assertThat(closing).hasMessageContaining("a previous send failed");
        }
    }

    /** Gives up on a send after 3 s instead of two minutes, and on missing metadata after 2 s instead of one. */
    private static Map<String, Object> quickToGiveUp() {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 3_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000,
                ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
    }

    private static RawArticle article(String url) {
        return RawArticle.newBuilder().setId(url).setUrl(url).setCanonicalUrl(url).setTitle("t").setBody("b")
                .setContentHash(Integer.toHexString(url.hashCode())).setFetchedAt(FETCHED).build();
    }
}
