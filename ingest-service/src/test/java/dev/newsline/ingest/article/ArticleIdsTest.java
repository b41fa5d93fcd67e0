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
    void shouldHashContentAsTheUtf8OfItsPartsJoinedByNul() {
        // content hashes are kept in the seen topic and in records: the value must not change
        // between releases; this one was computed with Python's hashlib
        assertThat(ArticleIds.contentHash("T\u00eftle", "", "B\u00f6dy \ud83d\ude80 ends"))
                .isEqualTo("4caeaa4f848506c74a43221f1fd097dd88ec31061d42461a7e7ba517f4909571");
    }

    @Test
    void shouldRejectRelativeAndNonHttpUrls() {
        assertThatThrownBy(() -> ArticleIds.canonicalUrl("/relative/path")).hasMessageContaining("http");
        assertThatThrownBy(() -> ArticleIds.canonicalUrl("javascript:alert(1)")).hasMessageContaining("http");
        assertThatThrownBy(() -> ArticleIds.canonicalUrl("  ")).hasMessageContaining("missing");
    }
}
