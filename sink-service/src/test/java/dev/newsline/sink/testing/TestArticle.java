package dev.newsline.sink.testing;

import dev.newsline.model.EnrichedArticle;
import dev.newsline.model.Entity;
import dev.newsline.model.EntityTrend;
import dev.newsline.model.EntityType;
import dev.newsline.model.Evidence;
import dev.newsline.model.Mention;
import dev.newsline.model.Sentiment;
import dev.newsline.model.SentimentLabel;
import dev.newsline.model.Stance;
import dev.newsline.model.StanceHolder;
import dev.newsline.model.StancePolarity;
import dev.newsline.model.StanceTarget;
import dev.newsline.model.TextField;
import dev.newsline.model.Tone;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds {@link EnrichedArticle} fixtures whose offsets are consistent with their text: an
 * entity's mentions are every occurrence of the given surface forms in the title and body, a
 * stance's evidence is the body sentence containing its cue.
 */
public final class TestArticle {

    public static final Instant BASE_TIME = Instant.parse("2024-05-06T08:00:00Z");

    private final String id;
    private String title = "Harbour council votes on the tunnel plan";
    private String body = "Mayor Elena Varga rejected the harbour tunnel plan on Tuesday. "
            + "The Northbridge Council backed a smaller ferry budget instead. "
            + "Elena Varga said the vote in Northbridge was close.";
    private Instant published = BASE_TIME;
    private String enricherVersion = "test-1";
    private final List<Entity> entities = new ArrayList<>();
    private final List<Stance> stances = new ArrayList<>();

    private TestArticle(String id) {
        this.id = id;
    }

    /** A bare article: default title and body, no entities or stances. */
    public static TestArticle builder(String id) {
        return new TestArticle(id);
    }

    /** The default article with two entities and one stance. */
    public static EnrichedArticle typical(String id, Instant published) {
        return builder(id).published(published)
                .entity("per:elena-varga", "Elena Varga", EntityType.PERSON, -0.4, "Elena Varga")
                .entity("org:northbridge-council", "Northbridge Council", EntityType.ORGANIZATION, 0.3,
                        "Northbridge Council")
                .stance("per:elena-varga", "Elena Varga", null, "the harbour tunnel plan", StancePolarity.OPPOSE,
                        "rejected")
                .build();
    }

    public TestArticle title(String title) {
        this.title = title;
        return this;
    }

    public TestArticle body(String body) {
        this.body = body;
        return this;
    }

    public TestArticle published(Instant published) {
        this.published = published;
        return this;
    }

    public TestArticle enricherVersion(String version) {
        this.enricherVersion = version;
        return this;
    }

    /** Adds an entity mentioned wherever one of {@code surfaces} occurs in the title or body. */
    public TestArticle entity(String entityId, String name, EntityType type, double score, String... surfaces) {
        List<Mention> mentions = new ArrayList<>();
        for (String surface : surfaces) {
            addMentions(mentions, TextField.title, title, surface);
            addMentions(mentions, TextField.body, body, surface);
        }
        SentimentLabel label = score > 0.1 ? SentimentLabel.POSITIVE
                : score < -0.1 ? SentimentLabel.NEGATIVE : SentimentLabel.NEUTRAL;
        entities.add(Entity.newBuilder().setId(entityId).setName(name).setType(type)
                .setSalience(Math.min(1.0, 0.2 + 0.1 * mentions.size()))
                .setSentiment(Sentiment.newBuilder().setLabel(label).setScore(score).build())
                .setMentions(mentions).build());
        return this;
    }

    /** Adds a stance whose evidence is the body sentence containing {@code cue}. */
    public TestArticle stance(String holderId, String holderName, String targetId, String targetText,
                              StancePolarity polarity, String cue) {
        int at = body.indexOf(cue);
        if (at < 0) {
            throw new IllegalArgumentException("cue '" + cue + "' not in body");
        }
        int start = body.lastIndexOf(". ", at) < 0 ? 0 : body.lastIndexOf(". ", at) + 2;
        int end = body.indexOf('.', at) < 0 ? body.length() : body.indexOf('.', at) + 1;
        stances.add(Stance.newBuilder()
                .setHolder(StanceHolder.newBuilder().setId(holderId).setName(holderName).build())
                .setTarget(StanceTarget.newBuilder().setId(targetId).setText(targetText).build())
                .setPolarity(polarity).setCue(cue)
                .setEvidence(Evidence.newBuilder().setField(TextField.body).setStart(start).setEnd(end).build())
                .setConfidence(0.8).build());
        return this;
    }

    public EnrichedArticle build() {
        return EnrichedArticle.newBuilder()
                .setId(id)
                .setUrl("https://news.example.org/" + id)
                .setTitle(title)
                .setBody(body)
                .setSource("Example Gazette")
                .setLanguage("en")
                .setPublished(published)
                .setFetchedAt(published == null ? BASE_TIME : published.plusSeconds(90))
                .setEnrichedAt(BASE_TIME.plus(Duration.ofDays(1)))
                .setEnricherVersion(enricherVersion)
                .setEntities(List.copyOf(entities))
                .setStances(List.copyOf(stances))
                .setTone(Tone.newBuilder().setPositive(1.5).setNegative(3.0).setPolarity(-1.0 / 3).build())
                .build();
    }

    public static EntityTrend trend(String entityId, Instant windowStart, long count, double mean) {
        return EntityTrend.newBuilder().setEntityId(entityId).setName(entityId).setType(EntityType.PERSON)
                .setWindowStart(windowStart).setWindowEnd(windowStart.plus(Duration.ofHours(1)))
                .setArticleCount(count).setSentimentSum(mean * count).setMeanSentiment(mean).build();
    }

    /** Rows an article adds to {@code mentions}: one per mention, one for an entity without mentions. */
    public static int mentionRows(EnrichedArticle article) {
        return article.getEntities().stream().mapToInt(e -> Math.max(1, e.getMentions().size())).sum();
    }

    private static void addMentions(List<Mention> out, TextField field, String text, String surface) {
        for (int i = text.indexOf(surface); i >= 0; i = text.indexOf(surface, i + surface.length())) {
            out.add(Mention.newBuilder().setField(field).setStart(i).setEnd(i + surface.length())
                    .setText(surface).build());
        }
    }
}
