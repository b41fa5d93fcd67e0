package dev.newsline.sink.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SinkQueriesTest {

    @ParameterizedTest
    @CsvSource({
        "2026-11-24,                2026-11-24T00:00:00Z",
        "2026-11-24T09:00:00Z,      2026-11-24T09:00:00Z",
        "2026-11-24t09:00:00z,      2026-11-24T09:00:00Z",
        "2026-11-24T10:30+01:00,    2026-11-24T09:30:00Z",
        "2026-11-24T04:00:00-05:00, 2026-11-24T09:00:00Z",
        "2026-11-24T09:15,          2026-11-24T09:15:00Z",
        "2026-11-24T09:15:30.250Z,  2026-11-24T09:15:30.250Z"
    })
    void shouldReadDatesAndTimesTakingThoseWithoutAnOffsetAsUtc(String text, String expected) {
        assertThat(SinkQueries.parseTime("from", text)).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "24/11/2026", "2026-13-01", "2026-11-24 09:00", "1732438800"})
    void shouldRejectOtherTimesNamingTheParameter(String text) {
        assertThatThrownBy(() -> SinkQueries.parseTime("to", text))
                .isInstanceOfSatisfying(QueryException.class,
                        e -> assertThat(e.kind()).isEqualTo(QueryException.Kind.BAD_PARAMETER))
                .hasMessageContaining("'to'").hasMessageContaining(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "1001", "ten", "1.5", "99999999999"})
    void shouldRejectLimitsOutsideTheRange(String text) {
        assertThatThrownBy(() -> SinkQueries.parseLimit("limit", text, 20, 1000))
                .isInstanceOf(QueryException.class).hasMessageContaining("from 1 to 1000");
    }

    @ParameterizedTest
    @CsvSource(value = {"'', 20", "' ', 20", "1, 1", "1000, 1000", "' 7 ', 7"})
    void shouldTakeTheDefaultLimitWhenNoneIsGiven(String text, int expected) {
        assertThat(SinkQueries.parseLimit("limit", text, 20, 1000)).isEqualTo(expected);
        assertThat(SinkQueries.parseLimit("limit", null, 20, 1000)).isEqualTo(20);
    }
}
