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
        Sample s = new Sample(System.nanoTime(), cpu, selfCpuNanos(), MachineCpu.now());
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
        double[] cores = new double[processes.size()];
        for (int i = 0; i < cores.length; i++) {
            cores[i] = (last.processNanos()[i] - first.processNanos()[i]) / wall;
        }
        double self = (last.selfNanos() - first.selfNanos()) / wall;
        String result = perProcess(processes, cores) + String.format(", benchmark %.2f", self);
        if (first.machine() != null && last.machine() != null) {
            double busy = last.machine().busyCores(first.machine(), wall / 1e9);
            // /proc/stat counts in 10 ms ticks: over a short window the rest is only roughly right
            result += String.format(", everything else %.2f; machine busy %.2f of %d",
                    Math.max(0, busy - java.util.Arrays.stream(cores).sum() - self), busy,
                    Runtime.getRuntime().availableProcessors());
        }
        return result + String.format(" (over %.1f s)", wall / 1e9);
    }

    /** "broker 0.12, enrich 0.95, ..." for cores in the order of {@code processes}. */
    static String perProcess(List<ChildJvm> processes, double[] cores) {
        List<String> each = new ArrayList<>();
        for (int i = 0; i < cores.length; i++) {
            each.add(String.format("%s %.2f", processes.get(i).name(), cores[i]));
        }
        return String.join(", ", each);
    }

    /** CPU time this JVM has used. */
    static long selfCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toNanos();
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
