package dev.newsline.enrich.stance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.newsline.enrich.Articles;
import dev.newsline.enrich.Enricher;
import dev.newsline.model.EnrichedArticle;
import dev.newsline.model.Stance;
import dev.newsline.model.StancePolarity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Precision and recall of the stances read from our own test articles
 * ({@code src/test/resources/stance/cases.txt}: fictional texts, one per construction, with the
 * stances a reader finds in them). A predicted stance is right when its holder and polarity match
 * an expected one and its target carries the expected entity id or contains the expected phrase.
 */
class StanceCasesTest {

    /** Floors the extractor meets today; raise them as it improves, never lower them to pass. */
    private static final double PRECISION_FLOOR = 0.90;
    private static final double RECALL_FLOOR = 0.90;

    private static Enricher enricher;

    @BeforeAll
    static void load() {
        enricher = Enricher.load();
    }

    record Expected(String holder, StancePolarity polarity, String target) {

        boolean matches(Stance s) {
            if (!s.getHolder().getId().equals(holder) || s.getPolarity() != polarity) {
                return false;
            }
            if (target.matches("^(per|org|loc|misc):.*")) {
                return target.equals(s.getTarget().getId());
            }
            return s.getTarget().getText().toLowerCase(Locale.ROOT).contains(target.toLowerCase(Locale.ROOT));
        }
    }

    record Case(int number, String construction, String text, List<Expected> expected) {
    }

    /** Counts of one construction: expected, found, right. */
    private static final class Tally {
        int expected;
        int predicted;
        int matchedExpected;
        int matchedPredicted;
    }

    @Test
    void shouldReadStancesOfEveryConstructionWithHighPrecisionAndRecall() throws IOException {
        List<Case> cases = readCases();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(40);
        assertThat(cases.stream().map(Case::construction).distinct().count()).isGreaterThanOrEqualTo(20);

        Map<String, Tally> byConstruction = new LinkedHashMap<>();
        Tally total = new Tally();
        List<String> misses = new ArrayList<>();
        for (Case c : cases) {
            EnrichedArticle a = enricher.enrich(Articles.raw("stance-" + c.number(), "", c.text(), null));
            List<Stance> found = a.getStances();
            Tally t = byConstruction.computeIfAbsent(c.construction(), k -> new Tally());
            for (Tally x : List.of(t, total)) {
                x.expected += c.expected().size();
                x.predicted += found.size();
            }
            for (Expected e : c.expected()) {
                if (found.stream().anyMatch(e::matches)) {
                    t.matchedExpected++;
                    total.matchedExpected++;
                } else {
                    misses.add("missed #" + c.number() + " " + e + " in: " + c.text());
                }
            }
            for (Stance s : found) {
                if (c.expected().stream().anyMatch(e -> e.matches(s))) {
                    t.matchedPredicted++;
                    total.matchedPredicted++;
                } else {
                    misses.add("wrong  #" + c.number() + " " + s.getHolder().getId() + " " + s.getPolarity() + " '"
                            + s.getTarget().getText() + "' (cue '" + s.getCue() + "') in: " + c.text());
                }
            }
        }

        StringBuilder report = new StringBuilder("\nStance cases: construction, expected, found, right (recall / precision)\n");
        byConstruction.forEach((name, t) -> report.append(String.format(Locale.ROOT, "  %-38s %2d %2d  %2d/%-2d %2d/%-2d%n",
                name, t.expected, t.predicted, t.matchedExpected, t.expected, t.matchedPredicted, t.predicted)));
        double precision = total.predicted == 0 ? 0 : (double) total.matchedPredicted / total.predicted;
        double recall = total.expected == 0 ? 0 : (double) total.matchedExpected / total.expected;
        report.append(String.format(Locale.ROOT, "Stance precision %.3f (%d/%d), recall %.3f (%d/%d) on %d cases, %d constructions%n",
                precision, total.matchedPredicted, total.predicted, recall, total.matchedExpected, total.expected,
                cases.size(), byConstruction.size()));
        misses.forEach(m -> report.append("  ").append(m).append('\n'));
        System.out.println(report);

        assertThat(precision).as("stance precision").isGreaterThanOrEqualTo(PRECISION_FLOOR);
        assertThat(recall).as("stance recall").isGreaterThanOrEqualTo(RECALL_FLOOR);
    }

    static List<Case> readCases() throws IOException {
        String content;
        try (InputStream in = StanceCasesTest.class.getResourceAsStream("/stance/cases.txt")) {
            content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Case> cases = new ArrayList<>();
        String construction = null;
        StringBuilder text = new StringBuilder();
        List<Expected> expected = new ArrayList<>();
        for (String line : (content + "\ncase: end").split("\n")) {
            if (line.startsWith("case:")) {
                if (construction != null) {
                    cases.add(new Case(cases.size() + 1, construction, text.toString(), List.copyOf(expected)));
                }
                construction = line.substring(5).strip();
                text.setLength(0);
                expected.clear();
            } else if (line.startsWith("text:")) {
                text.append(text.isEmpty() ? "" : "\n").append(line.substring(5).strip());
            } else if (line.startsWith("stance:")) {
                String[] f = line.substring(7).split("\\|");
                expected.add(new Expected(f[0].strip(), StancePolarity.valueOf(f[1].strip()), f[2].strip()));
            }
        }
        return cases;
    }
}
