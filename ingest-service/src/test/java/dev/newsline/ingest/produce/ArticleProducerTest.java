package dev.newsline.ingest.produce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.newsline.model.RawArticle;
import java.time.Instant;
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

    private static RawArticle article(Instant published) {
        return RawArticle.newBuilder().setId("id").setUrl("https://p.fictional.example/").setCanonicalUrl("https://p.fictional.example/")
                .setPublished(published).setFetchedAt(FETCHED).build();
    }
}
