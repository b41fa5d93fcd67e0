package dev.newsline.ingest.article;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ArticleIdsTest {

    @Test
    void shouldCanonicaliseHostSchemePortFragmentAndTrackingParameters() {
        assertThat(ArticleIds.canonicalUrl("HTTPS://News.Example:443/a/b?id=7&utm_source=rss&fbclid=x#top"))
                .isEqualTo("https://news.example/a/b?id=7");
        assertThat(ArticleIds.canonicalUrl("http://news.example:8080")).isEqualTo("http://news.example:8080/");
    }

    @Test
    void shouldGiveTheSameIdToVariantsOfOneUrlAndDifferentIdsToDifferentUrls() {
        String a = ArticleIds.idForUrl(ArticleIds.canonicalUrl("https://news.example/x?utm_medium=feed"));
        String b = ArticleIds.idForUrl(ArticleIds.canonicalUrl("https://NEWS.example/x#comments"));
        String c = ArticleIds.idForUrl(ArticleIds.canonicalUrl("https://news.example/y"));
        assertThat(a).isEqualTo(b).hasSize(32).isNotEqualTo(c);
        assertThat(ArticleIds.idForGuid("tag:1")).isNotEqualTo(ArticleIds.idForGuid("tag:2"));
    }

    @Test
    void shouldRejectRelativeAndNonHttpUrls() {
        assertThatThrownBy(() -> ArticleIds.canonicalUrl("/relative/path")).hasMessageContaining("http");
        assertThatThrownBy(() -> ArticleIds.canonicalUrl("javascript:alert(1)")).hasMessageContaining("http");
        assertThatThrownBy(() -> ArticleIds.canonicalUrl("  ")).hasMessageContaining("missing");
    }
}
