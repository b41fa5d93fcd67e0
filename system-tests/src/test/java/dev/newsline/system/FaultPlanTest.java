package dev.newsline.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.newsline.system.FaultPlan.Fault;
import dev.newsline.system.FaultPlan.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultPlanTest {

    @Test
    void shouldDrawTheSamePlanFromTheSameSeed() {
        assertThat(FaultPlan.draw(42, 5_000)).isEqualTo(FaultPlan.draw(42, 5_000));
        assertThat(FaultPlan.draw(42, 5_000)).isNotEqualTo(FaultPlan.draw(43, 5_000));
    }

    @Test
    void shouldPlanEveryFaultTheIssueAsksForWhileRecordsStillFlow() {
        for (long seed = 0; seed < 200; seed++) {
            FaultPlan plan = FaultPlan.draw(seed, 5_000);

            assertThat(plan.count(Kind.KILL_ENRICH)).isEqualTo(3);
            assertThat(plan.count(Kind.KILL_SINK)).isEqualTo(3);
            assertThat(plan.count(Kind.RESTART_BROKER)).isEqualTo(1);
            assertThat(plan.count(Kind.STOP_POSTGRES)).isEqualTo(1);
            for (List<Fault> lane : plan.lanes()) {
                assertThat(lane).allMatch(f -> f.after() >= 250 && f.after() <= 4_000 && f.delayMs() < 1_000);
                // one fault at a time per lane: each waits for more progress than the one before
                for (int i = 1; i < lane.size(); i++) {
                    assertThat(lane.get(i).after()).isGreaterThan(lane.get(i - 1).after());
                }
            }
            assertThat(plan.streamsLane()).allMatch(f -> f.kind().waitsFor == FaultPlan.Progress.ENRICHED);
            assertThat(plan.storeLane()).allMatch(f -> f.kind().waitsFor == FaultPlan.Progress.STORED);
        }
    }
}
