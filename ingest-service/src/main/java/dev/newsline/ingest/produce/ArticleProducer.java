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
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces raw articles to {@code news.articles.raw} (key = article id, record timestamp =
 * published time, else fetch time) and rejected input to {@code news.ingest.dlq}.
 *
 * <p>A published time later than the fetch time (a feed's clock or time zone is off) or before
 * 1970 cannot be a Kafka record timestamp (brokers refuse timestamps far in the future, clients
 * refuse negative ones), so such records are stamped with the fetch time; the value keeps the
 * declared time.
 *
 * <p>Idempotent, {@code acks=all}, compressed. Sends are asynchronous; the first failed send is
 * fatal: it is rethrown by the next {@link #send}, {@link #flush} or {@link #close}, so no
 * caller can report success for a record Kafka did not take.
 */
public final class ArticleProducer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ArticleProducer.class);

    private static final Serializer<RawArticle> ENCODER = Topics.ARTICLES_RAW.valueSerde().serializer();

    private final KafkaProducer<String, byte[]> articles;
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
        // values are encoded by the caller (see encode), so that callers can encode on other threads
        this.articles = new KafkaProducer<>(config, Topics.ARTICLES_RAW.keySerde().serializer(), new ByteArraySerializer());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, config.get(ProducerConfig.CLIENT_ID_CONFIG) + "-dlq");
        this.deadLetters = new KafkaProducer<>(config, Topics.INGEST_DLQ.keySerde().serializer(),
                Topics.INGEST_DLQ.valueSerde().serializer());
    }

    public void send(RawArticle article) {
        send(article, null);
    }

    /**
     * Sends an article.
     *
     * @param onAcked run on the producer's I/O thread once Kafka acknowledged the record; must not
     *                block. Not run if the send fails. May be null.
     */
    public void send(RawArticle article, Runnable onAcked) {
        send(article, encode(article), onAcked);
    }

    /**
     * The record value of an article: its Avro single-object encoding, as {@code news.articles.raw}
     * carries it. Thread-safe; lets a caller encode on worker threads and send in order on one.
     */
    public static byte[] encode(RawArticle article) {
        return ENCODER.serialize(Topics.ARTICLES_RAW.name(), article);
    }

    /**
     * Sends an article already encoded with {@link #encode}.
     *
     * @param encoded {@code encode(article)}
     */
    public void send(RawArticle article, byte[] encoded, Runnable onAcked) {
        ensureHealthy();
        articles.send(new ProducerRecord<>(Topics.ARTICLES_RAW.name(), null, eventTime(article).toEpochMilli(),
                article.getId(), encoded), (metadata, error) -> {
                    if (error != null) {
                        if (failure.compareAndSet(null, error)) {
                            LOG.error("send of article {} to {} failed: {}", article.getId(),
                                    Topics.ARTICLES_RAW.name(), error.toString());
                        }
                    } else if (onAcked != null) {
                        onAcked.run();
                    }
                });
    }

    static Instant eventTime(RawArticle article) {
        Instant published = article.getPublished();
        Instant fetched = article.getFetchedAt();
        if (published == null || published.isAfter(fetched) || published.isBefore(Instant.EPOCH)) {
            return fetched;
        }
        return published;
    }

    public void deadLetter(DeadLetter letter) {
        ensureHealthy();
        LOG.warn("dead-lettering input from {}{}: {} ({})", letter.getOrigin(),
                letter.getOffset() == null ? "" : " at " + letter.getOffset(), letter.getReason(), letter.getDetail());
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
        ensureHealthy();
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

    /**
     * @throws KafkaException if a send has failed: nothing sent after it is reported as produced
     */
    public void ensureHealthy() {
        Exception e = failure.get();
        if (e != null) {
            throw new KafkaException("a previous send failed; stopping so that nothing is reported as produced that was not", e);
        }
    }
}
