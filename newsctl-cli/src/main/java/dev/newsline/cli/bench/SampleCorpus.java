package dev.newsline.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.newsline.ingest.article.ArticleIds;
import dev.newsline.model.RawArticle;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * News-like articles of about 700 words for benchmarks, built from the bundled sample archive
 * (written for Newsline): each article joins paragraphs of several sample articles, so the
 * enricher sees real sentences, names, quotes and stances.
 */
final class SampleCorpus {

    private final List<String> paragraphs = new ArrayList<>();
    private final List<String> titles = new ArrayList<>();
    private final SplittableRandom random;

    SampleCorpus(long seed) {
        this.random = new SplittableRandom(seed);
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                SampleCorpus.class.getResourceAsStream("/sample/articles.jsonl"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                JsonNode a = json.readTree(line);
                titles.add(a.path("title").asText());
                String body = a.path("body").asText();
                if (body.contains("<")) {
                    continue;
                }
                for (String p : body.split("\n\n")) {
                    if (!p.isBlank()) {
                        paragraphs.add(p.strip());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sample archive", e);
        }
    }

    /** Article {@code i} with at least {@code words} words, published at {@code published}. */
    RawArticle article(int i, int words, Instant published, Instant fetchedAt) {
        StringBuilder body = new StringBuilder();
        int count = 0;
        while (count < words) {
            String p = paragraphs.get(random.nextInt(paragraphs.size()));
            if (body.length() > 0) {
                body.append("\n\n");
            }
            body.append(p);
            count += p.split("\\s+").length;
        }
        String url = "https://bench.example/" + i;
        String title = titles.get(random.nextInt(titles.size()));
        return RawArticle.newBuilder()
                .setId(ArticleIds.idForUrl(url))
                .setUrl(url)
                .setCanonicalUrl(url)
                .setTitle(title)
                .setBody(body.toString())
                .setLanguage("en")
                .setSource("Bench Wire")
                .setPublished(published)
                .setFetchedAt(fetchedAt)
                .setContentHash(ArticleIds.contentHash(title, "", body.toString()))
                .build();
    }

    static int wordCount(RawArticle a) {
        return a.getBody().split("\\s+").length + a.getTitle().split("\\s+").length;
    }
}
