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

    @Test
    void shouldCountBytesNotCharactersOfTextThatCouldBeTooLarge() {
        String cjk = "\u65b0".repeat(ArticleLimits.MAX_TEXT_BYTES / 3 + 10);
        assertReason("{\"url\":\"https://n.example/\",\"body\":\"" + cjk + "\"}", "too-large");
        String cjkFits = "\u65b0".repeat(ArticleLimits.MAX_TEXT_BYTES / 3 - 400);
        assertThat(ArticleJson.parse("{\"url\":\"https://n.example/\",\"body\":\"" + cjkFits + "\"}", NOW).getBody())
                .hasSize(cjkFits.length());
    }

    @Test
    void shouldReadValuesAsTheDocumentedShapeSays() {
        RawArticle a = ArticleJson.parse("""
                {"url":"https://n.example/a","body":"first","extra":{"deep":[1,{"x":[]}]},"title":42,
                 "language":null,"authors":"Solo Writer","categories":["a",null,7,true],"body":" last "}""", NOW);

        assertThat(a.getBody()).as("the last of a repeated field counts, unstripped").isEqualTo(" last ");
        assertThat(a.getTitle()).isEqualTo("42");
        assertThat(a.getLanguage()).isNull();
        assertThat(a.getAuthors()).containsExactly("Solo Writer");
        assertThat(a.getCategories()).containsExactly("a", "7", "true");
        assertThat(a.getPublished()).isNull();
        assertThat(a.getSummary()).isNull();
    }

    @Test
    void shouldRejectFieldsOfTheWrongShape() {
        assertReason("{\"url\":{\"href\":\"https://n.example/\"},\"body\":\"x\"}", "invalid-field");
        assertReason("{\"url\":\"https://n.example/\",\"body\":\"x\",\"title\":[\"t\"]}", "invalid-field");
        assertReason("{\"url\":\"https://n.example/\",\"body\":\"x\",\"authors\":[[\"a\"]]}", "invalid-field");
        assertReason("{\"url\":\"https://n.example/\",\"body\":\"x\",\"categories\":{\"a\":1}}", "invalid-field");
        assertReason("{\"url\":\"https://n.example/\",\"body\":\"x\",\"authors\":3}", "invalid-field");
        assertReason("{\"url\":\"https://n.example/\",\"body\":17}", "missing-body");
        assertReason("{\"url\":\"https://n.example/\",\"body\":null}", "missing-body");
        assertReason("{\"url\":\"https://n.example/\",\"body\":\"x\"} {\"url\":\"https://n.example/b\"}", "invalid-json");
        assertReason("{\"url\":\"https://n.example/\",\"body\":\"x\"", "invalid-json");
        assertReason("\"just a string\"", "invalid-json");
        assertReason("{\"url\":\"https://n.example/\",\"body\":\"x\",\"published\":\"2026-13-01T00:00:00Z\"}",
                "invalid-date");
    }

    private static void assertReason(String line, String reason) {
        assertThatThrownBy(() -> ArticleJson.parse(line, NOW))
                .isInstanceOfSatisfying(RejectedInputException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
