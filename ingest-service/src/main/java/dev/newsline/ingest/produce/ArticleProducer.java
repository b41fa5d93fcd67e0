package dev.newsline.ingest.produce;

import dev.newsline.model.DeadLetter;
import dev.newsline.model.RawArticle;
import dev.newsline.model.topic.DeadLetters;
import dev.newsline.model.topic.Topics;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces raw articles to {@code news.articles.raw} (key = article id, record timestamp =
 * published time, else fetch time) and rejected input to {@code news.ingest.dlq}.
 *
 * <p>Idempotent, {@code acks=all}, compressed. Sends are asynchronous; the first failed send is
 * fatal: it is rethrown by the next {@link #send}, {@link #flush} or {@link #close}, so no
 * caller can report success for a record Kafka did not take.
 */
public final class ArticleProducer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ArticleProducer.class);

    private final KafkaProducer<String, RawArticle> articles;
    private final KafkaProducer<String, DeadLetter> deadLetters;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    public ArticleProducer(Map<String, Object> kafkaSettings) {
        Map<String, Object> config = new HashMap<>(kafkaSettings);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 10);
        config.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "newsline-ingest");
        this.articles = new KafkaProducer<>(config, Topics.ARTICLES_RAW.keySerde().serializer(),
                Topics.ARTICLES_RAW.valueSerde().serializer());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, config.get(ProducerConfig.CLIENT_ID_CONFIG) + "-dlq");
        this.deadLetters = new KafkaProducer<>(config, Topics.INGEST_DLQ.keySerde().serializer(),
                Topics.INGEST_DLQ.valueSerde().serializer());
    }

    public void send(RawArticle article) {
        throwIfFailed();
        Instant eventTime = article.getPublished() != null ? article.getPublished() : article.getFetchedAt();
        articles.send(new ProducerRecord<>(Topics.ARTICLES_RAW.name(), null, eventTime.toEpochMilli(),
                article.getId(), article), (metadata, error) -> {
                    if (error != null && failure.compareAndSet(null, error)) {
                        LOG.error("send of article {} to {} failed: {}", article.getId(),
                                Topics.ARTICLES_RAW.name(), error.toString());
                    }
                });
    }

    public void deadLetter(DeadLetter letter) {
        throwIfFailed();
        LOG.warn("dead-lettering input from {} at {}: {} ({})", letter.getOrigin(), letter.getOffset(),
                letter.getReason(), letter.getDetail());
        deadLetters.send(new ProducerRecord<>(Topics.INGEST_DLQ.name(), null, null, null, letter,
                DeadLetters.headers(letter)), (metadata, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                });
    }

    public void flush() {
        articles.flush();
        deadLetters.flush();
        throwIfFailed();
    }

    @Override
    public void close() {
        try {
            flush();
        } finally {
            articles.close();
            deadLetters.close();
        }
    }

    private void throwIfFailed() {
        Exception e = failure.get();
        if (e != null) {
            throw new KafkaException("a previous send failed; stopping so that nothing is reported as produced that was not", e);
        }
    }
}
