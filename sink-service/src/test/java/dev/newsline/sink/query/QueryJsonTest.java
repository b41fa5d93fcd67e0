package dev.newsline.sink.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.newsline.model.EntityType;
import dev.newsline.model.StancePolarity;
import dev.newsline.sink.store.ArticleSummary;
import dev.newsline.sink.store.EntitySummary;
import dev.newsline.sink.store.StanceView;
import dev.newsline.sink.store.TopEntity;
import dev.newsline.sink.store.TrendPoint;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryJsonTest {

    private static final Instant T = Instant.parse("2026-11-24T09:00:00Z");
    private static final EntitySummary VARGA = new EntitySummary("per:elena-varga", "Elena Varga", EntityType.PERSON,
            T, T.plusSeconds(3600));
    private static final StanceView STANCE = new StanceView("a1", T, 0, "per:elena-varga", "Elena Varga", null,
            "the tunnel \"plan\"", StancePolarity.OPPOSE, "rejected", "Varga rejected the tunnel \"plan\".", 0.8);

    @Test
    void shouldReadBackEveryAnswerItWrites() {
        Answers.Latest latest = new Answers.Latest(VARGA, List.of(
                new ArticleSummary("a1", "https://x.example/1", "T\u00edtulo \u2014 one", "X", "en", T, -1.0 / 3),
                new ArticleSummary("a2", "https://x.example/2", "Two", null, null, null, 0.0)));
        Answers.Latest all = new Answers.Latest(null, List.of());
        Answers.Top top = new Answers.Top(T, null, List.of(
                new TopEntity("per:elena-varga", "Elena Varga", EntityType.PERSON, 12, -0.125)));
        Answers.Stances stances = new Answers.Stances(VARGA, List.of(STANCE), List.of());
        Answers.Trend trend = new Answers.Trend(VARGA, null, T, List.of(
                new TrendPoint(T, T.plusSeconds(3600), 3, 0.1)));

        assertThat(QueryJson.latest(roundTrip(QueryJson.toJson(latest)))).isEqualTo(latest);
        assertThat(QueryJson.latest(roundTrip(QueryJson.toJson(all)))).isEqualTo(all);
        assertThat(QueryJson.top(roundTrip(QueryJson.toJson(top)))).isEqualTo(top);
        assertThat(QueryJson.stances(roundTrip(QueryJson.toJson(stances)))).isEqualTo(stances);
        assertThat(QueryJson.trend(roundTrip(QueryJson.toJson(trend)))).isEqualTo(trend);
    }

    @Test
    void shouldWriteNullsRatherThanLeaveFieldsOut() {
        String json = new String(QueryJson.bytes(QueryJson.toJson(new Answers.Latest(null, List.of(
                new ArticleSummary("a2", "https://x.example/2", "Two", null, null, null, 0.0))))),
                StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"entity\":null,\"articles\":[{\"id\":\"a2\",\"url\":\"https://x.example/2\","
                + "\"title\":\"Two\",\"source\":null,\"language\":null,\"published\":null,\"tonePolarity\":0.0}]}");
    }

    @Test
    void shouldRejectJsonThatIsNotAnAnswer() {
        assertThatThrownBy(() -> QueryJson.parse("<html>")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QueryJson.stances(QueryJson.parse("{\"asHolder\": []}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'entity'");
        assertThatThrownBy(() -> QueryJson.top(QueryJson.parse("{\"from\": \"monday\", \"entities\": []}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'from'");
    }

    private static com.fasterxml.jackson.databind.JsonNode roundTrip(com.fasterxml.jackson.databind.JsonNode json) {
        return QueryJson.parse(new String(QueryJson.bytes(json), StandardCharsets.UTF_8));
    }
}
