package dev.newsline.cli.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One Newsline main class in a JVM of its own, started from this process's class path the way a
 * user starts a service ({@code java -cp ... MAIN}, configured by {@code NEWS_*} variables), so
 * that the benchmark can read each service's own peak resident memory. Output goes to
 * {@code NAME.log} in the benchmark's directory, which is also its working directory; a sampler keeps the highest {@code VmHWM} seen, so the figure survives a
 * process that exits on its own (a replay).
 */
final class ChildJvm implements AutoCloseable {

    /** USER_HZ, which Linux reports thread CPU times in: 100 on every common architecture. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final Path log;
    private final AtomicLong peakKb = new AtomicLong(-1);

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        Thread sampler = new Thread(this::sample, "bench-rss-" + name);
        sampler.setDaemon(true);
        sampler.start();
    }

    static ChildJvm start(String name, String mainClass, List<String> args, Map<String, String> environment,
                          List<String> jvmOptions, Path dir) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        Path log = dir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .directory(dir.toFile());
        // only what the benchmark sets: the user's own NEWS_* settings would change what is measured
        builder.environment().keySet().removeIf(k -> k.startsWith("NEWS_") || k.equals("JAVA_TOOL_OPTIONS"));
        builder.environment().putAll(environment);
        // newsctl's logging setup writes its file under NEWSLINE_LOG_DIR: the benchmark's directory, not the user's
        builder.environment().put("NEWSLINE_LOG_DIR", dir.resolve("logs").toString());
        try {
            return new ChildJvm(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** CPU time the process has used so far, all its threads; zero once it has ended or where the OS does not say. */
    Duration cpu() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /**
     * CPU time of the JVM's JIT compiler threads (HotSpot names them "C1 CompilerThre..." and
     * "C2 CompilerThre..."); zero where /proc is not there to read.
     */
    Duration compilerCpu() {
        long ticks = 0;
        for (String stat : threads().values()) {
            String name = threadName(stat);
            if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            }
        }
        return Duration.ofMillis(ticks * 1000 / CLOCK_TICKS_PER_SECOND);
    }

    /**
     * For each thread whose name starts with {@code prefix} (Linux keeps the first 15 characters of
     * a Java thread's name), the nanoseconds it has run on a CPU and waited on a run queue, ready to
     * run but with every CPU taken ({@code /proc/PID/task/TID/schedstat}); empty where /proc is not
     * there to read.
     */
    Map<Long, RunAndWait> schedule(String prefix) {
        Map<Long, RunAndWait> out = new HashMap<>();
        for (Map.Entry<Long, String> thread : threads().entrySet()) {
            if (threadName(thread.getValue()).startsWith(prefix)) {
                String schedstat = read(thread.getKey(), "schedstat");
                if (schedstat != null) {
                    String[] fields = schedstat.trim().split(" ");
                    out.put(thread.getKey(), new RunAndWait(Long.parseLong(fields[0]), Long.parseLong(fields[1])));
                }
            }
        }
        return out;
    }

    /** A thread's time on a CPU and on a run queue, nanoseconds. */
    record RunAndWait(long runNanos, long waitNanos) {
    }

    /** Thread id -> /proc stat line of the process's threads now; empty where /proc is not there to read. */
    private Map<Long, String> threads() {
        Map<Long, String> stats = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc", String.valueOf(process.pid()), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                long tid = Long.parseLong(task.getFileName().toString());
                String stat = read(tid, "stat");
                if (stat != null) {
                    stats.put(tid, stat);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // the process has ended, or no /proc on this system
        }
        return stats;
    }

    /** The thread's name in a /proc stat line: between the first '(' and the last ')'. */
    private static String threadName(String stat) {
        return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    }

    /** A file of one thread under /proc, or null once the thread has ended. */
    private String read(long tid, String file) {
        try {
            return Files.readString(Path.of("/proc", String.valueOf(process.pid()), "task", String.valueOf(tid), file));
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
    }

    /** Highest resident set seen so far, MB; -1 where /proc is not there to read. */
    long peakRssMb() {
        long kb = peakKb.get();
        return kb < 0 ? -1 : kb / 1024;
    }

    /** Waits until the log has a line containing {@code marker}. */
    void awaitOutput(String marker, Duration timeout) {
        await("printing '" + marker + "'", timeout, () -> Files.readString(log).contains(marker));
    }

    /** Waits until {@code url} answers 200. */
    void awaitHttpOk(URI url, Duration timeout) {
        await("ready at " + url, timeout, () -> HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    /** Waits for the process to end by itself; its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " still running after " + timeout.toSeconds() + " s; see " + log);
        }
        return process.exitValue();
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private void await(String what, Duration timeout, Check check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (check.ok()) {
                    return;
                }
            } catch (Exception e) {
                // not there yet (connection refused, no log line)
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited (" + process.exitValue() + ") before " + what + "; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " not " + what + " after " + timeout.toSeconds() + " s; see " + log);
            }
            LockSupport.parkNanos(100_000_000L);
        }
    }

    private void sample() {
        Path status = Path.of("/proc", String.valueOf(process.pid()), "status");
        while (process.isAlive()) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmHWM:")) {
                        long kb = Long.parseLong(line.replaceAll("\\D+", ""));
                        peakKb.accumulateAndGet(kb, Math::max);
                    }
                }
            } catch (IOException | NumberFormatException | UncheckedIOException e) {
                // gone between the check and the read, or no /proc on this system
            }
            LockSupport.parkNanos(50_000_000L);
        }
    }

    /** SIGTERM, then SIGKILL if the process has not ended within 30 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
