package dev.newsline.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import dev.newsline.model.EnrichedArticle;
import dev.newsline.model.Entity;
import dev.newsline.model.EntityType;
import dev.newsline.model.Mention;
import dev.newsline.model.RawArticle;
import dev.newsline.model.SentimentLabel;
import dev.newsline.model.Stance;
import dev.newsline.model.StancePolarity;
import dev.newsline.model.TextField;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EnricherTest {

    private static Enricher enricher;

    @BeforeAll
    static void load() {
        enricher = Enricher.load();
    }

    private static EnrichedArticle budget() {
        return enricher.enrich(Articles.raw("a1", Articles.BUDGET_TITLE, Articles.BUDGET_BODY,
                Instant.parse("2026-11-24T09:00:00Z")));
    }

    private static Entity entity(EnrichedArticle a, String id) {
        return a.getEntities().stream().filter(e -> e.getId().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(id + " not among " + a.getEntities().stream().map(Entity::getId).toList()));
    }

    @Test
    void shouldResolveFullNamesSurnamesAndAliasesToOneCanonicalEntity() {
        EnrichedArticle a = budget();

        Entity varga = entity(a, "per:elena-varga");
        assertThat(varga.getType()).isEqualTo(EntityType.PERSON);
        assertThat(varga.getMentions()).extracting(Mention::getText).contains("Elena Varga", "Varga");
        assertThat(varga.getMentions()).anyMatch(m -> m.getField() == TextField.title);

        Entity us = entity(a, "loc:united-states");
        assertThat(us.getMentions()).extracting(Mention::getText).contains("U.S.", "United States", "US");
        assertThat(a.getEntities()).extracting(Entity::getId).doesNotHaveDuplicates()
                .doesNotContain("loc:us", "loc:u-s", "per:varga");
    }

    @Test
    void shouldPointEveryMentionOffsetIntoItsField() {
        EnrichedArticle a = budget();
        for (Entity e : a.getEntities()) {
            for (Mention m : e.getMentions()) {
                String field = m.getField() == TextField.title ? a.getTitle() : a.getBody();
                assertThat(field.substring(m.getStart(), m.getEnd())).isEqualTo(m.getText());
            }
        }
        assertThat(a.getBody()).isEqualTo(Articles.BUDGET_BODY);
    }

    @Test
    void shouldRankTheMainEntityFirst() {
        assertThat(budget().getEntities().get(0).getId()).isEqualTo("per:elena-varga");
    }

    @Test
    void shouldReadStancesWithEvidence() {
        EnrichedArticle a = budget();
        Stance reject = a.getStances().stream().filter(s -> s.getHolder().getId().equals("per:tomas-reinholt")
                && s.getPolarity() == StancePolarity.OPPOSE).findFirst().orElseThrow();
        assertThat(reject.getTarget().getText()).isEqualTo("the plan");
        assertThat(reject.getCue()).isEqualTo("rejected");
        assertThat(a.getBody().substring(reject.getEvidence().getStart(), reject.getEvidence().getEnd()))
                .startsWith("Opposition leader Tomas Reinholt rejected the plan");

        assertThat(a.getStances()).anySatisfy(s -> {
            assertThat(s.getHolder().getId()).isEqualTo("org:european-union");
            assertThat(s.getPolarity()).isEqualTo(StancePolarity.SUPPORT);
        });
    }

    @Test
    void shouldTellPraiseFromCriticism() {
        EnrichedArticle a = enricher.enrich(Articles.raw("s1", "", """
                Analysts praised Borealis Energy for its excellent results and strong growth.
                Regulators accused Helix Dynamics of fraud after a damaging scandal.""", null));
        assertThat(entity(a, "org:borealis-energy").getSentiment().getLabel()).isEqualTo(SentimentLabel.POSITIVE);
        assertThat(entity(a, "org:helix-dynamics").getSentiment().getLabel()).isEqualTo(SentimentLabel.NEGATIVE);
    }

    @Test
    void shouldNormaliseHtmlBodiesAndDropScripts() {
        RawArticle raw = Articles.raw("h1", "Tom &amp; Jerry", "<p>Marcus Okafor spoke in <a href=\"x\">Nairobi</a>.</p>"
                + "<script>alert('x')</script><p>Second paragraph.</p>", null);
        EnrichedArticle a = enricher.enrich(raw);
        assertThat(a.getTitle()).isEqualTo("Tom & Jerry");
        assertThat(a.getBody()).isEqualTo("Marcus Okafor spoke in Nairobi.\n\nSecond paragraph.");
        assertThat(entity(a, "loc:nairobi").getMentions().get(0).getStart()).isEqualTo(a.getBody().indexOf("Nairobi"));
    }

    @Test
    void shouldTreatLineBreaksAsSentenceBoundaries() {
        EnrichedArticle a = enricher.enrich(Articles.raw("l1", "", "Elena Varga backed the deal\nTomas Reinholt opposed it", null));
        assertThat(a.getStances()).extracting(s -> s.getHolder().getId())
                .containsExactlyInAnyOrder("per:elena-varga", "per:tomas-reinholt");
        assertThat(a.getStances()).allSatisfy(s -> assertThat(s.getTarget().getText()).doesNotContain("Reinholt"));
    }

    @Test
    void shouldEnrichTheSameWayFromManyThreadsAsFromOne() throws Exception {
        List<RawArticle> inputs = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            inputs.add(Articles.raw("t" + i, Articles.BUDGET_TITLE, Articles.BUDGET_BODY.replace("Tuesday", "day " + i), null));
        }
        List<String> sequential = new ArrayList<>();
        for (RawArticle r : inputs) {
            sequential.add(comparable(enricher.enrich(r)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (RawArticle r : inputs) {
                futures.add(pool.submit(() -> comparable(enricher.enrich(r))));
            }
            for (int i = 0; i < inputs.size(); i++) {
                assertThat(futures.get(i).get()).isEqualTo(sequential.get(i));
            }
        } finally {
            pool.shutdown();
        }
    }

    private static String comparable(EnrichedArticle a) {
        return EnrichedArticle.newBuilder(a).setEnrichedAt(Instant.EPOCH).build().toString();
    }
}
