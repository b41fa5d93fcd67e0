package dev.newsline.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StoreDumpTest {

    private static final List<String> DUMP = List.of(
            "articles\ta1\thttps://news.example/1\tTitle\tBody",
            "entities\tper:elena-varholt\tElena Varholt\tPERSON",
            "mentions\ta1\tper:elena-varholt\tBODY\t0\t13\tElena Varholt\tNEGATIVE\t-0.4\t0.5",
            "stances\ta1\t0\tper:elena-varholt\tElena Varholt\t\\N\tthe plan\tOPPOSE\trejected\tBODY\t0\t40\t0.9");

    @Test
    void shouldFindNoDifferenceBetweenIdenticalDumps() {
        assertThat(StoreDump.difference(DUMP, List.copyOf(DUMP), 5)).isEmpty();
    }

    @Test
    void shouldNameTheFirstDifferingLineWithBothVersions() {
        List<String> changed = List.of(DUMP.get(0), DUMP.get(1),
                "mentions\ta1\tper:elena-varholt\tBODY\t0\t13\tElena Varholt\tNEGATIVE\t-0.5\t0.5", DUMP.get(3));

        assertThat(StoreDump.difference(DUMP, changed, 1)).hasValueSatisfying(d -> assertThat(d)
                .contains("differ from line 3")
                .contains("3: mentions\ta1\tper:elena-varholt\tBODY\t0\t13\tElena Varholt\tNEGATIVE\t-0.4")
                .contains("3: mentions\ta1\tper:elena-varholt\tBODY\t0\t13\tElena Varholt\tNEGATIVE\t-0.5")
                .doesNotContain("4: stances"));
    }

    @Test
    void shouldReportAMissingRowAndTheRowCounts() {
        List<String> shorter = DUMP.subList(0, 3);

        assertThat(StoreDump.difference(DUMP, shorter, 5)).hasValueSatisfying(d -> assertThat(d)
                .contains("differ from line 4")
                .contains("expected 4 lines {articles=1, entities=1, mentions=1, stances=1}")
                .contains("actual 3 lines {articles=1, entities=1, mentions=1, stances=0}"));
    }
}
