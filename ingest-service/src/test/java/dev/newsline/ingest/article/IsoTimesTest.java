package dev.newsline.ingest.article;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IsoTimesTest {

    @Test
    void shouldReadTheCommonShapeExactlyAsTheJdkDoes() {
        List<String> times = new ArrayList<>(List.of(
                "2026-11-30T08:00:00Z", "2026-11-30T08:00:00+01:00", "2026-11-30T08:00:00-05:30",
                "2026-11-30T08:00:00.5Z", "2026-11-30T08:00:00.123456789+14:00", "2026-11-30T08:00:00-00:00",
                "1900-01-01T00:00:00Z", "2300-12-31T23:59:59.999Z", "0000-01-01T00:00:00Z", "2024-02-29T12:00:00+18:00"));
        Random random = new Random(20261130);
        for (int i = 0; i < 20_000; i++) {
            times.add(String.format("%04d-%02d-%02dT%02d:%02d:%02d%s%s", random.nextInt(10_000), 1 + random.nextInt(12),
                    1 + random.nextInt(28), random.nextInt(24), random.nextInt(60), random.nextInt(60),
                    random.nextBoolean() ? "" : "." + "123456789".substring(0, 1 + random.nextInt(9)),
                    random.nextBoolean() ? "Z" : String.format("%s%02d:%02d", random.nextBoolean() ? "+" : "-",
                            random.nextInt(18), random.nextInt(60))));
        }
        for (String time : times) {
            assertThat(IsoTimes.common(time)).as(time).isNotNull().isEqualTo(OffsetDateTime.parse(time).toInstant());
            assertThat(IsoTimes.parse(time)).as(time).isEqualTo(OffsetDateTime.parse(time).toInstant());
        }
    }

    @Test
    void shouldLeaveEveryOtherShapeToTheJdk() {
        // valid for the JDK (Instant.parse reads 24:00, a leap second, a point without a fraction) but not the common shape
        for (String time : List.of("2026-11-30T08:00Z", "2026-11-30t08:00:00z", "2026-11-30T08:00:00+01:00:30",
                "+12026-11-30T08:00:00Z", "2026-11-30T08:00:00+01", "2026-11-30T24:00:00Z", "2026-11-30T23:59:60Z", "2026-11-30T08:00:00.Z")) {
            assertThat(IsoTimes.common(time)).as(time).isNull();
            assertThat(IsoTimes.parse(time)).as(time).isNotNull().isEqualTo(jdk(time));
        }
        // invalid: no instant from either reading
        for (String time : List.of("2026-02-30T08:00:00Z", "2026-11-30T24:00:01Z", "2026-11-30T08:60:00Z",
                "2026-11-30T08:00:00+19:00", "2026-11-30T08:00:00+01:60", "2026-11-30T08:00:00",
                "2026-11-30T08:00:00.1234567890Z", "2026-11-30 08:00:00Z", "yesterday",
                "2026-11-30T08:00:00Z ", "\u0662026-11-30T08:00:00Z", "2026-11-30T08:00:00+1:00")) {
            assertThat(IsoTimes.common(time)).as(time).isNull();
            assertThat(IsoTimes.parse(time)).as(time).isNull();
            assertThat(jdk(time)).as(time).isNull();
        }
    }

    @Test
    void shouldAgreeWithTheJdkOnMangledTimes() {
        Random random = new Random(7);
        String alphabet = "0123456789-:T.Z+ zt";
        for (int i = 0; i < 50_000; i++) {
            char[] time = "2026-11-30T08:15:42.250+02:00".toCharArray();
            for (int k = 1 + random.nextInt(3); k > 0; k--) {
                time[random.nextInt(time.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
            }
            String s = new String(time, 0, 20 + random.nextInt(time.length - 19));
            assertThat(IsoTimes.parse(s)).as(s).isEqualTo(jdk(s));
        }
    }

    private static Instant jdk(String s) {
        return IsoTimes.viaJdk(s);
    }
}
