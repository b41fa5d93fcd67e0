package dev.newsline.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole machine's CPU time by kind, from the first line of Linux's {@code /proc/stat}: what
 * the processes used, what was idle, and what the hypervisor gave to other guests (steal). On a
 * shared virtual machine steal is why the same benchmark runs at different speeds; a benchmark
 * prints it next to its figures. Absent (null) where {@code /proc/stat} is not readable.
 */
record MachineCpu(long busy, long idle, long steal) {

    private static final Path STAT = Path.of("/proc/stat");
    private static final double TICKS_PER_SECOND = 100.0;

    /** Now, or null off Linux. */
    static MachineCpu now() {
        try {
            String cpu = Files.readAllLines(STAT).get(0);
            String[] f = cpu.trim().split("\\s+");
            if (!"cpu".equals(f[0]) || f.length < 9) {
                return null;
            }
            // user nice system idle iowait irq softirq steal
            long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                    + Long.parseLong(f[7]);
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new MachineCpu(busy, idle, Long.parseLong(f[8]));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Cores busy, idle and stolen between {@code before} and this, over {@code seconds} of wall time. */
    String since(MachineCpu before, double seconds) {
        return String.format("machine: busy %.2f, idle %.2f, stolen by the hypervisor %.2f",
                busyCores(before, seconds), (idle - before.idle) / TICKS_PER_SECOND / seconds,
                (steal - before.steal) / TICKS_PER_SECOND / seconds);
    }

    /** Cores busy between {@code before} and this, over {@code seconds} of wall time. */
    double busyCores(MachineCpu before, double seconds) {
        return (busy - before.busy) / TICKS_PER_SECOND / seconds;
    }
}
