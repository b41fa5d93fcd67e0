package dev.newsline.cli.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The CPU time of each child process, of this one and of the whole machine, sampled every
 * {@value #PERIOD_MS} ms on a daemon thread, so that a latency outlier can be matched with what
 * else ran while it waited: another of our processes, or something outside them.
 */
final class CpuTimeline implements AutoCloseable {

    static final long PERIOD_MS = 100;

    /** One sample: wall clock, each process's CPU, this process's CPU, the machine's busy ticks. */
    private record Sample(long wallNanos, long[] processNanos, long selfNanos, MachineCpu machine) {
    }

    private final List<ChildJvm> processes;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread sampler;
    private volatile boolean running = true;

    CpuTimeline(List<ChildJvm> processes) {
        this.processes = List.copyOf(processes);
        take();
        sampler = new Thread(() -> {
            while (running) {
                LockSupport.parkNanos(PERIOD_MS * 1_000_000L);
                take();
            }
        }, "bench-cpu-timeline");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void take() {
        long[] cpu = new long[processes.size()];
        for (int i = 0; i < cpu.length; i++) {
            cpu[i] = processes.get(i).cpu().toNanos();
        }
        Sample s = new Sample(System.nanoTime(), cpu,
                ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toNanos(), MachineCpu.now());
        synchronized (samples) {
            samples.add(s);
        }
    }

    /**
     * Cores each process, this benchmark and everything else on the machine used between two
     * {@link System#nanoTime} instants, widened to the samples around them; empty if none span it.
     */
    String between(long fromNanos, long toNanos) {
        Sample first = null;
        Sample last = null;
        synchronized (samples) {
            for (Sample s : samples) {
                if (s.wallNanos() <= fromNanos || first == null) {
                    first = s;
                }
                if (last == null && s.wallNanos() >= toNanos) {
                    last = s;
                }
            }
        }
        if (first == null || last == null || last.wallNanos() <= first.wallNanos()) {
            return "";
        }
        double wall = last.wallNanos() - first.wallNanos();
        List<String> each = new ArrayList<>();
        double ours = 0;
        for (int i = 0; i < processes.size(); i++) {
            double cores = (last.processNanos()[i] - first.processNanos()[i]) / wall;
            ours += cores;
            each.add(String.format("%s %.2f", processes.get(i).name(), cores));
        }
        double self = (last.selfNanos() - first.selfNanos()) / wall;
        each.add(String.format("benchmark %.2f", self));
        String result = String.join(", ", each);
        if (first.machine() != null && last.machine() != null) {
            double busy = (last.machine().busy() - first.machine().busy()) / 100.0 / (wall / 1e9);
            // /proc/stat counts in 10 ms ticks: over a short window the rest is only roughly right
            result += String.format(", everything else %.2f; machine busy %.2f of %d",
                    Math.max(0, busy - ours - self), busy, Runtime.getRuntime().availableProcessors());
        }
        return result + String.format(" (over %.1f s)", wall / 1e9);
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
