package dev.newsline.ingest.produce;

import dev.newsline.model.DeadLetter;
import dev.newsline.model.RawArticle;
import dev.newsline.model.topic.DeadLetters;
import dev.newsline.model.topic.Topics;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnknownProducerIdException;
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
 * <p>Idempotent, {@code acks=all}, compressed. Sends are asynchronous. An article or dead letter
 * whose send failed although the record itself is fine (Kafka gave up after
 * {@code delivery.timeout.ms}, or the broker lost track of the producer's sequence numbers across
 * a restart) is sent once more by the next {@link #send}, {@link #deadLetter}, {@link #flush},
 * {@link #close} or {@link #ensureHealthy} on the caller's thread. The broker may or may not hold
 * the first copy: enrich drops a second copy of the same article version (same id, content hash
 * and fetch time); a dead letter may then be in {@code news.ingest.dlq} twice. Any other failed
 * send, or a second failure of a record sent again, is fatal: it is rethrown by the next of those
 * calls, so no caller can report success for a record Kafka did not take. The second send goes
 * out with the next call, not once the broker is back: an outage through two of the producer's
 * timeouts is still fatal.
 */
public final class ArticleProducer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ArticleProducer.class);

    private static final Serializer<RawArticle> ENCODER = Topics.ARTICLES_RAW.valueSerde().serializer();

    private final KafkaProducer<String, byte[]> articles;
    private final KafkaProducer<String, DeadLetter> deadLetters;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    /** Second sends of records whose first send failed in a way that sending again can repair, oldest first. */
    private final Queue<Runnable> toResend = new ConcurrentLinkedQueue<>();
    private final AtomicLong resent = new AtomicLong();

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
        send(articles, new ProducerRecord<>(Topics.ARTICLES_RAW.name(), null, eventTime(article).toEpochMilli(),
                article.getId(), encoded), "article", article.getId(), onAcked, false);
    }

    /**
     * Sends a record; if it fails in a way that sending again can repair, queues it for
     * {@link #resendUnconfirmed} (once), else records the failure as fatal.
     *
     * @param kind what the record is, and {@code which} names it, in the log ("article", ID)
     */
    private <K, V> void send(KafkaProducer<K, V> producer, ProducerRecord<K, V> record, String kind, Object which,
                             Runnable onAcked, boolean again) {
        producer.send(record, (metadata, error) -> {
            if (error == null) {
                if (onAcked != null) {
                    onAcked.run();
                }
            } else if (!again && worthResending(error)) {
                LOG.warn("send of {} {} to {} failed: {}; sending it again", kind, which, record.topic(), error.toString());
                toResend.add(() -> send(producer, record, kind, which, onAcked, true));
            } else if (failure.compareAndSet(null, error)) {
                LOG.error("send of {} {} to {} failed{}: {}", kind, which, record.topic(), again ? " again" : "",
                        error.toString());
            }
        });
    }

    /**
     * Whether the record may simply not have arrived: a retriable error that outlasted the
     * producer's retries, or the broker not matching the producer's sequence numbers (seen after
     * a broker restart: the broker had appended a batch but, from its snapshot, no longer knew it
     * as a duplicate of the retry). The idempotent producer bumps its epoch after these, so the
     * same producer can send again. Errors about the record itself (too large, not authorised)
     * are not repaired by sending it again.
     */
    static boolean worthResending(Exception error) {
        return error instanceof RetriableException || error instanceof OutOfOrderSequenceException
                || error instanceof UnknownProducerIdException || error instanceof InvalidProducerEpochException;
    }

    /** Sends again, once, every record whose first send may not have arrived. */
    private void resendUnconfirmed() {
        Runnable resend;
        while (failure.get() == null && (resend = toResend.poll()) != null) {
            resent.incrementAndGet();
            resend.run();
        }
    }

    /** Records (articles and dead letters) sent a second time because their first send may not have arrived. */
    public long resent() {
        return resent.get();
    }

    /** Records waiting to be sent a second time (see {@link #resent()}). */
    int awaitingResend() {
        return toResend.size();
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
        send(deadLetters, new ProducerRecord<>(Topics.INGEST_DLQ.name(), null, null, null, letter,
                DeadLetters.headers(letter)), "the dead letter for", letter.getOrigin(), null, false);
    }

    public void flush() {
        long resentBefore;
        do {
            resentBefore = resent.get();
            articles.flush();
            deadLetters.flush();
            ensureHealthy();
        } while (resent.get() != resentBefore);
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
     * Sends again the records waiting for it, then checks that no send has failed for good.
     *
     * @throws KafkaException if a send has failed: nothing sent after it is reported as produced
     */
    public void ensureHealthy() {
        resendUnconfirmed();
        Exception e = failure.get();
        if (e != null) {
            throw new KafkaException("a previous send failed; stopping so that nothing is reported as produced that was not", e);
        }
    }
}
