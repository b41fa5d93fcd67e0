package dev.newsline.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class CpuTimelineTest {

    private static final Pattern BENCHMARK = Pattern.compile("benchmark (\\d+\\.\\d+)");

    @Test
    void shouldCountTheCpuUsedInsideTheWindowAndNothingWithoutASampleAfterIt() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (CpuTimeline timeline = new CpuTimeline(List.of())) {
            long from = System.nanoTime();
            long spinUntil = threads.getCurrentThreadCpuTime() + 300_000_000L;
            long sink = 0;
            while (threads.getCurrentThreadCpuTime() < spinUntil) {
                sink += Long.numberOfTrailingZeros(System.nanoTime());
            }
            long to = System.nanoTime();
            assertThat(timeline.between(from, System.nanoTime() + 60_000_000_000L))
                    .as("no sample after the window yet").isEmpty();
            String during = await().atMost(Duration.ofSeconds(10))
                    .until(() -> timeline.between(from, to), result -> !result.isEmpty());
            Matcher m = BENCHMARK.matcher(during);
            assertThat(m.find()).as(during).isTrue();
            assertThat(Double.parseDouble(m.group(1))).as(during + " (spun " + sink + ")").isGreaterThan(0.0);
            assertThat(during).contains("machine busy").endsWith(" s)");
        }
    }
}
