package dev.newsline.cli.query;

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
import dev.newsline.sink.store.StoredRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A small store written for these tests: Elena Varga opposes the tunnel plan in two articles,
 * the Northbridge Council backs her in a third, two entities share the name Georgia, and Varga
 * has three hourly trend windows.
 */
final class Fixtures {

    static final Instant MONDAY = Instant.parse("2024-05-06T08:00:00Z");
    static final String BODY = "Mayor Elena Varga rejected the harbour tunnel plan on Tuesday. "
            + "The Northbridge Council backed Elena Varga on the ferry budget.";

    private Fixtures() {
    }

    static List<StoredRecord> records() {
        List<StoredRecord> records = new ArrayList<>();
        String topic = "news.articles.enriched";
        records.add(StoredRecord.article(topic, 0, 0, article("day1", "Varga rejects the tunnel plan", MONDAY,
                List.of(varga(), council()), List.of(vargaOpposesTunnel()))));
        records.add(StoredRecord.article(topic, 0, 1, article("day2", "Tunnel plan: Varga stands firm",
                MONDAY.plus(Duration.ofDays(1)), List.of(varga(), council()), List.of(vargaOpposesTunnel()))));
        records.add(StoredRecord.article(topic, 0, 2, article("council", "Council backs the mayor",
                MONDAY.plus(Duration.ofHours(25)), List.of(council()), List.of(councilBacksVarga()))));
        records.add(StoredRecord.article(topic, 0, 3, article("georgias", "Two Georgias", MONDAY.minus(Duration.ofDays(30)),
                List.of(entity("loc:georgia", "Georgia", EntityType.LOCATION, 0.0),
                        entity("per:georgia", "Georgia", EntityType.PERSON, 0.0)), List.of())));
        for (int h = 0; h < 3; h++) {
            Instant start = MONDAY.plus(Duration.ofHours(h));
            records.add(StoredRecord.trend("news.entity.trends", 0, h, EntityTrend.newBuilder()
                    .setEntityId("per:elena-varga").setName("Elena Varga").setType(EntityType.PERSON)
                    .setWindowStart(start).setWindowEnd(start.plus(Duration.ofHours(1)))
                    .setArticleCount(h + 1).setSentimentSum(-0.4 * (h + 1)).setMeanSentiment(-0.4).build()));
        }
        return records;
    }

    private static Entity varga() {
        return entity("per:elena-varga", "Elena Varga", EntityType.PERSON, -0.4);
    }

    private static Entity council() {
        return entity("org:northbridge-council", "Northbridge Council", EntityType.ORGANIZATION, 0.3);
    }

    private static Stance vargaOpposesTunnel() {
        return stance("per:elena-varga", "Elena Varga", null, "the harbour tunnel plan", StancePolarity.OPPOSE,
                "rejected", 0, BODY.indexOf('.') + 1);
    }

    private static Stance councilBacksVarga() {
        int start = BODY.indexOf("The Northbridge");
        return stance("org:northbridge-council", "Northbridge Council", "per:elena-varga", "Elena Varga",
                StancePolarity.SUPPORT, "backed", start, BODY.length());
    }

    private static Entity entity(String id, String name, EntityType type, double score) {
        List<Mention> mentions = new ArrayList<>();
        for (int i = BODY.indexOf(name); i >= 0; i = BODY.indexOf(name, i + 1)) {
            mentions.add(Mention.newBuilder().setField(TextField.body).setStart(i).setEnd(i + name.length())
                    .setText(name).build());
        }
        return Entity.newBuilder().setId(id).setName(name).setType(type).setSalience(0.5)
                .setSentiment(Sentiment.newBuilder().setScore(score)
                        .setLabel(score < -0.1 ? SentimentLabel.NEGATIVE : score > 0.1 ? SentimentLabel.POSITIVE
                                : SentimentLabel.NEUTRAL).build())
                .setMentions(mentions).build();
    }

    private static Stance stance(String holderId, String holderName, String targetId, String targetText,
                                 StancePolarity polarity, String cue, int start, int end) {
        return Stance.newBuilder()
                .setHolder(StanceHolder.newBuilder().setId(holderId).setName(holderName).build())
                .setTarget(StanceTarget.newBuilder().setId(targetId).setText(targetText).build())
                .setPolarity(polarity).setCue(cue)
                .setEvidence(Evidence.newBuilder().setField(TextField.body).setStart(start).setEnd(end).build())
                .setConfidence(0.8).build();
    }

    private static EnrichedArticle article(String id, String title, Instant published, List<Entity> entities,
                                           List<Stance> stances) {
        return EnrichedArticle.newBuilder().setId(id).setUrl("https://news.example.org/" + id).setTitle(title)
                .setBody(BODY).setSource("Example Gazette").setLanguage("en").setPublished(published)
                .setFetchedAt(published).setEnrichedAt(published.plusSeconds(60)).setEnricherVersion("test")
                .setEntities(entities).setStances(stances)
                .setTone(Tone.newBuilder().setPositive(1.0).setNegative(2.0).setPolarity(-1.0 / 3).build()).build();
    }
}
