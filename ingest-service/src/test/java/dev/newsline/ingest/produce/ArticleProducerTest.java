package dev.newsline.ingest.produce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.newsline.model.RawArticle;
import java.time.Instant;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownProducerIdException;
import org.junit.jupiter.api.Test;

class ArticleProducerTest {

    private static final Instant FETCHED = Instant.parse("2026-11-30T10:00:00Z");

    @Test
    void shouldStampRecordsWithThePublishedTime() {
        assertThat(ArticleProducer.eventTime(article(Instant.parse("2026-11-29T08:00:00Z"))))
                .isEqualTo(Instant.parse("2026-11-29T08:00:00Z"));
    }

    @Test
    void shouldFallBackToTheFetchTimeWhenThePublishedTimeCannotBeARecordTimestamp() {
        assertThat(ArticleProducer.eventTime(article(null))).isEqualTo(FETCHED);
        assertThat(ArticleProducer.eventTime(article(FETCHED.plusSeconds(7200)))).as("future").isEqualTo(FETCHED);
        assertThat(ArticleProducer.eventTime(article(Instant.parse("1912-04-15T02:20:00Z")))).as("before 1970").isEqualTo(FETCHED);
    }

    @Test
    void shouldSendAgainOnlyWhatMayNotHaveArrived() {
        assertThat(ArticleProducer.worthResending(new TimeoutException("Expiring 1 record(s)"))).isTrue();
        assertThat(ArticleProducer.worthResending(new NotEnoughReplicasException("1 of 2"))).isTrue();
        assertThat(ArticleProducer.worthResending(new OutOfOrderSequenceException("453 (incoming), 537 (current end)")))
                .isTrue();
        assertThat(ArticleProducer.worthResending(new UnknownProducerIdException("unknown"))).isTrue();
        assertThat(ArticleProducer.worthResending(new RecordTooLargeException("too large"))).as("the record's own fault")
                .isFalse();
        assertThat(ArticleProducer.worthResending(new TopicAuthorizationException("denied"))).isFalse();
        assertThat(ArticleProducer.worthResending(new SerializationException("bad value"))).isFalse();
    }

    private static RawArticle article(Instant published) {
        return RawArticle.newBuilder().setId("id").setUrl("https://p.fictional.example/").setCanonicalUrl("https://p.fictional.example/")
                .setPublished(published).setFetchedAt(FETCHED).build();
    }
}
