package dev.newsline.enrich.sentiment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.newsline.enrich.Articles;
import dev.newsline.enrich.Enricher;
import dev.newsline.model.EnrichedArticle;
import dev.newsline.model.Entity;
import dev.newsline.model.SentimentLabel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Entity sentiment through the whole enrichment, on one-sentence articles written for these tests. */
class EntitySentimentTest {

    private static Enricher enricher;

    @BeforeAll
    static void load() {
        enricher = Enricher.load();
    }

    private static Entity entity(String body, String id) {
        EnrichedArticle a = enricher.enrich(Articles.raw("s-" + Math.abs(body.hashCode()), "", body, null));
        return a.getEntities().stream().filter(e -> e.getId().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(id + " not among " + a.getEntities().stream().map(Entity::getId).toList()));
    }

    private static SentimentLabel label(String body, String id) {
        return entity(body, id).getSentiment().getLabel();
    }

    @Test
    void shouldLeaveOutASpeakersWholeSpeechWhenItQuotesOnlyPartOfIt() {
        assertThat(label("Elena Varga said the reckless plan was \"a disaster\" for farmers.", "per:elena-varga"))
                .isEqualTo(SentimentLabel.NEUTRAL);
        assertThat(label("Elena Varga said the plan was reckless.", "per:elena-varga"))
                .isEqualTo(SentimentLabel.NEUTRAL);
    }

    @Test
    void shouldNotTakeANameAfterSaidForTheSpeakerWhenItsClauseGoesOn() {
        assertThat(label("Tomas Reinholt, the opposition leader, said Elena Varga would make an excellent minister.",
                "per:elena-varga")).isEqualTo(SentimentLabel.POSITIVE);
        assertThat(label("\"The plan is a disaster,\" said Elena Varga.", "per:elena-varga"))
                .isEqualTo(SentimentLabel.NEUTRAL);
    }

    @Test
    void shouldGiveTheTargetOfAStanceNounItsPolarity() {
        assertThat(label("The union declared its support for Elena Varga on Monday.", "per:elena-varga"))
                .isEqualTo(SentimentLabel.POSITIVE);
        assertThat(label("Hundreds of farmers signed a letter of opposition to Helix Dynamics.", "org:helix-dynamics"))
                .isEqualTo(SentimentLabel.NEGATIVE);
    }

    @Test
    void shouldGiveTheHolderOfAStanceNounLessThanItsTarget() {
        String body = "Tomas Reinholt repeated his criticism of Elena Varga in parliament.";
        double holder = entity(body, "per:tomas-reinholt").getSentiment().getScore();
        double target = entity(body, "per:elena-varga").getSentiment().getScore();
        assertThat(target).isNegative();
        // by distance alone the holder would get almost as much as the target
        assertThat(Math.abs(holder)).isLessThan(0.5 * Math.abs(target));
    }
}
