package dev.newsline.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.newsline.model.EnrichedArticle;
import dev.newsline.model.RawArticle;
import dev.newsline.model.Tone;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ReportingEnrichmentTest {

    private static final Instant FETCHED = Instant.parse("2026-11-30T00:00:00Z");

    private final List<String> reports = new CopyOnWriteArrayList<>();
    private final EnrichMetrics recorder = new EnrichMetrics() {
        @Override
        public void enriched(int entities, int stances, Duration took) {
            reports.add("enriched " + entities + " " + stances + (took.isNegative() ? " negative" : ""));
        }

        @Override
        public void endToEndLatency(Duration fetchedToEnriched) {
            reports.add("latency " + fetchedToEnriched);
        }
    };

    @Test
    void shouldReportEachEnrichedArticleAndItsTimeSinceIngestion() {
        ArticleEnrichment enrichment = new ReportingEnrichment(raw -> enriched(raw, FETCHED.plusSeconds(3)), recorder);

        enrichment.enrich(Articles.raw("a1", "", "text", null));

        assertThat(reports).containsExactly("enriched 0 0", "latency PT3S");
    }

    @Test
    void shouldLeaveOutTheLatencyWhenClocksDisagreeAndReportNothingForAFailure() {
        new ReportingEnrichment(raw -> enriched(raw, FETCHED.minusSeconds(1)), recorder).enrich(Articles.raw("a1", "", "x", null));
        ArticleEnrichment failing = new ReportingEnrichment(raw -> {
            throw new IllegalStateException("tagger failed");
        }, recorder);

        assertThatThrownBy(() -> failing.enrich(Articles.raw("a2", "", "x", null))).hasMessage("tagger failed");
        assertThat(reports).containsExactly("enriched 0 0");
    }

    private static EnrichedArticle enriched(RawArticle raw, Instant enrichedAt) {
        return EnrichedArticle.newBuilder().setId(raw.getId()).setUrl(raw.getUrl()).setFetchedAt(raw.getFetchedAt())
                .setEnrichedAt(enrichedAt).setTone(Tone.newBuilder().build()).build();
    }
}
