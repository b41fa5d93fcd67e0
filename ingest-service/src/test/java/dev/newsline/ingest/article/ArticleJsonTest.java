package dev.newsline.ingest.article;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.newsline.model.RawArticle;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ArticleJsonTest {

    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");

    @Test
    void shouldMapEveryFieldOfAnArchiveLine() {
        RawArticle a = ArticleJson.parse("""
                {"url":"https://news.example/p?utm_source=x","title":"T","body":"B","published":"2026-11-20T08:00:00+01:00",
                 "source":"Example News","language":"en","authors":["A One"],"categories":["politics"]}""", NOW);

        assertThat(a.getCanonicalUrl()).isEqualTo("https://news.example/p");
        assertThat(a.getId()).isEqualTo(ArticleIds.idForUrl("https://news.example/p"));
        assertThat(a.getPublished()).isEqualTo(Instant.parse("2026-11-20T07:00:00Z"));
        assertThat(a.getFetchedAt()).isEqualTo(NOW);
        assertThat(a.getAuthors()).containsExactly("A One");
        assertThat(a.getCategories()).containsExactly("politics");
        assertThat(a.getContentHash()).hasSize(64);
    }

    @Test
    void shouldKeepAnExplicitId() {
        assertThat(ArticleJson.parse("{\"id\":\"doc-1\",\"url\":\"https://n.example/\",\"body\":\"x\"}", NOW).getId())
                .isEqualTo("doc-1");
    }

    @Test
    void shouldRejectBadLinesWithAReason() {
        assertReason("{not json", "invalid-json");
        assertReason("[1,2]", "invalid-json");
        assertReason("{\"body\":\"x\"}", "missing-url");
        assertReason("{\"url\":\"https://n.example/\"}", "missing-body");
        assertReason("{\"url\":\"javascript:alert(1)\",\"body\":\"x\"}", "invalid-url");
        assertReason("{\"url\":\"https://n.example/\",\"body\":\"x\",\"published\":\"yesterday\"}", "invalid-date");
    }

    @Test
    void shouldRejectALineWhoseArticleCannotFitInAKafkaRecord() {
        String body = "x".repeat(ArticleLimits.MAX_TEXT_BYTES);
        assertReason("{\"url\":\"https://n.example/\",\"body\":\"" + body + "\"}", "too-large");
        String fits = "x".repeat(ArticleLimits.MAX_TEXT_BYTES - 1024);
        assertThat(ArticleJson.parse("{\"url\":\"https://n.example/\",\"body\":\"" + fits + "\"}", NOW).getBody())
                .hasSize(fits.length());
    }

    private static void assertReason(String line, String reason) {
        assertThatThrownBy(() -> ArticleJson.parse(line, NOW))
                .isInstanceOfSatisfying(RejectedInputException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
