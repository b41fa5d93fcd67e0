package dev.newsline.enrich;

import dev.newsline.model.RawArticle;
import java.time.Instant;

/** Raw article fixtures for tests; the texts are written for these tests. */
public final class Articles {

    private Articles() {
    }

    public static RawArticle raw(String id, String title, String body, Instant published) {
        return RawArticle.newBuilder()
                .setId(id)
                .setUrl("https://news.example/" + id)
                .setCanonicalUrl("https://news.example/" + id)
                .setTitle(title)
                .setBody(body)
                .setPublished(published)
                .setFetchedAt(Instant.parse("2026-11-30T00:00:00Z"))
                .setLanguage("en")
                .setSource("Example News")
                .build();
    }

    public static final String BUDGET_TITLE = "Varga defends budget as U.S. envoy meets opposition";
    public static final String BUDGET_BODY = """
            Prime Minister Elena Varga defended her budget in parliament on Tuesday, saying the \
            rail investment would create thousands of jobs.

            Opposition leader Tomas Reinholt rejected the plan, calling it reckless. The European \
            Union welcomed the spending on rail, and the United States ambassador praised Varga for \
            her leadership.

            "We will not accept cuts to hospitals," Reinholt said in Ottawa. Varga said the US \
            would remain a close partner.""";
}
