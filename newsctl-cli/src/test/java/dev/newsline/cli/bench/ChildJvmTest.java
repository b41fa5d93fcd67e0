package dev.newsline.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class ChildJvmTest {

    @Test
    @EnabledOnOs(OS.LINUX)
    void shouldReadTheRunAndRunQueueTimesOfTheNamedThreadsOnly(@TempDir Path dir) {
        try (ChildJvm child = ChildJvm.start("spinner", SpinningMain.class.getName(), List.of(), Map.of(), List.of(), dir)) {
            child.awaitOutput(SpinningMain.DONE, Duration.ofMinutes(1));

            // Linux keeps the first 15 characters of a thread's name
            Map<Long, ChildJvm.RunAndWait> spinner = child.schedule(SpinningMain.THREAD.substring(0, 15));

            assertThat(spinner).hasSize(1);
            ChildJvm.RunAndWait times = spinner.values().iterator().next();
            assertThat(times.runNanos()).isGreaterThanOrEqualTo(250_000_000L);
            assertThat(times.waitNanos()).isNotNegative();
            assertThat(child.schedule("no-such-thread")).isEmpty();
        }
    }

    @Test
    void shouldTakeTheBusiestThreadsBetweenTwoSnapshots() {
        Map<Long, ChildJvm.RunAndWait> before = Map.of(
                1L, new ChildJvm.RunAndWait(5_000_000_000L, 1_000_000_000L),
                2L, new ChildJvm.RunAndWait(0, 0));
        // thread 1 ran 0.2 s in the 2 s between the snapshots, thread 2 1.6 s (waiting 0.3 s), thread 3 started since
        Map<Long, ChildJvm.RunAndWait> after = Map.of(
                1L, new ChildJvm.RunAndWait(5_200_000_000L, 1_000_000_000L),
                2L, new ChildJvm.RunAndWait(1_600_000_000L, 300_000_000L),
                3L, new ChildJvm.RunAndWait(1_000_000_000L, 100_000_000L));

        PipelineBenchCommand.StreamThreads one = PipelineBenchCommand.StreamThreads.between(before, after, 1, 2.0);
        PipelineBenchCommand.StreamThreads two = PipelineBenchCommand.StreamThreads.between(before, after, 2, 2.0);

        assertThat(one.onCpu()).isCloseTo(0.8, within(1e-9));
        assertThat(one.waitingForCpu()).isCloseTo(0.15, within(1e-9));
        assertThat(two.onCpu()).isCloseTo(2.6 / 4, within(1e-9));
        assertThat(two.waitingForCpu()).isCloseTo(0.4 / 4, within(1e-9));
    }
}
